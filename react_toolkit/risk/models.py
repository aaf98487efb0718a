"""The risk lexicon, kept as data that moderators and admins can change in the app."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now

CATEGORIES = {
    "suicide": _l("Suicide"),
    "self-harm": _l("Self-harm"),
    "harm-to-others": _l("Harm to others"),
    "safeguarding": _l("Safeguarding"),
    "allow": _l("Not a risk (ordinary phrase)"),
}
ACTIONS = {
    "flag": _l("Publish, and flag for review"),
    "hold": _l("Hold until a moderator approves"),
    "block": _l("Refuse, with a message to the writer"),
    "allow": _l("Ignore: an everyday phrase that looks like risk"),
}
SEVERITY = {"allow": 0, "flag": 1, "hold": 2, "block": 3}


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
