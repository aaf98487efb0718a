"""Psychoeducation modules: content loaded from Markdown files, reading progress, exercises, toolbox."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import home, navigation
    from react_toolkit.modules import page_parts, permissions, personal_data, services, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals["module_page_parts"] = page_parts.parts
    navigation.register(
        app, _l("Modules"), "modules.list_modules", permissions.can_read_modules, 10, blueprints=("modules",)
    )
    navigation.register(app, _l("My toolbox"), "modules.view_toolbox", permissions.has_personal_space, 40)
    home.register_panel(app, "modules/_home_resume.html", services.resume_panel, 50)
    home.register_card(
        app,
        _l("Modules"),
        _l("Short guides about psychosis, bipolar disorder, treatment, and looking after yourself."),
        "modules.list_modules",
        lambda user: True,
        10,
    )
    home.register_card(
        app,
        _l("My toolbox"),
        _l("The sections, services and notes you have kept. Only you can see it."),
        "modules.view_toolbox",
        permissions.has_personal_space,
        40,
    )
    personal_data.init_app(app)
