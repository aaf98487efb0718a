"""What the guide holds about a person: when they put the "Start here" panel away."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete

from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.guide.models import StartHereDismissal


def _start_here(user: Any) -> dict[str, Any]:
    row = db.session.get(StartHereDismissal, user.id)
    return {"dismissed_at": when(row.dismissed_at) if row else None}


def erase(user: Any) -> None:
    db.session.execute(delete(StartHereDismissal).where(StartHereDismissal.user_id == user.id))


def init_app(app: Flask) -> None:
    personal_data.register(
        app,
        "guide",
        tables=("start_here_dismissals",),
        erase=erase,
        sections=(
            Section(
                "start_here", "When you put away the 'Start here' panel on your home page.", 145, _start_here
            ),
        ),
    )
