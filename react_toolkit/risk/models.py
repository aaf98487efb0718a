"""The risk lexicon, kept as data that moderators and admins can change in the app."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now

RISK_CATEGORIES = {
    "suicide_writer": _l("Suicide: the writer"),
    "suicide_cared_for": _l("Suicide: the person they care for"),
    "self_harm": _l("Self-harm"),
    "harm_to_others": _l("Harm to others"),
    "safeguarding": _l("Safeguarding"),
    "medical_emergency": _l("Medical emergency"),
    "psychosis_danger": _l("Danger from psychosis"),
}
CATEGORIES = {**RISK_CATEGORIES, "allow": _l("Not a risk (ordinary phrase)")}
# Names used before the categories were split; a phrase saved under one of them may mean any of these.
LEGACY_CATEGORIES = {
    "suicide": ("suicide_writer", "suicide_cared_for"),
    "self-harm": ("self_harm",),
    "harm-to-others": ("harm_to_others",),
}
ACTIONS = {
    "flag": _l("Publish, and flag for review"),
    "hold": _l("Hold until a moderator approves"),
    "block": _l("Refuse, with a message to the writer"),
    "allow": _l("Ignore: an everyday phrase that looks like risk"),
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
