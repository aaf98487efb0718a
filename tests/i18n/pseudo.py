"""A pseudo-locale: every translated string comes back wrapped in markers, so untranslated text stands out."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import Flask

OPEN, CLOSE = "⟦", "⟧"


class PseudoTranslations(NullTranslations):
    """Translates every message into itself between ⟦ and ⟧."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)

    def pgettext(self, context: str, message: str) -> str:
        return self.gettext(message)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return self.ngettext(singular, plural, n)

    ugettext, ungettext, upgettext, unpgettext = gettext, ngettext, pgettext, npgettext


def use_pseudo_locale(app: Flask, translations: PseudoTranslations | None = None) -> PseudoTranslations:
    """Serve the pseudo-locale (or the one given) wherever the app would use English."""
    translations = translations or PseudoTranslations()
    domain = app.extensions["babel"].instance.domain_instance
    domain.cache[("en", domain.domain[0])] = translations
    return translations
