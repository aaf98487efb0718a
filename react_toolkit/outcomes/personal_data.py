"""What the outcomes feature holds about a relative: their wellbeing check-ins."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.outcomes.models import CheckIn


def _check_ins(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.scalars(select(CheckIn).where(CheckIn.user_id == uid).order_by(CheckIn.completed_at))
    return [
        {"completed_at": when(row.completed_at), "answers": row.answers, "total": row.total} for row in rows
    ]


def erase(user: User) -> None:
    """Forget the relative's check-ins: answers about their wellbeing are theirs alone."""
    db.session.execute(delete(CheckIn).where(CheckIn.user_id == user.id))


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "outcomes",
        tables=("wellbeing_checkins",),
        erase=erase,
        sections=(
            Section(
                "wellbeing_check_ins",
                "Your answers to the wellbeing check-in, as scores from 0 to 4.",
                70,
                _check_ins,
            ),
        ),
    )
