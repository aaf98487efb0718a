"""The implementation dashboard: uptake, reach, use, support and maintenance figures."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import navigation
    from react_toolkit.dashboard import commands, permissions, personal_data, views  # noqa: F401 - commands adds to the group

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app, _l("Dashboard"), "dashboard.show", permissions.can_see_dashboard, 55, blueprints=("dashboard",)
    )
    personal_data.init_app(app)
