"""Outcome answers: private to the relative, exported only with research consent.

Wellbeing check-ins, the routine questionnaires' answer sets with their time point, the choices a
relative made when the questionnaires were first offered, and the reminders sent.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
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


class MeasureAnswer(db.Model):
    """One completed questionnaire: its answers, total and band, and the time point it counts for."""

    __tablename__ = "measure_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    instrument: Mapped[str] = mapped_column(String(40))
    time_point: Mapped[str] = mapped_column(String(20))
    in_window: Mapped[bool]
    days_since_registration: Mapped[int]
    completed_at: Mapped[datetime] = mapped_column(default=now, index=True)
    # Item key -> the answer's value on the scale. Numbers only; no free text.
    answers: Mapped[dict] = mapped_column(JSON)
    total: Mapped[int]
    band: Mapped[str | None] = mapped_column(String(40))
    safety_answer: Mapped[bool] = mapped_column(default=False)
    team_told: Mapped[bool] = mapped_column(default=False)


class MeasurePreference(db.Model):
    """What a relative chose when the questionnaires were first offered."""

    __tablename__ = "measure_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # May the team be told, in its inbox, when an answer says they have thought of harming themselves?
    tell_team: Mapped[bool] = mapped_column(default=False)
    chosen_at: Mapped[datetime] = mapped_column(default=now)
    # "Not now" to the first offer: home stops offering it; the pages still do.
    baseline_declined_at: Mapped[datetime | None]


class MeasureReminder(db.Model):
    """A reminder sent for one time point: claimed before it is sent, so each goes once."""

    __tablename__ = "measure_reminders"
    __table_args__ = (UniqueConstraint("user_id", "time_point"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    time_point: Mapped[str] = mapped_column(String(20))
    sent_at: Mapped[datetime] = mapped_column(default=now)
