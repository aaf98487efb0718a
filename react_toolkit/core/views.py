"""Home page, health check and the policy pages."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template
from sqlalchemy import text

from react_toolkit.extensions import db

bp = Blueprint("core", __name__)


@bp.get("/")
def home():
    return render_template("core/home.html")


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
    return render_template("core/accessibility.html")
