"""What trust sign-in holds about a person: which trust identity is linked to their staff account."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.trust_sign_in.models import TrustIdentity


def _identities(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(TrustIdentity).where(TrustIdentity.user_id == user.id))
    return [
        {"provider": row.issuer, "linked": when(row.created_at), "last_used": when(row.last_used_at)}
        for row in rows
    ]


def _erase(user: User) -> None:
    db.session.execute(delete(TrustIdentity).where(TrustIdentity.user_id == user.id))


def init_app(app: Flask) -> None:
    personal_data.register(
        app,
        "trust_sign_in",
        tables=("trust_identities",),
        erase=_erase,
        sections=(
            Section(
                "trust_identities",
                "The trust accounts you sign in with: which provider, when it was linked and last used.",
                26,
                _identities,
            ),
        ),
    )
