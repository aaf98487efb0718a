"""Password hashing (argon2id) and the password rules.

The rules follow current NCSC and NIST advice: at least 8 characters, long
passwords welcome, no composition rules, and the commonest passwords refused.
The list of common passwords is the one Django ships (BSD licence), which in turn
comes from a list compiled by Royce Williams.
"""

from __future__ import annotations

import gzip
import secrets
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app
from flask_babel import gettext as _

MIN_LENGTH = 8
MAX_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).parent / "data" / "common-passwords.txt.gz"

_standard = PasswordHasher(type=Type.ID)
# For the test suite only: the cheapest parameters argon2id accepts.
_fast = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)


def _hasher() -> PasswordHasher:
    return _fast if current_app.config.get("ARGON2_FAST") else _standard


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@cache
def _stand_in(hasher: PasswordHasher) -> str:
    """A hash of a random password, made once per process with the hasher's own parameters."""
    return hasher.hash(secrets.token_urlsafe(32))


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches.

    With no hash (no account, or one without a password) the password is checked against a
    stand-in hash instead, so every answer costs one check: the time taken cannot tell anyone
    whether the account exists.
    """
    hasher = _hasher()
    try:
        if not password_hash:
            hasher.verify(_stand_in(hasher), password)
            return False
        return hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip().lower() for line in handle if line.strip())


def password_problem(password: str, *, email: str = "", forum_name: str = "") -> str | None:
    """The reason a new password is refused, in words for the person, or None."""
    if len(password) < MIN_LENGTH:
        return _("Your password must be at least %(n)s characters long", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Your password must be %(n)s characters or fewer", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords():
        return _("This password is too common and easy to guess. Choose another one")
    personal = {email.lower(), email.lower().split("@")[0], forum_name.lower()} - {""}
    if lowered in personal:
        return _("Your password must not be your email address or forum name")
    return None
