"""Wellbeing check-in answers: private to the relative, exported only with research consent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now


class CheckIn(db.Model):
    __tablename__ = "wellbeing_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    completed_at: Mapped[datetime] = mapped_column(default=now, index=True)
    # Item key -> score from 0 to 4. Numbers only; no free text.
    answers: Mapped[dict] = mapped_column(JSON)
    total: Mapped[int]
