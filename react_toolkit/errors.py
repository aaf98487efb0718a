"""Error pages in the service's own style; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

TITLES = {
    400: "Something was wrong with that request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "That action is not allowed here",
    410: "This link no longer works",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def _render(status: int, detail: str | None = None):  # noqa: ANN202
    if request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json":
        return jsonify(status=status, error=TITLES.get(status, "Error")), status
    return render_template(
        "errors/error.html", status=status, title=TITLES.get(status, "Error"), detail=detail
    ), status


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):  # noqa: ANN202
        return _render(
            400,
            "The form had expired, or came from somewhere else. Go back, refresh the page and try again. "
            "Anything you typed may still be in the form when you go back.",
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):  # noqa: ANN202
        return _render(error.code or 500)

    @app.errorhandler(OperationalError)
    def database_down(error: OperationalError):  # noqa: ANN202
        from flask import g

        from react_toolkit.extensions import db, login_manager

        db.session.rollback()
        # The page must render without asking the database who is signed in.
        g._login_user = login_manager.anonymous_user()
        log.error("database unavailable: %s", type(error.orig).__name__ if error.orig else "unknown")
        return _render(503)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # noqa: ANN202
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled error on %s", request.url_rule.rule if request.url_rule else "unknown route")
        from react_toolkit.extensions import db

        # A failed flush leaves the session unusable; the error page still needs it.
        db.session.rollback()
        return _render(500)
