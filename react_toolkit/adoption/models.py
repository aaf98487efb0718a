"""Staff adoption: module completions, team champions, NoMAD waves and answers, team targets, reflection logs.

NoMAD answers are numbers only and are shown only as team and trust figures with small numbers
suppressed. A reflection log entry is a team's own note of barriers, actions and decisions.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now


class StaffModuleCompletion(db.Model):
    """A member of staff finished one staff learning module."""

    __tablename__ = "staff_module_completions"
    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_slug: Mapped[str] = mapped_column(String(100))
    completed_at: Mapped[datetime] = mapped_column(default=now)


class TeamChampion(db.Model):
    """A member of a team named as its local champion for the toolkit."""

    __tablename__ = "team_champions"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    named_at: Mapped[datetime] = mapped_column(default=now)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class NomadWave(db.Model):
    """One round of the NoMAD survey at a trust: opened and closed by its site lead."""

    __tablename__ = "nomad_waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    opened_at: Mapped[datetime] = mapped_column(default=now)
    closed_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class NomadResponse(db.Model):
    """One person's answers in one wave, with the team they worked in when they answered."""

    __tablename__ = "nomad_responses"
    __table_args__ = (UniqueConstraint("wave_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    wave_id: Mapped[int] = mapped_column(ForeignKey("nomad_waves.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    # Item key -> 1 (strongly disagree) to 5 (strongly agree), or 0 for "not relevant". Numbers only.
    answers: Mapped[dict] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(default=now)


class TeamTarget(db.Model):
    """A team's targets: the share of its caseload to offer the toolkit to, and to see registered."""

    __tablename__ = "team_targets"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    offered_percent: Mapped[int | None]
    registered_percent: Mapped[int | None]
    set_at: Mapped[datetime] = mapped_column(default=now)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ReflectionEntry(db.Model):
    """A dated note in a team's log: a barrier met, an action taken or a decision made."""

    __tablename__ = "team_reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    noted_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now)
