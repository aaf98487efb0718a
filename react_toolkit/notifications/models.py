"""The outbox and each person's choices about notices.

A notice is written in the same transaction as the change that causes it and delivered later
by the worker (`flask react deliver`). Notices hold links and fixed words, never text that a
person wrote.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from react_toolkit.extensions import db
from react_toolkit.timeutil import now

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


class Notice(db.Model):
    """One message to one address (email or text), or one fan-out job the worker expands."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_status_due_at", "status", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    channel: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    recipient: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # A fan-out job's ids (never text); the worker's expander turns it into notices.
    payload: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    due_at: Mapped[datetime] = mapped_column(default=now)
    # A worker's claim: its name and until when the claim holds; after that another may take it.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    sent_at: Mapped[datetime | None]
    # The kind of error only (an exception's class name or an HTTP status), never an address.
    last_error: Mapped[str | None] = mapped_column(String(120))


class NotificationChoice(db.Model):
    """How one kind of notice reaches one person: email, sms or none."""

    __tablename__ = "notification_choices"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))


class NotificationSettings(db.Model):
    """A person's mobile number for texts, quiet hours and the return nudge."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    mobile: Mapped[str | None] = mapped_column(String(20))
    # Hours of the day in Europe/London; from 22 to 7 wraps past midnight. Both or neither.
    quiet_from: Mapped[int | None]
    quiet_to: Mapped[int | None]
    last_nudged_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)


class UsedUnsubscribe(db.Model):
    """An unsubscribe link that has been used: each works once."""

    __tablename__ = "notification_unsubscribes"

    token_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    used_at: Mapped[datetime] = mapped_column(default=now)


class InvitationReminder(db.Model):
    """The expiry reminder of one invitation: whether staff turned it off, and when it went."""

    __tablename__ = "invitation_reminders"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("invitations.id", ondelete="CASCADE"), primary_key=True
    )
    off: Mapped[bool] = mapped_column(default=False)
    # The mobile number a code went to by text, kept only until the invitation is used or ends.
    mobile: Mapped[str | None] = mapped_column(String(20))
    sent_at: Mapped[datetime | None]
