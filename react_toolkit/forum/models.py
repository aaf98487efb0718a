"""Forum categories, threads, posts and their history, follows, reports, the queue and the audit log."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.timeutil import now

PUBLISHED, HELD, HIDDEN, DELETED = "published", "held", "hidden", "deleted"
REPORT_KINDS = {
    "risk": _l("Someone may be at risk"),
    "unkind": _l("Unkind or trolling"),
    "spam": _l("Spam or advertising"),
    "private": _l("Shares private information"),
    "other": _l("Something else"),
}
# Higher comes first in the moderation queue.
SEVERITY = {"risk": 3, "report-risk": 3, "report": 2, "held": 1}


class ForumCategory(db.Model):
    __tablename__ = "forum_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    # Empty for national categories; a site's own categories show only to that site's members.
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)


class Thread(db.Model):
    __tablename__ = "forum_threads"
    __table_args__ = (
        Index("ix_forum_threads_category_id_last_post_at", "category_id", "last_post_at"),
        # Covers the thread counts of the forum's front page and of a category's page.
        Index(
            "ix_forum_threads_category_id_visible_author_id_last_post_at",
            "category_id",
            "visible",
            "author_id",
            "last_post_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("forum_categories.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_post_at: Mapped[datetime] = mapped_column(default=now)
    reply_count: Mapped[int] = mapped_column(default=0)
    locked: Mapped[bool] = mapped_column(default=False)
    # A thread whose opening post is not published yet is visible only to its author and moderators.
    visible: Mapped[bool] = mapped_column(default=True)

    author: Mapped[User] = relationship()
    category: Mapped[ForumCategory] = relationship()


class Post(db.Model):
    __tablename__ = "forum_posts"
    __table_args__ = (
        Index("ix_forum_posts_thread_id_id", "thread_id", "id"),
        # A person's posts, and the dashboard's count of a period's posts by relatives.
        Index("ix_forum_posts_author_id_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PUBLISHED, index=True)
    held_because: Mapped[str] = mapped_column(String(20), default="")  # first-posts, risk, out-of-hours
    risk_categories: Mapped[str] = mapped_column(String(120), default="")
    # The risk model's score when the post was written (or last edited): the "To read" stream's order.
    risk_score: Mapped[float] = mapped_column(default=0.0)
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Who read this post, as a moderator, and when: every post is read by a person. Cleared when
    # its author changes the words, which then need reading again.
    reviewed_at: Mapped[datetime | None] = mapped_column(index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    thread: Mapped[Thread] = relationship()
    reviewed_by: Mapped[User | None] = relationship(foreign_keys=[reviewed_by_id])


class PostRevision(db.Model):
    """The text of a post before each edit: moderators can read the history."""

    __tablename__ = "forum_post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    replaced_at: Mapped[datetime] = mapped_column(default=now)

    editor: Mapped[User] = relationship()


class ThreadReader(db.Model):
    """What a member has read in a thread, and whether they follow it."""

    __tablename__ = "forum_thread_readers"
    __table_args__ = (UniqueConstraint("user_id", "thread_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("forum_threads.id", ondelete="CASCADE"), index=True)
    last_read_at: Mapped[datetime | None]
    following: Mapped[bool] = mapped_column(default=False)
    email: Mapped[bool] = mapped_column(default=False)


class Thanks(db.Model):
    """A member's "thank you" for a post: one each, and it can be taken back."""

    __tablename__ = "forum_thanks"
    __table_args__ = (UniqueConstraint("post_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)

    user: Mapped[User] = relationship()


class Report(db.Model):
    __tablename__ = "forum_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)


class QueueItem(db.Model):
    """Something for moderators: a held post, a risk flag or a report, until it is resolved."""

    __tablename__ = "moderation_queue"
    __table_args__ = (Index("ix_moderation_queue_resolved_at_severity", "resolved_at", "severity"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forum_posts.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # held, risk, report
    severity: Mapped[int]
    risk: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolution: Mapped[str] = mapped_column(String(20), default="")
    # Passed to the author's team: the item stays open until a moderator decides about the post.
    escalated_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])


class ModerationAction(db.Model):
    """The audit log: who did what, to which post or member, when and why."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    moderator_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(30))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("forum_posts.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("forum_threads.id", ondelete="SET NULL"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)

    moderator: Mapped[User] = relationship(foreign_keys=[moderator_id])


class Restriction(db.Model):
    """A member silenced (cannot post) or suspended (cannot use the forum) until a time."""

    __tablename__ = "forum_restrictions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # silence or suspend
    until: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now)


class DigestRun(db.Model):
    """A moderation digest sent for one half-day: the unique slot lets one host send it, not two."""

    __tablename__ = "moderation_digests"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[str] = mapped_column(String(13), unique=True)  # "2026-03-09 am", London time
    sent_at: Mapped[datetime]
    moderators: Mapped[int] = mapped_column(default=0)
