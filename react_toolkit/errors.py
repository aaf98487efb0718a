"""Error pages in the service's own style; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

TITLES = {
    400: _l("Something was wrong with that request"),
    403: _l("You do not have permission to see this page"),
    404: _l("Page not found"),
    405: _l("That action is not allowed here"),
    410: _l("This link no longer works"),
    413: _l("What you sent was too large"),
    429: _l("Too many attempts"),
    500: _l("Sorry, there is a problem with the service"),
    503: _l("Sorry, the service is unavailable"),
}


def _render(status: int, detail: str | None = None):
    if request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json":
        return jsonify(status=status, error=str(TITLES.get(status, "Error"))), status
    return render_template(
        "errors/error.html", status=status, title=TITLES.get(status, _l("Error")), detail=detail
    ), status


def _reset_session() -> None:
    """Roll back the request's session; if its connection has died, throw the connection away instead."""
    from react_toolkit.extensions import db

    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session().invalidate()


def init_app(app: Flask) -> None:
    @app.teardown_appcontext
    def end_session(error: BaseException | None) -> None:
        # Runs before Flask-SQLAlchemy's own teardown. A connection the database dropped (a restart
        # or failover) fails its rollback here, after the response is made: without this the person
        # would get gunicorn's bare 500 page instead of the response.
        from react_toolkit.extensions import db

        try:
            db.session.remove()
        except SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            log.warning("database connection lost at the end of a request: %s", type(cause).__name__)
            db.session().invalidate()
            db.session.remove()

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _render(
            400,
            _(
                "The form had expired, or came from somewhere else. Go back, refresh the page and try again. "
                "Anything you typed may still be in the form when you go back."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code == 413:
            return _render(
                413,
                _(
                    "Nothing was saved. Go back: what you typed may still be in the form. "
                    "Each box takes up to 10,000 characters."
                ),
            )
        # An error raised with words for the person (such as a number too large) shows them.
        return _render(error.code or 500, getattr(error, "detail", None))

    @app.errorhandler(OperationalError)
    def database_down(error: OperationalError):
        from flask import g

        from react_toolkit.extensions import login_manager

        _reset_session()
        # The page must render without asking the database who is signed in.
        g._login_user = login_manager.anonymous_user()
        log.error("database unavailable: %s", type(error.orig).__name__ if error.orig else "unknown")
        return _render(503)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("unhandled error on %s", request.url_rule.rule if request.url_rule else "unknown route")
        # A failed flush leaves the session unusable; the error page still needs it.
        _reset_session()
        return _render(500)
