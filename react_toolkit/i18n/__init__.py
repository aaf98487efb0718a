"""Languages: English and Welsh through Flask-Babel, the switch between them, and dates in each.

The language is the signed-in person's choice (kept on their account), or a signed-out
visitor's (kept in a cookie), or English. Catalogues live in `translations/`; their
compiled `.mo` files are built from the `.po` files when the app starts (beside them, or in a
temporary folder if the code is read-only), so a deployment needs no extra step.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel

from react_toolkit.config import BASE_DIR
from react_toolkit.i18n.catalogues import awaiting_review, compile_catalogues, compiled_directory
from react_toolkit.i18n.formatting import (
    format_date,
    format_datetime,
    format_long_date,
    format_month,
    format_short_month,
    format_short_time,
    format_weekday_date,
)
from react_toolkit.i18n.language import (
    current_language,
    language_of,
    language_switch,
    select_language,
)

__all__ = ["init_app", "language_of"]

TRANSLATIONS = BASE_DIR / "translations"


def init_app(app: Flask) -> None:
    """Compile the catalogues, pick each request's language, and give templates gettext and dates."""
    from react_toolkit.i18n import template_gettext, views

    compiled = compiled_directory(TRANSLATIONS)
    compile_catalogues(TRANSLATIONS, compiled)
    Babel(app, locale_selector=select_language, default_translation_directories=str(compiled))
    template_gettext.install(app)
    app.register_blueprint(views.bp)
    app.jinja_env.filters.update(
        datetime=format_datetime,
        date=format_date,
        month=format_month,
        short_month=format_short_month,
        long_date=format_long_date,
        short_time=format_short_time,
        weekday_date=format_weekday_date,
    )
    app.jinja_env.globals.update(
        language_switch=language_switch,
        current_language=current_language,
        welsh_awaiting_review=lambda: awaiting_review(TRANSLATIONS, "cy"),
    )
