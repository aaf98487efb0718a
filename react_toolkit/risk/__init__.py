"""Crisis information, shown on every page and whenever risk is detected."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, template globals, navigation and commands."""
    from react_toolkit.core import navigation
    from react_toolkit.risk import permissions, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app,
        "Risk list",
        "risk.list_phrases",
        permissions.can_edit_lexicon,
        80,
        endpoints=("risk.new_phrase", "risk.edit_phrase", "risk.toggle_phrase"),
    )
