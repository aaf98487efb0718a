"""What the accounts feature holds about a person: the profile, sign-ins, emailed links, invitations.

Erasure empties the users row but keeps it, so the ids in shared records still
resolve and show a former member.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, func, or_, select, update

from react_toolkit.auth import attempts
from react_toolkit.auth.erasure import erased_email
from react_toolkit.auth.forum_names import ERASED_FORUM_NAME
from react_toolkit.auth.models import AccountToken, Invitation, User, UserSession
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.timeutil import now


def _profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "forum_name": user.forum_name,
        "roles": user.role_labels(),
        "trust": user.site.name if user.site else None,
        "team": user.team.name if user.team else None,
        "terms_accepted_at": when(user.terms_accepted_at),
        "language": user.language,
        "research_consent": user.research_consent,
        "research_consent_at": when(user.research_consent_at),
        "created_at": when(user.created_at),
        "first_sign_in_at": when(user.first_login_at),
        "last_sign_in_at": when(user.last_login_at),
        "password_changed_at": when(user.password_changed_at),
    }


def _sign_ins(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == uid).order_by(UserSession.id))
    return [
        {
            "started_at": when(row.created_at),
            "last_seen_at": when(row.last_seen_at),
            "second_factor_at": when(row.second_factor_at),
            "ended_at": when(row.revoked_at),
            "ended_because": row.revoked_reason,
        }
        for row in rows
    ]


def _account_links(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.scalars(
        select(AccountToken).where(AccountToken.user_id == uid).order_by(AccountToken.id)
    )
    return [
        {
            "purpose": row.purpose,
            "sent_at": when(row.created_at),
            "expires_at": when(row.expires_at),
            "used_at": when(row.used_at),
        }
        for row in rows
    ]


def _invitations(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.scalars(
        select(Invitation).where(Invitation.accepted_by_id == uid).order_by(Invitation.id)
    )
    return [
        {
            "team": row.team.name,
            "sent_by": "email" if row.method == "email" else "a code",
            "email": row.email,
            "sent_at": when(row.created_at),
            "accepted_at": when(row.accepted_at),
        }
        for row in rows
    ]


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


def erase(user: User) -> None:
    """Sign the person out, forget their links and their invitations' address, label and reference, empty their profile.

    Their invitations are those they took up or that were sent to their address, with every
    invitation of the same chain of resends (an earlier code sent again holds the same label).
    """
    uid = user.id
    attempts.erase(user.email)
    for model in (UserSession, AccountToken):
        db.session.execute(delete(model).where(model.user_id == uid))
    theirs = or_(Invitation.accepted_by_id == uid, func.lower(Invitation.email) == user.email.lower())
    chains = select(func.coalesce(Invitation.resent_from_id, Invitation.id)).where(theirs)
    db.session.execute(
        update(Invitation)
        .where(or_(theirs, Invitation.id.in_(chains), Invitation.resent_from_id.in_(chains)))
        .values(email=None, label="", record_reference=None)
        .execution_options(synchronize_session=False)
    )
    _clear_profile(user)


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "auth",
        tables=("users", "user_roles", "user_sessions", "account_tokens", "invitations", "failed_attempts"),
        erase=erase,
        sections=(
            Section(
                "profile",
                (
                    "Your account: your email address, your forum name, your NHS trust and team, "
                    "what you agreed to and when, and when you joined and last signed in."
                ),
                0,
                _profile,
            ),
            Section(
                "sign_ins",
                "Each time you signed in on a phone, tablet or computer, and when that ended.",
                10,
                _sign_ins,
            ),
            Section(
                "account_links",
                (
                    "Links we emailed you to set or reset your password, and when each stopped working "
                    "(used_at): when you used it, or when you used another one or changed your password."
                ),
                20,
                _account_links,
            ),
            Section(
                "invitations",
                "The invitation you used to join, and the team that sent it.",
                140,
                _invitations,
            ),
        ),
    )
