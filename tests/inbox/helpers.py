"""Small helpers shared by the inbox tests: CSRF tokens and page scraping."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import func, select

from react_toolkit.extensions import db
from react_toolkit.inbox import services
from react_toolkit.inbox.models import Conversation, ConversationAccess, Message

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SEEN = re.compile(r'name="seen_up_to" value="(\d+)"')


def token(client: FlaskClient, path: str = "/") -> str:
    """A CSRF token for the client's session (every signed-in page has the sign-out form)."""
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def send(client: FlaskClient, path: str, data: dict, csrf: str | None = None, **kwargs):
    """POST a form with a CSRF token for this client's session."""
    return client.post(path, data={**data, "csrf_token": csrf or token(client)}, **kwargs)


def seen_up_to(html: str) -> int:
    match = SEEN.search(html)
    assert match, "no seen_up_to hidden input on the page"
    return int(match.group(1))


def field_error(html: str, field_id: str) -> str | None:
    """The error message shown next to one field, or None."""
    match = re.search(
        rf'<span class="nhsuk-error-message" id="{field_id}-error">\s*'
        rf'<span class="nhsuk-u-visually-hidden">Error: </span>(.*?)\s*</span>',
        html,
        re.S,
    )
    return match.group(1).strip() if match else None


def textarea_value(html: str, field_id: str) -> str | None:
    match = re.search(rf'<textarea[^>]*\bid="{field_id}"[^>]*>(.*?)</textarea>', html, re.S)
    return match.group(1).strip() if match else None


def input_value(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*\bvalue="([^"]*)"', html)
    return match.group(1) if match else None


def fresh(conversation_id: int) -> Conversation:
    db.session.expire_all()
    return db.session.get(Conversation, conversation_id)


def messages(conversation_id: int, kind: str | None = None) -> list[Message]:
    db.session.expire_all()
    query = select(Message).where(Message.conversation_id == conversation_id)
    if kind:
        query = query.where(Message.kind == kind)
    return list(db.session.scalars(query.order_by(Message.id)))


def access_count(conversation_id: int, user_id: int | None = None) -> int:
    db.session.expire_all()
    query = select(func.count(ConversationAccess.id)).where(
        ConversationAccess.conversation_id == conversation_id
    )
    if user_id is not None:
        query = query.where(ConversationAccess.user_id == user_id)
    return db.session.scalar(query)


def start(user, subject: str, body: str = "We had a difficult week at home.") -> int:
    """A relative starts a conversation through the service, as the new-message page does."""
    conversation, _ = services.start_conversation(user, subject, body)
    return conversation.id
