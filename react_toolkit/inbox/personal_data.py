"""What the inbox holds about a relative: their conversations with supporters.

Erasure keeps each conversation and the staff's replies and notes, so the team's
record stays whole, but removes what the relative wrote and the subject line.
Staff columns (assignment, the access log, saved replies) name staff only.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.inbox.models import Conversation, Message

REMOVED_MESSAGE = "This message was removed when the writer closed their account."
REMOVED_SUBJECT = "Conversation with a former member"


def _from(message: Message) -> str:
    if message.kind == "relative":
        return "You"
    if message.kind == "auto":
        return "Automatic reply"
    first_name = message.author.full_name.split(" ")[0] if message.author and message.author.full_name else ""
    return f"Your supporter ({first_name})" if first_name else "Your supporter"


def _conversations(user: User) -> list[dict[str, Any]]:
    uid = user.id
    conversations = db.session.scalars(
        select(Conversation)
        .where(Conversation.relative_id == uid, ~Conversation.staff_only)
        .options(selectinload(Conversation.team))
        .order_by(Conversation.created_at)
    ).all()
    messages: dict[int, list[Message]] = {c.id: [] for c in conversations}
    if messages:
        rows = db.session.scalars(
            select(Message)
            .where(Message.conversation_id.in_(list(messages)), Message.kind != "note")
            .options(selectinload(Message.author))
            .order_by(Message.id)
        )
        for message in rows:
            messages[message.conversation_id].append(message)
    return [
        {
            "subject": conversation.subject,
            "team": conversation.team.name,
            "started_at": when(conversation.created_at),
            "closed_at": when(conversation.closed_at),
            "messages": [
                {"from": _from(m), "sent_at": when(m.created_at), "text": m.body}
                for m in messages[conversation.id]
            ],
        }
        for conversation in conversations
    ]


def erase(user: User) -> None:
    """Replace what the relative wrote, in their conversations and any others, and their subjects."""
    uid = user.id
    theirs = select(Conversation.id).where(Conversation.relative_id == uid)
    db.session.execute(
        update(Message)
        .where(
            Message.kind == "relative",
            or_(Message.author_id == uid, Message.conversation_id.in_(theirs)),
        )
        .values(body=REMOVED_MESSAGE)
    )
    db.session.execute(
        update(Conversation)
        .where(Conversation.relative_id == uid, ~Conversation.staff_only)
        .values(subject=REMOVED_SUBJECT)
    )


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "inbox",
        tables=("conversations", "messages", "conversation_access", "saved_replies"),
        erase=erase,
        sections=(
            Section(
                "conversations",
                (
                    "Your messages with your team's supporters, with their replies and any automatic "
                    "replies. Supporters can also keep short notes for each other; those are kept by the "
                    "service and are not in this file. You can ask the service for them."
                ),
                80,
                _conversations,
            ),
        ),
    )
