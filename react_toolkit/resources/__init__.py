"""The directory of help: national organisations shipped as data, and each site's local entries."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, template globals, navigation and commands."""
    from react_toolkit.core import navigation
    from react_toolkit.modules.permissions import can_read_modules
    from react_toolkit.resources import permissions, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app, "Resources", "resources.list_resources", can_read_modules, 30, blueprints=("resources",)
    )
