"""The directory of help: national organisations shipped as data, and each site's local entries."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import home, navigation, personal_data
    from react_toolkit.modules.permissions import can_read_modules
    from react_toolkit.resources import permissions, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app, _l("Resources"), "resources.list_resources", can_read_modules, 30, blueprints=("resources",)
    )
    home.register_card(
        app,
        _l("Places that can help"),
        _l("Charities, helplines and local services for families."),
        "resources.list_resources",
        lambda user: True,
        50,
    )
    # The change log names the staff member who edited an entry; staff accounts are never erased here.
    personal_data.register(app, "resources", tables=("resource_changes",))
