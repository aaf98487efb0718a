"""Clinical reviews of modules, changes to the law and guidance they rest on, and readers' feedback."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now


class ModuleReview(db.Model):
    """A clinical review, recorded by the person who did it, of one version (file hash) of a module."""

    __tablename__ = "module_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    # The account that recorded it; the name and registration below stay as the safety record.
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reviewer_name: Mapped[str] = mapped_column(String(200))
    professional_role: Mapped[str] = mapped_column(String(200))
    reviewer_kind: Mapped[str] = mapped_column(String(30))
    registration_body: Mapped[str] = mapped_column(String(20))
    registration_number: Mapped[str] = mapped_column(String(40))
    reviewed_on: Mapped[date]
    module_hash: Mapped[str] = mapped_column(String(64))
    checked: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(default=now)


class LawChange(db.Model):
    """An admin's note that an entry of the law-and-guidance register changed.

    The register itself is shipped data (content/law_register.yaml); every module that depends on
    the entry needs a new review recorded after this note.
    """

    __tablename__ = "law_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_key: Mapped[str] = mapped_column(String(60), index=True)
    changed_on: Mapped[date]
    note: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=now)


class PageFeedback(db.Model):
    """'Was this page helpful?': yes or no, and an optional comment that only content staff read."""

    __tablename__ = "page_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    section_position: Mapped[int | None]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    helpful: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
