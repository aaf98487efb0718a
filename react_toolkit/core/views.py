"""Home page, health check and the policy pages."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from react_toolkit.core import home as home_parts
from react_toolkit.extensions import db
from react_toolkit.inbox.permissions import can_write_to_supporter

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    if not current_user.is_authenticated:
        return render_template("core/home.html")
    return render_template(
        "core/home.html", panels=home_parts.panels_for(current_user), cards=home_parts.cards_for(current_user)
    )


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/privacy")
def privacy():
    return render_template("core/privacy.html")


@bp.get("/terms")
def terms():
    return render_template("core/terms.html")


@bp.get("/accessibility")
def accessibility():
    # A relative is told which team to ask for help; everyone else is told how to find theirs.
    team = current_user.team if can_write_to_supporter(current_user) else None
    return render_template("core/accessibility.html", team=team)
