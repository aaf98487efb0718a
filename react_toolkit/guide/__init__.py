"""Guidance for someone new: the "Start here" panel on home, the help and about pages, and the
installable web app with its offline reading of module sections."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, home panel, footer links, page head and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import home, navigation, page_head
    from react_toolkit.guide import personal_data, services, views
    from react_toolkit.modules import page_parts
    from react_toolkit.second_factor.views import also_open

    app.register_blueprint(views.bp)
    home.register_panel(app, "guide/_start_here.html", services.start_here_panel, 10)
    navigation.register_footer_link(app, _l("Help"), "guide.view_help", 5)
    navigation.register_footer_link(app, _l("About this service"), "guide.view_about", 6)
    page_head.register(app, "guide/_head.html")
    also_open(app, "guide.view_help", "guide.view_about", "guide.service_worker", "guide.manifest")
    page_parts.register(app, "guide/_listen.html")
    personal_data.init_app(app)
