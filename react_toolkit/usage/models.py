"""The usage event table: ids, roles, places and times; never free text."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now

SCHEMA_VERSION = 1


class UsageEvent(db.Model):
    """One thing that happened. No foreign keys: events outlive what they describe."""

    __tablename__ = "usage_events"
    __table_args__ = (
        Index("ix_usage_events_name_occurred_at", "name", "occurred_at"),
        Index("ix_usage_events_site_id_team_id", "site_id", "team_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=now, index=True)
    name: Mapped[str] = mapped_column(String(80))
    route: Mapped[str | None] = mapped_column(String(200))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[str | None] = mapped_column(String(80))
    user_id: Mapped[int | None] = mapped_column(index=True)
    roles: Mapped[str] = mapped_column(String(120), default="")
    site_id: Mapped[int | None]
    team_id: Mapped[int | None]
    session_hash: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[int | None] = mapped_column(SmallInteger)
    device: Mapped[str | None] = mapped_column(String(10))
    # The interface language the page was shown in ('en' or 'cy').
    language: Mapped[str | None] = mapped_column(String(8))
    schema_version: Mapped[int] = mapped_column(SmallInteger, default=SCHEMA_VERSION)
