"""Crisis information, shown on every page and whenever risk is detected."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import navigation, personal_data
    from react_toolkit.risk import commands, guard, permissions, views  # noqa: F401 - commands adds to the group
    from react_toolkit.risk.highlight import highlight
    from react_toolkit.risk.models import RISK_CATEGORIES

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(guard.JINJA_GLOBALS)
    app.jinja_env.filters["highlight_terms"] = highlight
    app.jinja_env.globals["risk_category_names"] = RISK_CATEGORIES
    # First in line, so that no check before the view (CSRF, rate limits) can refuse unread words.
    app.before_request_funcs.setdefault(None, []).insert(0, guard.read_submission)
    app.after_request(guard.carry_to_next_page)
    navigation.register(
        app,
        _l("Risk list"),
        "risk.list_phrases",
        permissions.can_edit_lexicon,
        80,
        endpoints=("risk.new_phrase", "risk.edit_phrase", "risk.toggle_phrase"),
    )
    # A phrase names the staff member who last changed it; staff accounts are never erased here.
    personal_data.register(app, "risk", tables=("risk_phrases",))
