"""The export log: who exported what, when, and how many rows. Never the rows themselves."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now


class ExportRecord(db.Model):
    __tablename__ = "export_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when the export was made with the command line.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # usage, progress, outcomes
    format: Mapped[str] = mapped_column(String(10))  # csv, parquet, xapi
    since: Mapped[date | None]
    until: Mapped[date | None]
    rows: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)
