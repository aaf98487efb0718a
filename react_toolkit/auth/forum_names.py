"""Checks on the name a relative shows in the forum: no contact details, nothing offensive."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from flask_babel import gettext as _

OFFENSIVE_WORDS_FILE = Path(__file__).parent / "data" / "offensive-words.txt"
ALLOWED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._'-]*$")
EMAIL_LIKE = re.compile(
    r"@|\bat\b.*\bdot\b|\.(com|org|net|uk|co|io|nhs)\b|(gmail|hotmail|outlook|yahoo|icloud)",
    re.I,
)
MIN_LENGTH = 3
MAX_LENGTH = 30
# What erased accounts' posts show, and names that would pass for the service or its staff.
ERASED_FORUM_NAME = "Former member"
RESERVED = (ERASED_FORUM_NAME, "Moderator", "Moderators", "Administrator", "Admin", "Supporter", "REACT team")
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})


@cache
def offensive_words() -> tuple[str, ...]:
    lines = OFFENSIVE_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def forum_name_key(name: str) -> str:
    """The form used to keep names unique: case and spacing do not make a new name."""
    return re.sub(r"[\s._'-]+", "", name).lower()


def forum_name_problem(name: str) -> str | None:
    """Why a forum name cannot be used (uniqueness is checked by the service), or None."""
    name = name.strip()
    if len(name) < MIN_LENGTH:
        return _("Your forum name must be at least %(n)s characters long", n=MIN_LENGTH)
    if len(name) > MAX_LENGTH:
        return _("Your forum name must be %(n)s characters or fewer", n=MAX_LENGTH)
    if EMAIL_LIKE.search(name):
        return _("Your forum name must not contain an email address. Other people will see it")
    digits = re.sub(r"\D", "", name)
    if len(digits) >= 6:
        return _("Your forum name must not contain a phone number. Other people will see it")
    if not ALLOWED.match(name):
        return _("Your forum name can only use letters, numbers, spaces, full stops, hyphens and apostrophes")
    if forum_name_key(name) in {forum_name_key(reserved) for reserved in RESERVED}:
        return _("Choose a different forum name. This one is kept for the service's own use")
    squashed = forum_name_key(name).translate(_LEET)
    if any(word in squashed for word in offensive_words()):
        return _("Choose a different forum name. This one may upset other people")
    return None
