"""The implementation dashboard: uptake, reach, use, support and maintenance figures."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, template globals, navigation and commands."""
    from react_toolkit.core import navigation
    from react_toolkit.dashboard import commands, permissions, views  # noqa: F401 - commands adds to the group

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app, "Dashboard", "dashboard.show", permissions.can_see_dashboard, 55, blueprints=("dashboard",)
    )
