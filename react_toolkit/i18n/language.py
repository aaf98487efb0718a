"""Which language a request is in, and the header's switch to the other one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from flask import has_request_context, request, url_for
from flask_babel import force_locale, get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT = "en"
COOKIE = "react_language"


def select_language() -> str | None:
    """The person's saved choice, else the visitor's cookie, else English (never guessed from the browser)."""
    if not has_request_context():
        return None
    chosen = getattr(current_user, "language", None) if current_user.is_authenticated else None
    chosen = chosen or request.cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else None


def current_language() -> str:
    """'en' or 'cy', for `lang` attributes."""
    return get_locale().language if has_request_context() else DEFAULT


def language_switch() -> Markup:
    """A button that switches to the other language, named in that language, as NHS Wales services do."""
    other = "cy" if current_language() == "en" else "en"
    if request.method == "GET":
        path = request.full_path if request.query_string else request.path
    else:
        # A page shown after a form was sent: go back to the page the form was on.
        referrer = urlsplit(request.referrer or "")
        path = referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return Markup(
        '<form class="react-language" method="post" action="{action}">'
        '<input type="hidden" name="csrf_token" value="{token}">'
        '<input type="hidden" name="next" value="{next}">'
        '<button class="react-language__button" type="submit" name="language" value="{code}" lang="{code}">'
        "{name}</button></form>"
    ).format(
        action=escape(url_for("i18n.choose_language")),
        token=generate_csrf(),
        next=path,
        code=other,
        name=LANGUAGES[other],
    )


@contextmanager
def language_of(person: Any) -> Iterator[None]:
    """Within the block, text is in the person's chosen language: for emails and replies written to them."""
    with force_locale(getattr(person, "language", None) or DEFAULT):
        yield
