"""What the guide keeps about a person: only when they put the "Start here" panel away."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now


class StartHereDismissal(db.Model):
    """A person said they no longer need the first-visit panel on home."""

    __tablename__ = "start_here_dismissals"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    dismissed_at: Mapped[datetime] = mapped_column(default=now)
