"""Trusts (sites), their Early Intervention in Psychosis teams, caseloads and service hours."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register this feature's pages, template globals, navigation and commands."""
    from react_toolkit.auth.permissions import can_manage_staff
    from react_toolkit.core import navigation
    from react_toolkit.organisations import views

    app.register_blueprint(views.bp)
    navigation.register(
        app, "Teams", "organisations.list_sites", can_manage_staff, 60, blueprints=("organisations",)
    )
