"""Accounts, roles, invitations, sessions and passwords."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.auth import commands, permissions, personal_data, views  # noqa: F401 - commands adds to the group
    from react_toolkit.core import navigation

    app.register_blueprint(views.bp)
    views.init_app(app)
    navigation.register(
        app,
        _l("Invitations"),
        "auth.list_invitations",
        permissions.can_see_invitations,
        50,
        endpoints=("auth.new_invitation", "auth.view_invitation", "auth.withdraw_invitation"),
    )
    navigation.register(
        app, _l("Staff"), "auth.list_staff", permissions.can_manage_staff, 70, endpoints=("auth.new_staff",)
    )
    personal_data.init_app(app)
