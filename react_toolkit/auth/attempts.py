"""The per-account limits on guessing: wrong passwords and wrong second-factor codes.

They are counted in the database, so they hold whatever runs the app: several gunicorn
workers, several hosts, with or without Redis. Flask-Limiter still counts attempts per
network address, where a lost count matters less.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from limits import parse
from sqlalchemy import delete, func, select

from react_toolkit.auth.models import FailedAttempt
from react_toolkit.extensions import db
from react_toolkit.timeutil import now

SIGN_IN = "sign_in"
SECOND_FACTOR = "second_factor"

# The setting that holds each kind's limit, as Flask-Limiter words it ("5 per 15 minutes").
_SETTINGS = {SIGN_IN: "LOGIN_LIMIT_ACCOUNT", SECOND_FACTOR: "SECOND_FACTOR_LIMIT_ACCOUNT"}


def account_key(email: str) -> str:
    """The name attempts are counted under: a keyed hash of the normalised email address."""
    key = current_app.config["SECRET_KEY"].encode()
    value = ("account:" + email.strip().lower()).encode()
    return hmac.new(key, value, hashlib.sha256).hexdigest()


def _limit(kind: str) -> tuple[int, int]:
    item = parse(current_app.config[_SETTINGS[kind]])
    return item.amount, item.get_expiry()


def _since(kind: str) -> datetime:
    _amount, seconds = _limit(kind)
    return now() - timedelta(seconds=seconds)


def is_locked(email: str, kind: str = SIGN_IN) -> bool:
    """True when the account has used up its wrong guesses within the window."""
    amount, _seconds = _limit(kind)
    count = db.session.scalar(
        select(func.count(FailedAttempt.id)).where(
            FailedAttempt.account_key == account_key(email),
            FailedAttempt.kind == kind,
            FailedAttempt.at > _since(kind),
        )
    )
    return (count or 0) >= amount


def record_failure(email: str, kind: str = SIGN_IN) -> None:
    """Count one wrong guess, and forget this account's guesses that are out of the window.

    The caller commits, with whatever else the attempt changed.
    """
    key = account_key(email)
    db.session.execute(
        delete(FailedAttempt).where(
            FailedAttempt.account_key == key, FailedAttempt.kind == kind, FailedAttempt.at <= _since(kind)
        )
    )
    db.session.add(FailedAttempt(account_key=key, kind=kind, at=now()))


def clear(email: str, kind: str = SIGN_IN) -> None:
    """Forget an account's wrong guesses of one kind, after a right one. The caller commits."""
    db.session.execute(
        delete(FailedAttempt).where(
            FailedAttempt.account_key == account_key(email), FailedAttempt.kind == kind
        )
    )


def erase(email: str) -> None:
    """Forget every guess counted for an account that is being erased. The caller commits."""
    db.session.execute(delete(FailedAttempt).where(FailedAttempt.account_key == account_key(email)))
