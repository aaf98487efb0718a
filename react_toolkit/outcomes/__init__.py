"""A short, repeated wellbeing check-in that relatives may choose to complete."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import navigation
    from react_toolkit.outcomes import permissions, personal_data, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app, _l("Check-in"), "outcomes.check_in", permissions.can_check_in, 45, blueprints=("outcomes",)
    )
    personal_data.init_app(app)
