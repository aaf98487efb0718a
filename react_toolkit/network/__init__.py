"""The support-network map: who and what supports a relative, what they need, and local help matched to it."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, home, dashboard and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import home, navigation
    from react_toolkit.dashboard import sections
    from react_toolkit.network import figures, permissions, personal_data, services, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    navigation.register(
        app, _l("Support map"), "network.show_map", permissions.can_use_map, 42, blueprints=("network",)
    )
    home.register_card(
        app,
        _l("Your support map"),
        _l("Map who and what supports you, and find local help that fits what is missing."),
        "network.show_map",
        permissions.can_use_map,
        45,
    )
    home.register_panel(
        app,
        "network/_home_review.html",
        lambda user: services.review_due(user) if permissions.can_use_map(user) else None,
        40,
    )
    sections.register(app, "support-map", "network/_dashboard.html", figures.figures, 60)
    personal_data.init_app(app)
