"""A second factor at sign-in: an authenticator app, recovery codes and passkeys; required of staff."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, the check before every page, template globals, commands, personal data."""
    from react_toolkit.second_factor import commands, permissions, personal_data, views  # noqa: F401 - commands adds to the group

    app.register_blueprint(views.bp)
    app.before_request(views.check_second_factor)
    app.after_request(views.renew_session_cookie)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS, second_factor_pending=views.second_factor_pending)
    personal_data.init_app(app)
