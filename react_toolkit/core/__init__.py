"""Pages that belong to no single feature: home, health check, policies, navigation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the pages of no one feature, the header navigation and the template filters."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import navigation, views
    from react_toolkit.text import render_markdown

    app.register_blueprint(views.bp)
    navigation.register(app, _l("Home"), "core.home", lambda user: True, 0)
    app.jinja_env.globals.update(
        navigation_items=navigation.navigation_items,
        sign_out_form=navigation.sign_out_form,
        rendered_macro=navigation.rendered_macro,
    )
    # Dates are formatted per language by the i18n feature.
    app.jinja_env.filters.update(markdown=render_markdown)
