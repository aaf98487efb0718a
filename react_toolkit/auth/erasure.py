"""Erasing a relative's account: everything personal goes, shared records stay but name no one.

The users row stays, so the ids in forum posts and conversations still resolve,
but it no longer holds anything that could identify the person. Erasure reaches
the tables of every feature, because it has to happen in one transaction: a
half-erased account would be worse than either state.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, func, or_, select, update

from react_toolkit import signals
from react_toolkit.auth.forum_names import ERASED_FORUM_NAME
from react_toolkit.auth.models import AccountToken, Invitation, User, UserSession
from react_toolkit.auth.permissions import can_erase_account
from react_toolkit.auth.services import ServiceError, confirm_password
from react_toolkit.dashboard.models import StaffReminder, UserMonth
from react_toolkit.extensions import db
from react_toolkit.forum.models import Post, PostRevision, Report, Restriction, ThreadReader
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.modules.models import (
    ExerciseAnswer,
    ModuleCompletion,
    SectionProgress,
    ToolboxItem,
)
from react_toolkit.outcomes.models import CheckIn
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import session_hash

log = logging.getLogger(__name__)

REMOVED_MESSAGE = "This message was removed when the writer closed their account."
REMOVED_SUBJECT = "Conversation with a former member"


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
            "Staff accounts cannot be deleted here. Ask an administrator to close the account", status=403
        )
    if user.erased_at is not None:
        raise ServiceError("This account has already been deleted", status=409)
    if by is not None and not can_erase_account(by, user):
        raise ServiceError("You cannot delete this account", status=403)


def _session_hashes(user: User) -> set[str]:
    """The visit keys on this person's events, so that no event can be tied to another by them."""
    hashes = set(
        db.session.scalars(
            select(UsageEvent.session_hash)
            .where(UsageEvent.user_id == user.id, UsageEvent.session_hash.is_not(None))
            .distinct()
        )
    )
    current = session_hash(user.session_token)
    if current:
        hashes.add(current)
    return hashes


def _forget_private_things(uid: int) -> None:
    for model in (
        UserSession,
        AccountToken,
        ExerciseAnswer,
        ToolboxItem,
        SectionProgress,
        ModuleCompletion,
        ThreadReader,
        Restriction,
        CheckIn,
        StaffReminder,
    ):
        db.session.execute(delete(model).where(model.user_id == uid))


def _clear_messages(uid: int) -> None:
    theirs = select(Conversation.id).where(Conversation.relative_id == uid)
    db.session.execute(
        update(Message)
        .where(
            Message.kind == "relative",
            or_(Message.author_id == uid, Message.conversation_id.in_(theirs)),
        )
        .values(body=REMOVED_MESSAGE)
    )
    db.session.execute(
        update(Conversation)
        .where(Conversation.relative_id == uid, ~Conversation.staff_only)
        .values(subject=REMOVED_SUBJECT)
    )


def _clear_forum(uid: int) -> None:
    their_posts = select(Post.id).where(Post.author_id == uid)
    db.session.execute(
        delete(PostRevision).where(or_(PostRevision.post_id.in_(their_posts), PostRevision.editor_id == uid))
    )
    db.session.execute(update(Report).where(Report.reporter_id == uid).values(note=""))


def _clear_usage(uid: int, hashes: set[str]) -> None:
    mine = [UsageEvent.user_id == uid]
    if hashes:
        mine.append(UsageEvent.session_hash.in_(hashes))
    db.session.execute(update(UsageEvent).where(or_(*mine)).values(user_id=None, session_hash=None))
    db.session.execute(
        update(UsageEvent)
        .where(UsageEvent.object_type == "user", UsageEvent.object_id == str(uid))
        .values(object_id=None)
    )
    db.session.execute(update(UserMonth).where(UserMonth.user_id == uid).values(user_id=None))


def _clear_profile(user: User) -> None:
    user.email = erased_email(user.id)
    user.full_name = ""
    user.forum_name = ERASED_FORUM_NAME
    user.forum_name_key = None
    user.password_hash = None
    user.active = False
    user.terms_accepted_at = None
    user.research_consent = False
    user.research_consent_at = None
    user.erased_at = now()


def erase_account(user: User, *, by: User | None = None, reason: str = "") -> None:
    """Remove everything personal about a relative in one commit; posts and records stay, anonymous."""
    _check(user, by)
    uid, email = user.id, user.email
    hashes = _session_hashes(user)
    _forget_private_things(uid)
    _clear_messages(uid)
    _clear_forum(uid)
    db.session.execute(
        update(Invitation)
        .where(or_(Invitation.accepted_by_id == uid, func.lower(Invitation.email) == email.lower()))
        .values(email=None)
    )
    _clear_profile(user)
    signals.account_erased.send(None, object_type="user", object_id=None)
    db.session.flush()
    _clear_usage(uid, hashes)
    db.session.commit()
    if by is not None and by.id != uid:
        # Ids only: the reason is free text and may name someone, and logs never hold names.
        log.info("Account %s erased by administrator %s", uid, by.id)


def delete_own_account(user: User, password: str) -> None:
    """A relative closes their own account, once they have typed their password again."""
    confirm_password(user, password, "password", "Your password is not right. Check it and try again")
    erase_account(user, by=user)


def erase_relative(admin: User, user: User, reason: str) -> None:
    """An administrator erases a relative's account, for example when asked by phone or letter."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("Say why you are deleting this account", field="reason")
    if len(reason) > 2000:
        raise ServiceError("The reason must be 2,000 characters or fewer", field="reason")
    erase_account(user, by=admin, reason=reason)
