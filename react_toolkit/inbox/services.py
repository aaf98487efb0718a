"""Use cases for the supporter inbox. Each action commits once; events carry ids, never text."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from statistics import median
from typing import Any

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import selectinload

from react_toolkit import signals
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import User, UserRole
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.i18n import language_of
from react_toolkit.inbox.models import (
    CLOSED,
    OPEN,
    WAITING,
    Conversation,
    ConversationAccess,
    Message,
    SavedReply,
)
from react_toolkit.inbox.permissions import is_supporter
from react_toolkit.notifications import services as notifications
from react_toolkit.organisations.hours import holidays_between, is_open, next_opening, service_seconds
from react_toolkit.organisations.models import Team
from react_toolkit.risk.services import check_text
from react_toolkit.timeutil import now

log = logging.getLogger(__name__)

SUBJECT_MAX = 200
BODY_MAX = 10000
PRESENCE_MINUTES = 10
AUTO_REPLY_EVERY = timedelta(hours=24)
FORUM_POST_READER = "inbox.forum_post_reader"
FILTERS = ("unassigned", "mine", "urgent", "waiting_for_us", "waiting_for_relative", "closed")


class InboxError(Refusal):
    """Refused by this feature's rules."""


@dataclass
class Sent:
    message: Message
    risk: bool


def _check(body: str, field: str = "body") -> str:
    body = (body or "").strip()
    if not body:
        raise InboxError(_("Write your message"), field)
    if len(body) > BODY_MAX:
        raise InboxError(
            _("Your message must be %(body_max)s characters or fewer", body_max=f"{BODY_MAX:,}"), field
        )
    return body


# Teams -----------------------------------------------------------------------------


def team_for_relative(user: User) -> Team | None:
    """The relative's own team, or the national supporter team for those who came without one."""
    if user.team_id:
        return user.team
    return db.session.scalar(select(Team).where(Team.national).limit(1))


def supporter_team_ids(user: User) -> set[int]:
    """A supporter's team, or every team at their site when they work across it."""
    if not is_supporter(user):
        return set()
    if user.team_id:
        return {user.team_id}
    return set(db.session.scalars(select(Team.id).where(Team.site_id == user.site_id)))


def team_supporters(team_id: int) -> list[User]:
    supporter_ids = select(UserRole.user_id).where(UserRole.role == R.SUPPORTER)
    team = db.session.get(Team, team_id)
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.id.in_(supporter_ids),
                User.active,
                or_(User.team_id == team_id, and_(User.team_id.is_(None), User.site_id == team.site_id)),
            )
            .order_by(User.full_name)
        )
    )


# Looking up conversations (always filtered by who is asking) --------------------------


def relative_conversation(user: User, conversation_id: int) -> Conversation | None:
    return db.session.scalar(
        select(Conversation).where(
            Conversation.id == conversation_id, Conversation.relative_id == user.id, ~Conversation.staff_only
        )
    )


def staff_conversation(user: User, conversation_id: int) -> Conversation | None:
    team_ids = supporter_team_ids(user)
    if not team_ids:
        return None
    return db.session.scalar(
        select(Conversation).where(Conversation.id == conversation_id, Conversation.team_id.in_(team_ids))
    )


def any_conversation(conversation_id: int) -> Conversation | None:
    """For an admin who has recorded a reason; never used without one."""
    return db.session.get(Conversation, conversation_id)


def other_conversations(user: User, conversation: Conversation, limit: int = 20) -> list[Conversation]:
    """The relative's other conversations and escalations with this team, newest first, for its supporters."""
    team_ids = supporter_team_ids(user)
    if conversation.team_id not in team_ids:
        return []
    return list(
        db.session.scalars(
            select(Conversation)
            .where(
                Conversation.relative_id == conversation.relative_id,
                Conversation.team_id == conversation.team_id,
                Conversation.team_id.in_(team_ids),
                Conversation.id != conversation.id,
            )
            .order_by(Conversation.last_message_at.desc(), Conversation.id.desc())
            .limit(limit)
        )
    )


def relative_conversations(user: User) -> list[tuple[Conversation, int]]:
    """The relative's conversations with how many staff replies they have not read."""
    unread = (
        select(func.count(Message.id))
        .where(
            Message.conversation_id == Conversation.id,
            Message.kind.in_(("staff", "auto")),
            or_(Conversation.relative_read_at.is_(None), Message.created_at > Conversation.relative_read_at),
        )
        .correlate(Conversation)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Conversation, unread)
        .where(Conversation.relative_id == user.id, ~Conversation.staff_only)
        .order_by(Conversation.last_message_at.desc())
    ).all()
    return [(conversation, count) for conversation, count in rows]


def _unread_staff_messages():
    """Staff and automatic replies a relative has not read yet, in conversations they can see."""
    return (
        select(Message.conversation_id, func.count(Message.id).label("unread"))
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            ~Conversation.staff_only,
            Message.kind.in_(("staff", "auto")),
            or_(Conversation.relative_read_at.is_(None), Message.created_at > Conversation.relative_read_at),
        )
        .group_by(Message.conversation_id)
    )


def unread_replies(user: User) -> int:
    """How many staff replies the relative has not read yet, across their conversations."""
    if not getattr(user, "is_authenticated", False) or not user.is_relative:
        return 0
    return db.session.scalar(_unread_total(), {"relative_id": user.id})


@cache
def _unread_total():
    # Built once: the header asks on every page, and building the statement cost more than running it.
    counted = _unread_staff_messages().where(Conversation.relative_id == bindparam("relative_id")).subquery()
    return select(func.coalesce(func.sum(counted.c.unread), 0))


@cache
def _unread_by_conversation():
    return (
        _unread_staff_messages()
        .add_columns(func.max(Conversation.last_message_at).label("latest"))
        .where(Conversation.relative_id == bindparam("relative_id"))
        .order_by(func.max(Conversation.last_message_at).desc())
    )


def reply_panel(user: User) -> dict | None:
    """Home's "you have a reply" panel: how many replies wait, or None when none does."""
    if not user.is_relative:
        return None
    rows = db.session.execute(_unread_by_conversation(), {"relative_id": user.id}).all()
    if not rows:
        return None
    return {"replies": sum(row.unread for row in rows), "conversation_id": rows[0].conversation_id}


def messages_for(conversation: Conversation, include_notes: bool) -> list[Message]:
    """Messages in order; staff notes only when the reader is staff."""
    query = (
        select(Message)
        .where(Message.conversation_id == conversation.id)
        .options(selectinload(Message.author))
    )
    if not include_notes:
        query = query.where(Message.kind != "note")
    return list(db.session.scalars(query.order_by(Message.id)))


def latest_visible_id(conversation: Conversation) -> int:
    """The newest message a reply should have seen (relative messages, replies, automatic replies)."""
    return db.session.scalar(
        select(func.coalesce(func.max(Message.id), 0)).where(
            Message.conversation_id == conversation.id, Message.kind != "note"
        )
    )


# Relatives ---------------------------------------------------------------------------


def _auto_reply_if_closed(conversation: Conversation, moment: datetime) -> None:
    team = conversation.team
    if is_open(team, moment):
        return
    if conversation.last_auto_reply_at and moment - conversation.last_auto_reply_at < AUTO_REPLY_EVERY:
        return
    opening = next_opening(team, moment)
    crisis_tel = "".join(ch for ch in team.crisis_phone if ch.isdigit() or ch == "+")
    with language_of(conversation.relative):
        body = render_template("inbox/auto_reply.txt", team=team, opening=opening, crisis_tel=crisis_tel)
    db.session.add(Message(conversation_id=conversation.id, kind="auto", body=body, created_at=moment))
    conversation.last_auto_reply_at = moment
    signals.inbox_auto_replied.send(None, object_type="conversation", object_id=conversation.id)


def _relative_message(user: User, conversation: Conversation, body: str, moment: datetime) -> Sent:
    risk = check_text(body).is_risk
    message = Message(
        conversation_id=conversation.id,
        author_id=user.id,
        kind="relative",
        body=body,
        risk=risk,
        created_at=moment,
    )
    db.session.add(message)
    conversation.last_message_at = moment
    conversation.waiting_since = conversation.waiting_since or moment
    if conversation.status != OPEN:
        conversation.status = OPEN  # reopened automatically when the relative writes
        conversation.closed_at = None
    if risk and not conversation.urgent:
        conversation.urgent = True
        conversation.urgent_since = moment
        conversation.overdue_alert_at = None
    conversation.relative_read_at = moment
    db.session.flush()
    signals.inbox_message_sent.send(user, object_type="conversation", object_id=conversation.id)
    _auto_reply_if_closed(conversation, moment)
    return Sent(message, risk)


def start_conversation(user: User, subject: str, body: str) -> tuple[Conversation, Sent]:
    """A relative writes to their team's supporters."""
    subject = (subject or "").strip()
    if not subject:
        raise InboxError(_("Give your message a subject, in a few words"), "subject")
    if len(subject) > SUBJECT_MAX:
        raise InboxError(
            _("The subject must be %(subject_max)s characters or fewer", subject_max=SUBJECT_MAX), "subject"
        )
    body = _check(body)
    team = team_for_relative(user)
    if team is None:
        raise InboxError(
            _(
                "There is no supporter team to write to yet. Please use the crisis contacts if you need help now"
            )
        )
    moment = now()
    conversation = Conversation(
        relative_id=user.id, team_id=team.id, subject=subject, created_at=moment, last_message_at=moment
    )
    db.session.add(conversation)
    db.session.flush()
    sent = _relative_message(user, conversation, body, moment)
    if check_text(subject).is_risk and not conversation.urgent:
        conversation.urgent, conversation.urgent_since = True, moment
        sent = Sent(sent.message, True)
    _notify_team(conversation, new=True)
    db.session.commit()
    return conversation, sent


def relative_reply(user: User, conversation: Conversation, body: str) -> Sent:
    sent = _relative_message(user, conversation, _check(body), now())
    if sent.risk:
        _notify_team(conversation, new=False)
    db.session.commit()
    return sent


def mark_read_by_relative(user: User, conversation: Conversation) -> None:
    conversation.relative_read_at = now()
    signals.inbox_conversation_read.send(user, object_type="conversation", object_id=conversation.id)
    db.session.commit()


def _notify_team(conversation: Conversation, new: bool) -> None:
    config = current_app.config
    link = f"{config['BASE_URL']}/inbox/{conversation.id}"
    for supporter in team_supporters(conversation.team_id):
        with language_of(supporter):
            notifications.enqueue(
                "inbox.urgent" if conversation.urgent else "inbox.team_notice",
                user=supporter,
                subject=_("Urgent: A relative has written to your team")
                if conversation.urgent
                else _("A relative has written to your team"),
                body=render_template(
                    "inbox/email/team_notice.txt", link=link, urgent=conversation.urgent, new=new
                ),
            )


# Staff -------------------------------------------------------------------------------------


class StaleReply(InboxError):
    pass


def record_access(user: User, conversation: Conversation, reason: str = "") -> None:
    """Log that a member of staff opened this conversation (site leads can review the log)."""
    db.session.add(
        ConversationAccess(
            conversation_id=conversation.id,
            user_id=user.id,
            team_id=conversation.team_id,
            site_id=conversation.team.site_id,
            reason=reason.strip(),
        )
    )
    signals.inbox_conversation_read.send(user, object_type="conversation", object_id=conversation.id)
    db.session.commit()


def others_here(user: User, conversation: Conversation) -> list[User]:
    """Colleagues who opened this conversation in the last few minutes and may be replying."""
    since = now() - timedelta(minutes=PRESENCE_MINUTES)
    ids = db.session.scalars(
        select(ConversationAccess.user_id)
        .where(
            ConversationAccess.conversation_id == conversation.id,
            ConversationAccess.opened_at >= since,
            ConversationAccess.user_id != user.id,
        )
        .distinct()
    ).all()
    return list(db.session.scalars(select(User).where(User.id.in_(ids)))) if ids else []


def staff_reply(user: User, conversation: Conversation, body: str, seen_up_to: int) -> Message:
    """Send a reply, unless something newer arrived since the page was loaded."""
    if conversation.staff_only:
        # The relative cannot see this conversation: a reply would tell them of words they cannot read.
        raise InboxError(
            _("The relative cannot see this conversation. Add a note for your team instead"),
            "body",
            status=403,
        )
    body = _check(body)
    if latest_visible_id(conversation) > seen_up_to:
        raise StaleReply(
            _(
                "A new message arrived while you were writing. Read it first: your reply has not been sent "
                "and is still in the box below"
            ),
            "body",
            status=409,
        )
    moment = now()
    message = Message(
        conversation_id=conversation.id, author_id=user.id, kind="staff", body=body, created_at=moment
    )
    db.session.add(message)
    if conversation.first_response_at is None:
        conversation.first_response_at = moment
        conversation.first_response_seconds = service_seconds(
            conversation.team, conversation.created_at, moment
        )
    conversation.waiting_since = None
    conversation.last_message_at = moment
    conversation.overdue_alert_at = None
    if conversation.status == OPEN:
        conversation.status = WAITING
    if conversation.assigned_to_id is None:
        conversation.assigned_to_id = user.id
    db.session.flush()
    signals.inbox_message_sent.send(user, object_type="conversation", object_id=conversation.id)
    _tell_relative(conversation.relative, conversation.id)
    db.session.commit()
    return message


def _tell_relative(relative: User, conversation_id: int) -> None:
    """A notice to the relative that their team has written; never what was written."""
    config = current_app.config
    with language_of(relative):
        notifications.enqueue(
            "inbox.reply",
            user=relative,
            subject=_("You have a new message on the %(service)s", service=config["SERVICE_NAME"]),
            body=render_template(
                "inbox/email/new_reply.txt", link=f"{config['BASE_URL']}/messages/{conversation_id}"
            ),
        )


def add_note(user: User, conversation: Conversation, body: str) -> Message:
    """A note for the team only; the relative never sees it."""
    note = Message(conversation_id=conversation.id, author_id=user.id, kind="note", body=_check(body, "note"))
    db.session.add(note)
    db.session.flush()
    signals.inbox_note_added.send(user, object_type="conversation", object_id=conversation.id)
    db.session.commit()
    return note


def assign(user: User, conversation: Conversation, assignee_id: int | None) -> None:
    if assignee_id is not None and assignee_id not in {s.id for s in team_supporters(conversation.team_id)}:
        raise InboxError(_("Choose a supporter from this team"), "assignee")
    conversation.assigned_to_id = assignee_id
    signals.inbox_conversation_assigned.send(user, object_type="conversation", object_id=conversation.id)
    db.session.commit()


def set_status(user: User, conversation: Conversation, status: str) -> None:
    if status not in (OPEN, WAITING, CLOSED):
        raise InboxError(_("Choose a status"), "status")
    conversation.status = status
    conversation.closed_at = now() if status == CLOSED else None
    if status == CLOSED:
        conversation.waiting_since = None
        signals.inbox_conversation_closed.send(user, object_type="conversation", object_id=conversation.id)
    db.session.commit()


def set_urgent(user: User, conversation: Conversation, urgent: bool) -> None:
    conversation.urgent = urgent
    conversation.urgent_since = now() if urgent else None
    conversation.overdue_alert_at = None
    db.session.commit()


def waiting_seconds(
    conversation: Conversation, moment: datetime | None = None, holidays: set | None = None
) -> int:
    if conversation.waiting_since is None:
        return 0
    return service_seconds(conversation.team, conversation.waiting_since, moment or now(), holidays)


def is_overdue(
    conversation: Conversation, moment: datetime | None = None, holidays: set | None = None
) -> bool:
    """Urgent and waiting longer than the limit, counted in service hours."""
    limit = current_app.config["URGENT_REPLY_MINUTES"] * 60
    return bool(
        conversation.urgent
        and conversation.waiting_since
        and waiting_seconds(conversation, moment, holidays) > limit
    )


def holidays_for(conversations: list[Conversation], moment: datetime) -> set:
    """Bank holidays covering every waiting conversation, fetched once for a whole list."""
    waiting = [c.waiting_since for c in conversations if c.waiting_since]
    if not waiting:
        return set()
    return holidays_between(min(waiting).date() - timedelta(days=1), moment.date() + timedelta(days=1))


def _filter(query, name: str, user: User):
    if name == "unassigned":
        return query.where(Conversation.assigned_to_id.is_(None), Conversation.status != CLOSED)
    if name == "mine":
        return query.where(Conversation.assigned_to_id == user.id, Conversation.status != CLOSED)
    if name == "urgent":
        return query.where(Conversation.urgent, Conversation.status != CLOSED)
    if name == "waiting_for_us":
        return query.where(Conversation.status == OPEN)
    if name == "waiting_for_relative":
        return query.where(Conversation.status == WAITING)
    if name == "closed":
        return query.where(Conversation.status == CLOSED)
    return query.where(Conversation.status != CLOSED)


def team_inbox(user: User, name: str) -> tuple[list[Conversation], dict[str, int]]:
    """The team's conversations for one filter, urgent first, and the count for every filter."""
    team_ids = supporter_team_ids(user)
    base = select(Conversation).where(Conversation.team_id.in_(team_ids))
    conversations = list(
        db.session.scalars(
            _filter(base, name, user)
            .options(selectinload(Conversation.assigned_to), selectinload(Conversation.team))
            .order_by(
                Conversation.urgent.desc(),
                Conversation.waiting_since.is_(None),
                Conversation.waiting_since,
                Conversation.last_message_at.desc(),
            )
            .limit(200)
        )
    )
    # Closed conversations pile up over the years: they are only counted, from the (team, status)
    # index, while the figures that look inside a conversation read the ones still in hand.
    in_team = Conversation.team_id.in_(team_ids)
    row = db.session.execute(
        select(
            func.sum(case((Conversation.assigned_to_id.is_(None), 1), else_=0)),
            func.sum(case((Conversation.assigned_to_id == user.id, 1), else_=0)),
            func.sum(case((Conversation.urgent, 1), else_=0)),
            func.sum(case((Conversation.status == OPEN, 1), else_=0)),
            func.sum(case((Conversation.status == WAITING, 1), else_=0)),
        ).where(in_team, Conversation.status.in_((OPEN, WAITING)))
    ).one()
    closed = db.session.scalar(select(func.count()).where(in_team, Conversation.status == CLOSED))
    counts = {name: int(value or 0) for name, value in zip(FILTERS, (*row, closed), strict=True)}
    return conversations, counts


def send_overdue_alerts() -> int:
    """Email the team about urgent conversations waiting past the limit, once each, however many hosts run it."""
    moment = now()
    waiting = db.session.scalars(
        select(Conversation).where(
            Conversation.urgent,
            Conversation.waiting_since.is_not(None),
            Conversation.overdue_alert_at.is_(None),
            Conversation.status != CLOSED,
        )
    ).all()
    due = [(c.id, c.team_id) for c in waiting if is_overdue(c, moment)]
    sent = 0
    config = current_app.config
    for conversation_id, team_id in due:
        # Claim the alert: only one host's UPDATE still finds it unsent. Its notices commit with
        # the claim, and the outbox worker sends them.
        claimed = db.session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id, Conversation.overdue_alert_at.is_(None))
            .values(overdue_alert_at=moment)
            .execution_options(synchronize_session=False)
        ).rowcount
        if not claimed:
            db.session.rollback()
            continue
        for supporter in team_supporters(team_id):
            with language_of(supporter):
                notifications.enqueue(
                    "inbox.overdue",
                    user=supporter,
                    subject=_("Overdue: an urgent message is waiting for your team"),
                    body=render_template(
                        "inbox/email/overdue.txt",
                        link=f"{config['BASE_URL']}/inbox/{conversation_id}",
                        minutes=config["URGENT_REPLY_MINUTES"],
                    ),
                )
        db.session.commit()
        sent += 1
    return sent


# Saved replies ------------------------------------------------------------------------------


def saved_replies(user: User) -> list[SavedReply]:
    return list(
        db.session.scalars(
            select(SavedReply)
            .where(SavedReply.team_id.in_(supporter_team_ids(user)))
            .order_by(SavedReply.title)
        )
    )


def saved_reply(user: User, reply_id: int) -> SavedReply | None:
    return db.session.scalar(
        select(SavedReply).where(SavedReply.id == reply_id, SavedReply.team_id.in_(supporter_team_ids(user)))
    )


def save_reply(user: User, reply: SavedReply | None, title: str, body: str) -> SavedReply:
    title = (title or "").strip()
    if not title:
        raise InboxError(_("Give the saved reply a short title"), "title")
    body = _check(body)
    if reply is None:
        team_id = user.team_id or min(supporter_team_ids(user))
        reply = SavedReply(team_id=team_id)
        db.session.add(reply)
    reply.title, reply.body, reply.updated_by_id, reply.updated_at = title[:120], body, user.id, now()
    db.session.commit()
    return reply


def delete_reply(user: User, reply: SavedReply) -> None:
    db.session.delete(reply)
    db.session.commit()


# Figures for site leads (no message text) ------------------------------------------------------


@dataclass
class TeamFigures:
    team: Team
    open: int
    waiting_for_us: int
    urgent: int
    total: int
    median_first_response_minutes: float | None
    p90_first_response_minutes: float | None


def _percentile(values: list[int], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index] / 60


def team_figures(user: User) -> list[TeamFigures]:
    query = select(Team).order_by(Team.name)
    if not user.has_role(R.ADMIN):
        query = query.where(Team.site_id == user.site_id)
    teams = list(db.session.scalars(query))
    ids = [team.id for team in teams]
    counts = {
        team_id: (o, w, u, t)
        for team_id, o, w, u, t in db.session.execute(
            select(
                Conversation.team_id,
                func.sum(case((Conversation.status != CLOSED, 1), else_=0)),
                func.sum(case((Conversation.status == OPEN, 1), else_=0)),
                func.sum(case((and_(Conversation.urgent, Conversation.status != CLOSED), 1), else_=0)),
                func.count(Conversation.id),
            )
            .where(Conversation.team_id.in_(ids))
            .group_by(Conversation.team_id)
        )
    }
    responses: dict[int, list[int]] = {}
    for team_id, seconds in db.session.execute(
        select(Conversation.team_id, Conversation.first_response_seconds).where(
            Conversation.team_id.in_(ids), Conversation.first_response_seconds.is_not(None)
        )
    ):
        responses.setdefault(team_id, []).append(seconds)
    figures = []
    for team in teams:
        o, w, u, t = (int(v or 0) for v in counts.get(team.id, (0, 0, 0, 0)))
        values = responses.get(team.id, [])
        figures.append(
            TeamFigures(team, o, w, u, t, median(values) / 60 if values else None, _percentile(values, 0.9))
        )
    return figures


def access_log(user: User, limit: int = 300) -> list[ConversationAccess]:
    query = select(ConversationAccess).options(selectinload(ConversationAccess.user))
    if not user.has_role(R.ADMIN):
        query = query.where(ConversationAccess.site_id == user.site_id)
    return list(db.session.scalars(query.order_by(ConversationAccess.opened_at.desc()).limit(limit)))


# From the forum ------------------------------------------------------------------------------


def _forum_team(member: User) -> Team:
    team = team_for_relative(member)
    if team is None:
        raise InboxError(_("This member has no team and there is no national supporter team to pass this to"))
    return team


def _quoted(text: str) -> str:
    """Text as a Markdown blockquote, every line of it, blank lines included."""
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def read_forum_posts_with(app: Flask, reader: Callable[[int], Any]) -> None:
    """The forum plugs in how to read one post with the posts around it; the inbox imports nothing of it."""
    app.extensions[FORUM_POST_READER] = reader


def escalated_post(conversation: Conversation) -> Any | None:
    """The forum post an escalation is about, with its thread title and the posts around it; None if none."""
    reader = current_app.extensions.get(FORUM_POST_READER)
    if reader is None or conversation.forum_post_id is None:
        return None
    return reader(conversation.forum_post_id)


def escalate_from_forum(moderator: User, member: User, post_id: int, post_text: str, reason: str) -> int:
    """A moderator's concern about a member, as an urgent staff-only note in their team's inbox.

    The note quotes the post as it was passed on, and links to a page where the team can read it
    with the posts around it: they cannot open the moderation pages.
    """
    team = _forum_team(member)
    moment = now()
    conversation = Conversation(
        relative_id=member.id,
        team_id=team.id,
        staff_only=True,
        urgent=True,
        urgent_since=moment,
        subject=_("A forum moderator is worried about this member"),
        created_at=moment,
        last_message_at=moment,
        waiting_since=moment,
        forum_post_id=post_id,
    )
    db.session.add(conversation)
    db.session.flush()
    link = _("Read the post with the posts around it")
    body = "\n\n".join(
        (
            reason,
            _("What they wrote in the forum:"),
            _quoted(post_text),
            f"[{link}](/inbox/{conversation.id}/forum-post)",
        )
    )
    db.session.add(
        Message(
            conversation_id=conversation.id, author_id=moderator.id, kind="note", body=body, created_at=moment
        )
    )
    signals.inbox_note_added.send(moderator, object_type="conversation", object_id=conversation.id)
    db.session.flush()
    _notify_team(conversation, new=True)
    return conversation.id


def add_staff_notice(relative: User, subject: str, body: str) -> int:
    """Another feature's urgent notice about a relative, for their team's supporters only.

    It is a staff-only conversation the relative never sees, with the body as a note; the team
    is emailed as for any urgent conversation. The caller commits.
    """
    team = _forum_team(relative)
    moment = now()
    conversation = Conversation(
        relative_id=relative.id,
        team_id=team.id,
        staff_only=True,
        urgent=True,
        urgent_since=moment,
        subject=subject,
        created_at=moment,
        last_message_at=moment,
        waiting_since=moment,
    )
    db.session.add(conversation)
    db.session.flush()
    db.session.add(Message(conversation_id=conversation.id, kind="note", body=body, created_at=moment))
    signals.inbox_note_added.send(None, object_type="conversation", object_id=conversation.id)
    db.session.flush()
    _notify_team(conversation, new=True)
    return conversation.id


def message_from_moderator(moderator: User, member: User, body: str) -> int:
    """A private message from a forum moderator, which arrives in the member's messages."""
    team = _forum_team(member)
    moment = now()
    with language_of(member):  # the subject is stored as the member will read it, as auto-replies are
        subject = _("A message from a forum moderator")
    conversation = Conversation(
        relative_id=member.id,
        team_id=team.id,
        status=WAITING,
        subject=subject,
        created_at=moment,
        last_message_at=moment,
    )
    db.session.add(conversation)
    db.session.flush()
    db.session.add(
        Message(
            conversation_id=conversation.id,
            author_id=moderator.id,
            kind="staff",
            body=_check(body, "message"),
            created_at=moment,
        )
    )
    signals.inbox_message_sent.send(moderator, object_type="conversation", object_id=conversation.id)
    db.session.flush()
    _tell_relative(member, conversation.id)
    return conversation.id
