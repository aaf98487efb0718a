"""Trusts (sites), their Early Intervention in Psychosis teams, caseloads and service hours."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.auth.permissions import can_manage_staff
    from react_toolkit.core import home, navigation, personal_data
    from react_toolkit.organisations import views

    app.register_blueprint(views.bp)
    navigation.register(
        app, _l("Teams"), "organisations.list_sites", can_manage_staff, 60, blueprints=("organisations",)
    )
    home.register_card(
        app,
        _l("Teams and caseloads"),
        _l("Keep caseloads, service hours and crisis numbers up to date."),
        "organisations.list_sites",
        can_manage_staff,
        70,
    )
    # A team names the staff member who last set its caseload; staff accounts are never erased here.
    personal_data.register(app, "organisations", tables=("teams",))
