"""What the dashboard holds about a person: monthly totals of their use, and staff reminders.

Erasure keeps the monthly totals, so the figures stay right, but without the
person's id; a staff reminder is about staff and goes with the relative's
account only if one was ever written for them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import delete, select, update

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.dashboard.models import StaffReminder, UserMonth
from react_toolkit.extensions import db


def _usage_months(user: User) -> list[dict[str, Any]]:
    uid = user.id
    columns = [c for c in UserMonth.__table__.columns if c.key not in ("id", "user_id", "site_id", "team_id")]
    rows = db.session.scalars(select(UserMonth).where(UserMonth.user_id == uid).order_by(UserMonth.month))
    result = []
    for row in rows:
        values = {c.key: getattr(row, c.key) for c in columns}
        result.append({k: when(v) if isinstance(v, date) else v for k, v in values.items()})
    return result


def erase(user: User) -> None:
    """Keep the person's monthly totals without their id, and forget any reminder to them."""
    db.session.execute(delete(StaffReminder).where(StaffReminder.user_id == user.id))
    db.session.execute(update(UserMonth).where(UserMonth.user_id == user.id).values(user_id=None))


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "dashboard",
        tables=("usage_user_months", "staff_reminders"),
        erase=erase,
        sections=(
            Section(
                "usage_months",
                "Monthly totals worked out from that record: pages, visits and time spent.",
                160,
                _usage_months,
            ),
        ),
    )
