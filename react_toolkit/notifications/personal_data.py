"""What the notifications feature holds about a person: their choices, number, quiet hours and notices."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.notifications import services
from react_toolkit.notifications.models import Notice, NotificationChoice


def _notifications(user: Any) -> dict[str, Any]:
    settings = services.settings_of(user)
    choices = db.session.scalars(
        select(NotificationChoice)
        .where(NotificationChoice.user_id == user.id)
        .order_by(NotificationChoice.kind)
    )
    notices = db.session.scalars(select(Notice).where(Notice.user_id == user.id).order_by(Notice.id))
    return {
        "choices": {row.kind: row.channel for row in choices},
        "mobile": settings.mobile if settings else None,
        "quiet_hours": None
        if settings is None or settings.quiet_from is None
        else {"from": settings.quiet_from, "to": settings.quiet_to},
        "last_nudged_at": when(settings.last_nudged_at) if settings else None,
        "notices": [
            {
                "kind": row.kind,
                "by": row.channel,
                "status": row.status,
                "created_at": when(row.created_at),
                "sent_at": when(row.sent_at),
            }
            for row in notices
        ],
    }


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "notifications",
        tables=("notices", "notification_choices", "notification_settings", "notification_unsubscribes"),
        erase=services.erase,
        sections=(
            Section(
                "notifications",
                "How you chose to hear from us (email, text or not at all), your mobile number and quiet "
                "hours, and the notices we sent you: their kind, how and when, but not their words.",
                170,
                _notifications,
            ),
        ),
    )
