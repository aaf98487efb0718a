"""Pages that belong to no single feature: home, health check, policies, navigation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug in the pages of no one feature, the header navigation and the template filters."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import navigation, page_head, views
    from react_toolkit.text import render_markdown

    app.register_blueprint(views.bp)
    navigation.register(app, _l("Home"), "core.home", lambda user: True, 0)
    app.jinja_env.globals.update(
        navigation_items=navigation.navigation_items,
        sign_out_form=navigation.sign_out_form,
        rendered_macro=navigation.rendered_macro,
        footer_items=navigation.footer_items,
        page_head_parts=page_head.parts,
        action_link_icon=_action_link_icon,
    )
    # Dates are formatted per language by the i18n feature.
    app.jinja_env.filters.update(markdown=render_markdown)


def _action_link_icon():
    """The arrow an NHS.UK action link draws before its words, hidden from screen readers."""
    from flask import current_app

    icons = current_app.jinja_env.get_template("nhsuk/macros/icon.jinja").module
    return icons.nhsukIcon("arrow-right-circle")
