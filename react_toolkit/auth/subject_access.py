"""A relative's own copy of everything the toolkit holds about them (the right of access).

Every query here filters by the one person asking. Staff notes, conversations
raised by staff only, and other people's words are left out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from react_toolkit.auth.models import AccountToken, Invitation, User, UserSession
from react_toolkit.dashboard.models import UserMonth
from react_toolkit.extensions import db
from react_toolkit.forum.models import (
    REPORT_KINDS,
    ForumCategory,
    Post,
    PostRevision,
    Report,
    Restriction,
    Thread,
    ThreadReader,
)
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.modules.models import (
    Exercise,
    ExerciseAnswer,
    Module,
    ModuleCompletion,
    Section,
    SectionProgress,
    ToolboxItem,
)
from react_toolkit.outcomes.models import CheckIn
from react_toolkit.resources.models import Resource
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent

ABOUT = {
    "this file": (
        "Everything the toolkit holds about you, in a format computers can read. "
        "Times are in UTC (the same as GMT). If anything is unclear, or you think "
        "something is missing, ask your team or the toolkit's administrator."
    ),
    "profile": (
        "Your account: your email address, your forum name, your NHS trust and team, "
        "what you agreed to and when, and when you joined and last signed in."
    ),
    "sign_ins": "Each time you signed in on a phone, tablet or computer, and when that ended.",
    "account_links": "Links we emailed you to set or reset your password, and whether you used them.",
    "module_progress": "The sections of the modules you opened, and the ones you marked as done.",
    "module_completions": "The modules you finished.",
    "exercise_answers": "Your private answers to the questions in the modules, with each question.",
    "toolbox": "What you kept in your toolbox: sections, places that can help, and your own notes.",
    "wellbeing_check_ins": "Your answers to the wellbeing check-in, as scores from 0 to 4.",
    "conversations": (
        "Your messages with your team's supporters, with their replies and any automatic "
        "replies. Supporters can also keep short notes for each other; those are kept by the "
        "service and are not in this file. You can ask the service for them."
    ),
    "forum_threads": "The forum threads you started.",
    "forum_posts": (
        "Everything you posted in the forum, including posts waiting for a moderator, posts a "
        "moderator hid (with the reason they gave you) and posts you deleted, with earlier "
        "versions of any post that was changed."
    ),
    "forum_following": "The forum threads you have read or follow, and whether we email you about them.",
    "forum_reports": "Posts you reported to the moderators, with what you told them.",
    "forum_restrictions": "Any time a moderator paused your posting, and until when.",
    "invitations": "The invitation you used to join, and the team that sent it.",
    "usage_events": (
        "A record of the pages you opened and the things you did, which helps the NHS see how the "
        "toolkit is used. It holds the kind of page, the time, the kind of device and the language "
        "the page was in, never what you wrote."
    ),
    "usage_months": "Monthly totals worked out from that record: pages, visits and time spent.",
}


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "forum_name": user.forum_name,
        "roles": user.role_labels(),
        "trust": user.site.name if user.site else None,
        "team": user.team.name if user.team else None,
        "terms_accepted_at": _when(user.terms_accepted_at),
        "language": user.language,
        "research_consent": user.research_consent,
        "research_consent_at": _when(user.research_consent_at),
        "created_at": _when(user.created_at),
        "first_sign_in_at": _when(user.first_login_at),
        "last_sign_in_at": _when(user.last_login_at),
        "password_changed_at": _when(user.password_changed_at),
    }


def _sign_ins(uid: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(UserSession).where(UserSession.user_id == uid).order_by(UserSession.id))
    return [
        {
            "started_at": _when(row.created_at),
            "last_seen_at": _when(row.last_seen_at),
            "ended_at": _when(row.revoked_at),
            "ended_because": row.revoked_reason,
        }
        for row in rows
    ]


def _account_links(uid: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(AccountToken).where(AccountToken.user_id == uid).order_by(AccountToken.id)
    )
    return [
        {
            "purpose": row.purpose,
            "sent_at": _when(row.created_at),
            "expires_at": _when(row.expires_at),
            "used_at": _when(row.used_at),
        }
        for row in rows
    ]


def _module_progress(uid: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(SectionProgress, Section.title, Module.title)
        .join(Section, Section.id == SectionProgress.section_id)
        .join(Module, Module.id == SectionProgress.module_id)
        .where(SectionProgress.user_id == uid)
        .order_by(Module.position, Section.position)
    )
    return [
        {
            "module": module,
            "section": section,
            "first_viewed_at": _when(row.first_viewed_at),
            "last_viewed_at": _when(row.last_viewed_at),
            "marked_done_at": _when(row.completed_at),
        }
        for row, section, module in rows
    ]


def _module_completions(uid: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(ModuleCompletion.completed_at, Module.title)
        .join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id == uid)
        .order_by(ModuleCompletion.completed_at)
    )
    return [{"module": module, "completed_at": _when(completed)} for completed, module in rows]


def _exercise_answers(uid: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(ExerciseAnswer, Exercise.prompt, Module.title)
        .join(Exercise, Exercise.id == ExerciseAnswer.exercise_id)
        .join(Module, Module.id == Exercise.module_id)
        .where(ExerciseAnswer.user_id == uid)
        .order_by(Module.position, Exercise.id)
    )
    return [
        {
            "module": module,
            "question": prompt,
            "your_answer": row.text,
            "first_saved_at": _when(row.created_at),
            "last_changed_at": _when(row.updated_at),
        }
        for row, prompt, module in rows
    ]


def _toolbox(uid: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(ToolboxItem, Section.title, Module.title, Resource.name)
        .outerjoin(Section, Section.id == ToolboxItem.section_id)
        .outerjoin(Module, Module.id == Section.module_id)
        .outerjoin(Resource, Resource.id == ToolboxItem.resource_id)
        .where(ToolboxItem.user_id == uid)
        .order_by(ToolboxItem.position)
    )
    items = []
    for row, section, module, resource in rows:
        item: dict[str, Any] = {"kind": row.kind, "added_at": _when(row.created_at)}
        if row.kind == "section":
            item.update(module=module, section=section)
        elif row.kind == "resource":
            item.update(place=resource)
        else:
            item.update(title=row.note_title, text=row.note_text, last_changed_at=_when(row.updated_at))
        items.append(item)
    return items


def _check_ins(uid: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(CheckIn).where(CheckIn.user_id == uid).order_by(CheckIn.completed_at))
    return [
        {"completed_at": _when(row.completed_at), "answers": row.answers, "total": row.total} for row in rows
    ]


def _from(message: Message) -> str:
    if message.kind == "relative":
        return "You"
    if message.kind == "auto":
        return "Automatic reply"
    first_name = message.author.full_name.split(" ")[0] if message.author and message.author.full_name else ""
    return f"Your supporter ({first_name})" if first_name else "Your supporter"


def _conversations(uid: int) -> list[dict[str, Any]]:
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
            "started_at": _when(conversation.created_at),
            "closed_at": _when(conversation.closed_at),
            "messages": [
                {"from": _from(m), "sent_at": _when(m.created_at), "text": m.body}
                for m in messages[conversation.id]
            ],
        }
        for conversation in conversations
    ]


def _forum_threads(uid: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Thread, ForumCategory.name)
        .join(ForumCategory, ForumCategory.id == Thread.category_id)
        .where(Thread.author_id == uid)
        .order_by(Thread.id)
    )
    return [
        {
            "thread_id": thread.id,
            "title": thread.title,
            "category": category,
            "started_at": _when(thread.created_at),
            "visible_to_others": thread.visible,
        }
        for thread, category in rows
    ]


def _forum_posts(uid: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Post, Thread.title)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == uid)
        .order_by(Post.id)
    ).all()
    earlier: dict[int, list[dict[str, Any]]] = {post.id: [] for post, _ in rows}
    if earlier:
        revisions = db.session.scalars(
            select(PostRevision).where(PostRevision.post_id.in_(list(earlier))).order_by(PostRevision.id)
        )
        for revision in revisions:
            earlier[revision.post_id].append(
                {
                    "text": revision.body,
                    "replaced_at": _when(revision.replaced_at),
                    "changed_by": "you" if revision.editor_id == uid else "a moderator",
                }
            )
    return [
        {
            "post_id": post.id,
            "thread_id": post.thread_id,
            "thread_title": title,
            "text": post.body,
            "status": post.status,
            "held_because": post.held_because or None,
            "hidden_reason": post.hidden_reason or None,
            "posted_at": _when(post.created_at),
            "edited_at": _when(post.edited_at),
            "deleted_at": _when(post.deleted_at),
            "earlier_versions": earlier[post.id],
        }
        for post, title in rows
    ]


def _forum_following(uid: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(ThreadReader, Thread.title)
        .join(Thread, Thread.id == ThreadReader.thread_id)
        .where(ThreadReader.user_id == uid)
        .order_by(ThreadReader.id)
    )
    return [
        {
            "thread_id": reader.thread_id,
            "thread_title": title,
            "last_read_at": _when(reader.last_read_at),
            "following": reader.following,
            "emails": reader.email,
        }
        for reader, title in rows
    ]


def _forum_reports(uid: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Report).where(Report.reporter_id == uid).order_by(Report.id))
    return [
        {
            "post_id": row.post_id,
            "what_was_wrong": str(REPORT_KINDS.get(row.kind, row.kind)),
            "your_note": row.note,
            "reported_at": _when(row.created_at),
        }
        for row in rows
    ]


def _forum_restrictions(uid: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(select(Restriction).where(Restriction.user_id == uid).order_by(Restriction.id))
    return [{"kind": row.kind, "from": _when(row.created_at), "until": _when(row.until)} for row in rows]


def _invitations(uid: int) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(Invitation).where(Invitation.accepted_by_id == uid).order_by(Invitation.id)
    )
    return [
        {
            "team": row.team.name,
            "sent_by": "email" if row.method == "email" else "a code",
            "email": row.email,
            "sent_at": _when(row.created_at),
            "accepted_at": _when(row.accepted_at),
        }
        for row in rows
    ]


def _usage_events(uid: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(
            UsageEvent.name, UsageEvent.occurred_at, UsageEvent.route, UsageEvent.device, UsageEvent.language
        )
        .where(UsageEvent.user_id == uid)
        .order_by(UsageEvent.occurred_at, UsageEvent.id)
    )
    return [
        {"event": name, "at": _when(moment), "page": route, "device": device, "language": language}
        for name, moment, route, device, language in rows
    ]


def _usage_months(uid: int) -> list[dict[str, Any]]:
    columns = [c for c in UserMonth.__table__.columns if c.key not in ("id", "user_id", "site_id", "team_id")]
    rows = db.session.scalars(select(UserMonth).where(UserMonth.user_id == uid).order_by(UserMonth.month))
    result = []
    for row in rows:
        values = {c.key: getattr(row, c.key) for c in columns}
        result.append({k: _when(v) if isinstance(v, date) else v for k, v in values.items()})
    return result


def subject_access_export(user: User) -> dict[str, Any]:
    """Everything held about one relative, ready to be written out as JSON."""
    uid = user.id
    return {
        "about": ABOUT,
        "exported_at": _when(now()),
        "profile": _profile(user),
        "sign_ins": _sign_ins(uid),
        "account_links": _account_links(uid),
        "module_progress": _module_progress(uid),
        "module_completions": _module_completions(uid),
        "exercise_answers": _exercise_answers(uid),
        "toolbox": _toolbox(uid),
        "wellbeing_check_ins": _check_ins(uid),
        "conversations": _conversations(uid),
        "forum_threads": _forum_threads(uid),
        "forum_posts": _forum_posts(uid),
        "forum_following": _forum_following(uid),
        "forum_reports": _forum_reports(uid),
        "forum_restrictions": _forum_restrictions(uid),
        "invitations": _invitations(uid),
        "usage_events": _usage_events(uid),
        "usage_months": _usage_months(uid),
    }
