"""What the forum holds about a relative: threads, posts, reports, pauses, what they read and follow, thanks.

Erasure keeps posts and threads, shown as a former member's, so replies still
make sense; it removes earlier versions of their posts, their notes on reports,
what they read and followed, the thanks they gave and any pause on their
posting. Moderation records name the member by id only.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, or_, select, update

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.forum.models import (
    REPORT_KINDS,
    ForumCategory,
    Post,
    PostRevision,
    Report,
    Restriction,
    Thanks,
    Thread,
    ThreadReader,
)


def _forum_threads(user: User) -> list[dict[str, Any]]:
    uid = user.id
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
            "started_at": when(thread.created_at),
            "visible_to_others": thread.visible,
        }
        for thread, category in rows
    ]


def _forum_posts(user: User) -> list[dict[str, Any]]:
    uid = user.id
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
                    "replaced_at": when(revision.replaced_at),
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
            "posted_at": when(post.created_at),
            "edited_at": when(post.edited_at),
            "deleted_at": when(post.deleted_at),
            "earlier_versions": earlier[post.id],
        }
        for post, title in rows
    ]


def _forum_following(user: User) -> list[dict[str, Any]]:
    uid = user.id
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
            "last_read_at": when(reader.last_read_at),
            "following": reader.following,
            "emails": reader.email,
        }
        for reader, title in rows
    ]


def _forum_reports(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.scalars(select(Report).where(Report.reporter_id == uid).order_by(Report.id))
    return [
        {
            "post_id": row.post_id,
            "what_was_wrong": str(REPORT_KINDS.get(row.kind, row.kind)),
            "your_note": row.note,
            "reported_at": when(row.created_at),
        }
        for row in rows
    ]


def _forum_thanks(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.execute(
        select(Thanks, Thread.title)
        .join(Post, Post.id == Thanks.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(Thanks.user_id == uid)
        .order_by(Thanks.id)
    )
    return [
        {"post_id": row.post_id, "thread_title": title, "thanked_at": when(row.created_at)}
        for row, title in rows
    ]


def _forum_restrictions(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.scalars(select(Restriction).where(Restriction.user_id == uid).order_by(Restriction.id))
    return [{"kind": row.kind, "from": when(row.created_at), "until": when(row.until)} for row in rows]


def erase(user: User) -> None:
    """Forget what the member read and followed, their thanks, any pause, earlier versions and report notes."""
    uid = user.id
    for model in (ThreadReader, Thanks, Restriction):
        db.session.execute(delete(model).where(model.user_id == uid))
    their_posts = select(Post.id).where(Post.author_id == uid)
    db.session.execute(
        delete(PostRevision).where(or_(PostRevision.post_id.in_(their_posts), PostRevision.editor_id == uid))
    )
    db.session.execute(update(Report).where(Report.reporter_id == uid).values(note=""))


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "forum",
        tables=(
            "forum_threads",
            "forum_posts",
            "forum_post_revisions",
            "forum_reports",
            "forum_restrictions",
            "forum_thread_readers",
            "forum_thanks",
            "moderation_actions",
            "moderation_queue",
        ),
        erase=erase,
        sections=(
            Section(
                "forum_threads",
                "The forum threads you started.",
                90,
                _forum_threads,
            ),
            Section(
                "forum_posts",
                (
                    "Everything you posted in the forum, including posts waiting for a moderator, posts a "
                    "moderator hid (with the reason they gave you) and posts you deleted, with earlier "
                    "versions of any post that was changed."
                ),
                100,
                _forum_posts,
            ),
            Section(
                "forum_following",
                "The forum threads you have read or follow, and whether we email you about them.",
                110,
                _forum_following,
            ),
            Section(
                "forum_thanks",
                "The forum posts you said thank you for.",
                115,
                _forum_thanks,
            ),
            Section(
                "forum_reports",
                "Posts you reported to the moderators, with what you told them.",
                120,
                _forum_reports,
            ),
            Section(
                "forum_restrictions",
                "Any time a moderator paused your posting, and until when.",
                130,
                _forum_restrictions,
            ),
        ),
    )
