"""A relative's support-network map, its history, their needs and what they made of matched help.

Private to the relative: no staff page reads these tables. The map never holds contact
details, only a first name or a label the relative chooses.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now


class MapEntry(db.Model):
    """Someone or something in the relative's life, in one of three circles of closeness."""

    __tablename__ = "network_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))  # a key of KINDS
    circle: Mapped[int]  # 1 closest, 2 close, 3 further out
    angle: Mapped[int]  # where on its circle the picture draws it, in degrees
    gives: Mapped[list] = mapped_column(JSON)  # keys of SUPPORT_KINDS
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class MapVersion(db.Model):
    """The whole map as it stood after one change (or after the relative said it was still right)."""

    __tablename__ = "network_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    saved_at: Mapped[datetime] = mapped_column(default=now)
    change: Mapped[str] = mapped_column(String(20))  # added, edited, moved, removed, reviewed
    # [{"id", "label", "kind", "circle", "gives"}], in the order the list shows them.
    entries: Mapped[list] = mapped_column(JSON)


class Needs(db.Model):
    """The relative's answers to the needs and preferences questions: choices only, no free text."""

    __tablename__ = "network_needs"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    helps_most: Mapped[list] = mapped_column(JSON)  # keys of SUPPORT_KINDS
    ways: Mapped[list] = mapped_column(JSON)  # keys of WAYS
    times: Mapped[list] = mapped_column(JSON)  # keys of TIMES
    travel: Mapped[str] = mapped_column(String(20))  # a key of TRAVEL
    interests: Mapped[list] = mapped_column(JSON)  # keys of INTERESTS
    place: Mapped[str] = mapped_column(String(4), default="")  # postcode district or area
    updated_at: Mapped[datetime] = mapped_column(default=now)


class Suggestion(db.Model):
    """A directory entry suggested to the relative, and what they did with it."""

    __tablename__ = "network_suggestions"
    __table_args__ = (UniqueConstraint("user_id", "resource_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    shown_at: Mapped[datetime] = mapped_column(default=now)
    saved_at: Mapped[datetime | None]
    declined_at: Mapped[datetime | None]
    followed_at: Mapped[datetime | None]  # "I contacted them or went"
