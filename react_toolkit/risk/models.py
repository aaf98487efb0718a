"""The risk lexicon, kept as data that moderators and admins can change in the app."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now

RISK_CATEGORIES = {
    "suicide_writer": "Suicide: the writer",
    "suicide_cared_for": "Suicide: the person they care for",
    "self_harm": "Self-harm",
    "harm_to_others": "Harm to others",
    "safeguarding": "Safeguarding",
    "medical_emergency": "Medical emergency",
    "psychosis_danger": "Danger from psychosis",
}
CATEGORIES = {**RISK_CATEGORIES, "allow": "Not a risk (ordinary phrase)"}
# Names used before the categories were split; a phrase saved under one of them may mean any of these.
LEGACY_CATEGORIES = {
    "suicide": ("suicide_writer", "suicide_cared_for"),
    "self-harm": ("self_harm",),
    "harm-to-others": ("harm_to_others",),
}
ACTIONS = {
    "flag": "Publish, and flag for review",
    "hold": "Hold until a moderator approves",
    "block": "Refuse, with a message to the writer",
    "allow": "Ignore: an everyday phrase that looks like risk",
}
SEVERITY = {"allow": 0, "flag": 1, "hold": 2, "block": 3}


def candidate_categories(name: str) -> tuple[str, ...]:
    """The categories a phrase's category name may stand for, most likely first."""
    if name in RISK_CATEGORIES:
        return (name,)
    if name in LEGACY_CATEGORIES:
        return LEGACY_CATEGORIES[name]
    return ("safeguarding", *(c for c in RISK_CATEGORIES if c != "safeguarding"))


class RiskPhrase(db.Model):
    """A phrase to look for. Words ending in * match any ending (kill* matches killing)."""

    __tablename__ = "risk_phrases"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now)
