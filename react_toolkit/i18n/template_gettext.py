"""Gettext for templates that finds the request's catalogue once, not on every string.

Flask-Babel's own template callables look up the request's language and its catalogue again for
each string, through several proxies; a page says a hundred or more strings. These do the same
lookup the first time a language is used in a request and keep the catalogue beside the language
in `g`. A change of language within a request (Flask-Babel's `force_locale`, used for notices in
the reader's language, or `refresh`) replaces the language object, so the catalogue is looked up
again for it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, g, has_app_context
from flask_babel import get_locale, get_translations

_KEY = "_react_catalogue"


def _catalogue() -> Any:
    if not has_app_context():
        return get_translations()
    locale = get_locale()
    kept = g.get(_KEY)
    if kept is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    setattr(g, _KEY, (locale, translations))
    return translations


def gettext(string: str) -> str:
    return _catalogue().ugettext(string)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue().ungettext(singular, plural, n)


def pgettext(context: str, string: str) -> str:
    return _catalogue().upgettext(context, string)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _catalogue().unpgettext(context, singular, plural, n)


def install(app: Flask) -> None:
    """In place of Flask-Babel's callables; the same behaviour, newstyle as before."""
    app.jinja_env.install_gettext_callables(
        gettext=gettext, ngettext=ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
