"""Pseudonymised research exports and the log of every export made."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import navigation, personal_data
    from react_toolkit.research import commands, permissions, views  # noqa: F401 - commands adds to the group

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app,
        _l("Research exports"),
        "research.list_exports",
        permissions.can_export_research,
        75,
        blueprints=("research",),
    )
    # The export log names the researcher; staff accounts are closed by an administrator, never erased here.
    personal_data.register(app, "research", tables=("export_log",))
