"""A short, repeated wellbeing check-in that relatives may choose to complete."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, template globals, navigation and commands."""
    from react_toolkit.core import navigation
    from react_toolkit.outcomes import permissions, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app, "Check-in", "outcomes.check_in", permissions.can_check_in, 45, blueprints=("outcomes",)
    )
