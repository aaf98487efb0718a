"""Erasing a relative's account: everything personal goes, shared records stay but name no one.

The users row stays, so the ids in forum posts and conversations still resolve,
but it no longer holds anything that could identify the person. Each feature
erases the person from its own tables (core/personal_data.py); this module
checks the request, asks every feature in turn and commits once, because a
half-erased account would be worse than either state.
"""

from __future__ import annotations

import logging

from flask_babel import gettext as _

from react_toolkit import signals
from react_toolkit.auth.models import User
from react_toolkit.auth.permissions import can_erase_account
from react_toolkit.auth.services import ServiceError, confirm_password
from react_toolkit.core import personal_data
from react_toolkit.extensions import db

log = logging.getLogger(__name__)


def erased_email(user_id: int) -> str:
    """A unique address that can never receive mail (.example is reserved for this)."""
    return f"erased-{user_id}@invalid.example"


def relative_to_erase(user_id: int) -> User | None:
    """The relative an admin asked for, or None for staff, unknown or already erased accounts."""
    user = db.session.get(User, user_id)
    if user is None or not user.is_relative or user.is_staff or user.erased_at is not None:
        return None
    return user


def _check(user: User, by: User | None) -> None:
    if user.is_staff or not user.is_relative:
        raise ServiceError(
            _("Staff accounts cannot be deleted here. Ask an administrator to close the account"), status=403
        )
    if user.erased_at is not None:
        raise ServiceError(_("This account has already been deleted"), status=409)
    if by is not None and not can_erase_account(by, user):
        raise ServiceError(_("You cannot delete this account"), status=403)


def erase_account(user: User, *, by: User | None = None, reason: str = "") -> None:
    """Remove everything personal about a relative in one commit; posts and records stay, anonymous."""
    _check(user, by)
    uid = user.id
    # Announced first, so the event is in the session when usage unlinks this visit's events too.
    signals.account_erased.send(None, object_type="user", object_id=None)
    db.session.flush()
    personal_data.erase_everywhere(user)
    db.session.commit()
    if by is not None and by.id != uid:
        # Ids only: the reason is free text and may name someone, and logs never hold names.
        log.info("Account %s erased by administrator %s", uid, by.id)


def delete_own_account(user: User, password: str) -> None:
    """A relative closes their own account, once they have typed their password again."""
    confirm_password(user, password, "password", _("Your password is not right. Check it and try again"))
    erase_account(user, by=user)


def erase_relative(admin: User, user: User, reason: str) -> None:
    """An administrator erases a relative's account, for example when asked by phone or letter."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why you are deleting this account"), field="reason")
    if len(reason) > 2000:
        raise ServiceError(_("The reason must be 2,000 characters or fewer"), field="reason")
    erase_account(user, by=admin, reason=reason)
