"""Conversations, messages and staff notes, saved replies, and the log of who opened what."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Team
from react_toolkit.timeutil import now

OPEN, WAITING, CLOSED = "open", "waiting", "closed"
STATUS_LABELS = {OPEN: _l("Waiting for us"), WAITING: _l("Waiting for the relative"), CLOSED: _l("Closed")}


class Conversation(db.Model):
    """One thread between a relative and the supporters of one team."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_team_id_status", "team_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    relative_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    subject: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    urgent: Mapped[bool] = mapped_column(default=False)
    # Raised by a forum moderator for the team only: the relative never sees it.
    staff_only: Mapped[bool] = mapped_column(default=False)
    # The forum post such an escalation is about. The forum's id, not a foreign key: the inbox
    # keeps no hold on the forum's tables (posts are never removed, only marked deleted).
    forum_post_id: Mapped[int | None]
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_message_at: Mapped[datetime] = mapped_column(default=now)
    # When the relative's oldest unanswered message arrived; empty when nothing waits for staff.
    waiting_since: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    # Service-hours seconds from the first message to the first staff reply: cheap to aggregate.
    first_response_seconds: Mapped[int | None]
    urgent_since: Mapped[datetime | None]
    overdue_alert_at: Mapped[datetime | None]
    last_auto_reply_at: Mapped[datetime | None]
    relative_read_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    relative: Mapped[User] = relationship(foreign_keys=[relative_id])
    assigned_to: Mapped[User | None] = relationship(foreign_keys=[assigned_to_id])
    team: Mapped[Team] = relationship()


class Message(db.Model):
    """A message, a staff-only note, or an automatic reply. Notes are never shown to relatives."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(10))  # "relative", "staff", "note" or "auto"
    body: Mapped[str] = mapped_column(Text)
    risk: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)

    author: Mapped[User | None] = relationship()


class SavedReply(db.Model):
    """A reply a team keeps for questions it answers often."""

    __tablename__ = "saved_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now)


class ConversationAccess(db.Model):
    """Every time a member of staff opens a conversation: who, which, when, and why for admins."""

    __tablename__ = "conversation_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    opened_at: Mapped[datetime] = mapped_column(default=now)
    reason: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User] = relationship()
