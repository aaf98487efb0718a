"""Home page, health check and the policy pages."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from flask_login import current_user
from sqlalchemy import text

from react_toolkit.extensions import db
from react_toolkit.i18n.language import current_language
from react_toolkit.inbox.permissions import can_write_to_supporter
from react_toolkit.modules import services as module_services
from react_toolkit.modules.permissions import has_personal_space

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    resume = None
    if has_personal_space(current_user):
        resume = module_services.continue_point(current_user)
    shown = module_services.in_language([resume.module], current_language())[0] if resume else None
    return render_template("core/home.html", resume=resume, resume_module=shown)


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
