"""Monthly roll-ups of usage events.

The dashboard reads these, never the raw event rows, so it stays fast as events
grow, and the monthly figures survive when raw rows are pruned. Like events,
they hold ids and counts only, and have no foreign keys.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db


class UserMonth(db.Model):
    """One person's page views in one calendar month (UTC), grouped into sessions."""

    __tablename__ = "usage_user_months"
    __table_args__ = (Index("ix_usage_user_months_month_team_id", "month", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date]
    # Cleared when the person's account is erased; the counts stay in the figures.
    user_id: Mapped[int | None] = mapped_column(index=True)
    relative: Mapped[bool] = mapped_column(default=False)
    site_id: Mapped[int | None]
    team_id: Mapped[int | None]
    page_views: Mapped[int] = mapped_column(default=0)
    sessions: Mapped[int] = mapped_column(default=0)
    seconds: Mapped[int] = mapped_column(default=0)
    mobile_views: Mapped[int] = mapped_column(default=0)
    tablet_views: Mapped[int] = mapped_column(default=0)
    desktop_views: Mapped[int] = mapped_column(default=0)
    # Views of pages shown in Welsh; the rest were in English.
    welsh_views: Mapped[int] = mapped_column(default=0)
    # Views of forum threads: who read the forum, from page views alone.
    forum_views: Mapped[int] = mapped_column(default=0)


class MonthCount(db.Model):
    """How many events of one name happened in one month, per team, and to how many people."""

    __tablename__ = "usage_month_counts"
    __table_args__ = (Index("ix_usage_month_counts_month_name", "month", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date]
    name: Mapped[str] = mapped_column(String(80))
    site_id: Mapped[int | None]
    team_id: Mapped[int | None]
    events: Mapped[int] = mapped_column(default=0)
    users: Mapped[int] = mapped_column(default=0)


class RollupMonth(db.Model):
    """Which months are rolled up, up to which event, and whether their raw rows are gone."""

    __tablename__ = "usage_rollup_months"

    month: Mapped[date] = mapped_column(primary_key=True)
    refreshed_at: Mapped[datetime]
    last_event_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    events: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), default=0)
    raw_pruned_at: Mapped[datetime | None]


class StaffReminder(db.Model):
    """A reminder emailed to a member of staff who has not invited anyone lately; one a month at most."""

    __tablename__ = "staff_reminders"
    __table_args__ = (db.UniqueConstraint("user_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # "2026-11"
    sent_at: Mapped[datetime]
