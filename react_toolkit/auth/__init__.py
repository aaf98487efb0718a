"""Accounts, roles, invitations, sessions and passwords."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit import signals
    from react_toolkit.auth import commands, permissions, personal_data, services, sign_in_options, views  # noqa: F401 - commands adds to the group
    from react_toolkit.core import home, navigation

    app.register_blueprint(views.bp)
    views.init_app(app)
    signals.site_settings_changed.connect(services.forget_references_when_turned_off, weak=False)
    app.jinja_env.globals.update(sign_in_options=sign_in_options.offered)
    navigation.register(
        app,
        _l("Invitations"),
        "auth.list_invitations",
        permissions.can_see_invitations,
        50,
        endpoints=(
            "auth.new_invitation",
            "auth.view_invitation",
            "auth.withdraw_invitation",
            "auth.resend_invitation",
            "auth.extend_invitation",
            "auth.invitation_handout",
        ),
    )
    navigation.register(
        app, _l("Staff"), "auth.list_staff", permissions.can_manage_staff, 70, endpoints=("auth.new_staff",)
    )
    home.register_panel(app, "auth/_home_invitations.html", services.home_panel, 40)
    home.register_card(
        app,
        _l("Invite a relative"),
        _l("Send an email, or give them a code to read out or print."),
        "auth.new_invitation",
        permissions.can_invite,
        60,
    )
    home.register_card(
        app,
        _l("Staff accounts"),
        _l("Add staff and see who has which role."),
        "auth.list_staff",
        permissions.can_manage_staff,
        80,
    )
    home.register_card(
        app,
        _l("Your account"),
        _l("Change your password or sign out on other devices."),
        "auth.view_account",
        lambda user: True,
        100,
    )
    personal_data.init_app(app)
