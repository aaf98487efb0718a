"""What the reviews feature holds about a person: page feedback a relative gave, reviews and notes staff recorded."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.modules.models import Module
from react_toolkit.reviews.models import PageFeedback


def _feedback(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(PageFeedback, Module.title)
        .join(Module, Module.id == PageFeedback.module_id)
        .where(PageFeedback.user_id == user.id)
        .order_by(PageFeedback.created_at)
    )
    return [
        {
            "given_at": when(row.created_at),
            "module": title,
            "part": row.section_position,
            "helpful": row.helpful,
            "comment": row.comment,
        }
        for row, title in rows
    ]


def erase(user: User) -> None:
    """Forget a relative's answers and comments on pages.

    Reviews and law-change notes are recorded by staff, who are never erased this way; their
    account link is cleared by the database if the account itself is deleted.
    """
    db.session.execute(delete(PageFeedback).where(PageFeedback.user_id == user.id))


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "reviews",
        tables=("page_feedback", "module_reviews", "law_changes"),
        erase=erase,
        sections=(
            Section(
                "page_feedback",
                "Your answers to 'Was this page helpful?' on module pages, with any comment you added.",
                76,
                _feedback,
            ),
        ),
    )
