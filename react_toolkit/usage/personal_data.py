"""What usage events hold about a person: their ids and visit keys, never text.

Erasure keeps every event, so the counts stay right, but unlinks it from the
person: no user id, no visit key, and no event names them as its object.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import or_, select, update

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import session_hash


def _usage_events(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.execute(
        select(
            UsageEvent.name, UsageEvent.occurred_at, UsageEvent.route, UsageEvent.device, UsageEvent.language
        )
        .where(UsageEvent.user_id == uid)
        .order_by(UsageEvent.occurred_at, UsageEvent.id)
    )
    return [
        {"event": name, "at": when(moment), "page": route, "device": device, "language": language}
        for name, moment, route, device, language in rows
    ]


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


def erase(user: User) -> None:
    """Unlink the person's events, and every event of their visits, from them; the events stay."""
    uid = user.id
    hashes = _session_hashes(user)
    mine = [UsageEvent.user_id == uid]
    if hashes:
        mine.append(UsageEvent.session_hash.in_(hashes))
    db.session.execute(update(UsageEvent).where(or_(*mine)).values(user_id=None, session_hash=None))
    db.session.execute(
        update(UsageEvent)
        .where(UsageEvent.object_type == "user", UsageEvent.object_id == str(uid))
        .values(object_id=None)
    )


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "usage",
        tables=("usage_events",),
        erase=erase,
        sections=(
            Section(
                "usage_events",
                (
                    "A record of the pages you opened and the things you did, which helps the NHS see how the "
                    "toolkit is used. It holds the kind of page, the time, the kind of device and the "
                    "language the page was in, never what you wrote."
                ),
                150,
                _usage_events,
            ),
        ),
    )
