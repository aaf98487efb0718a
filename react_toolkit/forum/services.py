"""Use cases for the forum and its moderation. Each action commits once, with its audit row and event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache

from flask import current_app, g, has_request_context, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from react_toolkit import signals
from react_toolkit.auth.models import User
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import commit_keeping_loaded, db
from react_toolkit.forum import search
from react_toolkit.forum.models import (
    DELETED,
    HELD,
    HIDDEN,
    PUBLISHED,
    REPORT_KINDS,
    SEVERITY,
    DigestRun,
    ForumCategory,
    ModerationAction,
    Post,
    PostRevision,
    QueueItem,
    Report,
    Restriction,
    Thanks,
    Thread,
    ThreadReader,
)
from react_toolkit.forum.permissions import can_moderate
from react_toolkit.i18n import language_of
from react_toolkit.i18n.formatting import format_short_time, format_weekday_date
from react_toolkit.notifications import services as notifications
from react_toolkit.organisations.hours import is_open, next_opening, service_seconds
from react_toolkit.organisations.models import ServiceHours, Team
from react_toolkit.risk.detection import RiskResult
from react_toolkit.risk.services import check_text
from react_toolkit.timeutil import LONDON, now

TITLE_MAX = 150
BODY_MAX = 10000

DEFAULT_CATEGORIES = [
    ("introductions", "Introductions", "Say hello, and tell others as much or as little as you like."),
    ("coping-day-to-day", "Coping day to day", "What gets you through, and what you are finding hard."),
    (
        "services-and-treatment",
        "Services and treatment",
        "Appointments, medication, care plans and getting help.",
    ),
    ("looking-after-yourself", "Looking after yourself", "Your own health, sleep, rest and support."),
    ("good-news", "Good news", "Small steps and big ones. Share what went well."),
]


class ForumError(Refusal):
    """Refused by this feature's rules."""


@dataclass
class Outcome:
    post: Post | None
    status: str  # published, held or blocked
    risk: RiskResult
    message: str = ""


# Moderation hours -------------------------------------------------------------------------


def _once_per_request(name: str, work):
    """The result of `work`, kept for the rest of the request (outside one, worked out each time)."""
    if not has_request_context():
        return work()
    if name not in g:
        setattr(g, name, work())
    return g.get(name)


def moderation_team() -> Team:
    """The forum is moderated in the national supporter team's hours, or 9 to 5 on weekdays.

    Read once per request: a page may ask for every held post it shows, and a post's rules ask too.
    """
    return _once_per_request("moderation_team", _moderation_team)


def _moderation_team() -> Team:
    team = db.session.scalar(select(Team).where(Team.national).limit(1))
    if team is not None and team.hours:
        return team
    fallback = Team(name="Forum moderators", timezone="Europe/London")
    fallback.hours = [ServiceHours(weekday=d, opens=time(9), closes=time(17)) for d in range(5)]
    return fallback


def moderated_now(moment: datetime | None = None) -> bool:
    return is_open(moderation_team(), moment or now())


def held_note(post: Post) -> str:
    """Why a post waits for a moderator, and roughly when one will read it, for its writer."""
    if post.held_because == "first-posts":
        first = current_app.config["FORUM_FIRST_POSTS_HELD"]
        why = ngettext(
            "A new member's first post is read by a moderator before others see it.",
            "A new member's first %(num)d posts are read by a moderator before others see them.",
            first,
        )
    else:
        why = _("Posts that talk about safety are read by a moderator before others see them.")
    status = moderation_status()
    if status["open"]:
        when = _("Moderators are working now, so it should not be long.")
    else:
        opening = status["next"]
        when = (
            _(
                "Nobody is moderating just now. A moderator will read it from %(time)s on %(day)s.",
                time=format_short_time(opening),
                day=format_weekday_date(opening),
            )
            if opening
            else _("Nobody is moderating just now.")
        )
    return f"{why} {when}"


def moderation_status() -> dict:
    """Whether the forum is moderated now, its hours and when moderation next starts; once a request."""
    return _once_per_request("moderation_status", _moderation_status)


def _moderation_status() -> dict:
    team = moderation_team()
    moment = now()
    return {"open": is_open(team, moment), "hours": team.hours_summary(), "next": next_opening(team, moment)}


# Reading -------------------------------------------------------------------------------------


def seed_categories() -> int:
    """The starting categories (national); safe to run again."""
    known = set(db.session.scalars(select(ForumCategory.slug)))
    added = 0
    for position, (slug, name, description) in enumerate(DEFAULT_CATEGORIES, start=1):
        if slug not in known:
            db.session.add(ForumCategory(slug=slug, name=name, description=description, position=position))
            added += 1
    return added


def add_category(name: str, description: str = "", site_code: str | None = None) -> ForumCategory:
    """A new category at the end of the list; with a site, only that site's members see it."""
    import re

    from react_toolkit.organisations.models import Site

    name = name.strip()
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if not slug:
        raise ForumError(_("Give the category a name"), "name")
    site = None
    if site_code:
        site = db.session.scalar(select(Site).where(Site.code == site_code))
        if site is None:
            raise ForumError(
                _("There is no site with the code %(site_code)s", site_code=repr(site_code)), "site"
            )
        slug = f"{site.code}-{slug}"
    if db.session.scalar(select(ForumCategory.id).where(ForumCategory.slug == slug)):
        raise ForumError(_("There is already a category with this name"), "name")
    last = db.session.scalar(select(func.max(ForumCategory.position))) or 0
    category = ForumCategory(
        slug=slug,
        name=name,
        description=description.strip(),
        position=last + 1,
        site_id=site.id if site else None,
    )
    db.session.add(category)
    db.session.commit()
    return category


def _category_scope(user: User):
    query = select(ForumCategory)
    if can_moderate(user):
        return query
    if current_app.config["FORUM_SITE_CATEGORIES"] and user.site_id:
        return query.where(or_(ForumCategory.site_id.is_(None), ForumCategory.site_id == user.site_id))
    return query.where(ForumCategory.site_id.is_(None))


@dataclass(frozen=True)
class CategorySummary:
    category: ForumCategory
    threads: int
    last_post_at: datetime | None
    unread: int  # threads with posts this person has not read


def categories(user: User) -> list[CategorySummary]:
    """The categories this person sees, each with its thread count, last post time and unread threads.

    Unread threads are counted as the visible threads less those this person has read since their
    last post: the second count walks this person's own reading, not every thread in the forum.
    """
    figures = (
        select(
            Thread.category_id,
            func.count().label("threads"),
            func.max(Thread.last_post_at).label("last_post_at"),
        )
        .where(Thread.visible)
        .group_by(Thread.category_id)
        .subquery()
    )
    read = (
        select(Thread.category_id, func.count().label("threads"))
        .select_from(ThreadReader)
        .join(Thread, Thread.id == ThreadReader.thread_id)
        .where(
            ThreadReader.user_id == user.id, Thread.visible, ThreadReader.last_read_at >= Thread.last_post_at
        )
        .group_by(Thread.category_id)
        .subquery()
    )
    threads = func.coalesce(figures.c.threads, 0)
    rows = db.session.execute(
        _category_scope(user)
        .add_columns(threads, figures.c.last_post_at, threads - func.coalesce(read.c.threads, 0))
        .outerjoin(figures, figures.c.category_id == ForumCategory.id)
        .outerjoin(read, read.c.category_id == ForumCategory.id)
        .order_by(ForumCategory.position)
    ).all()
    return [
        CategorySummary(category, int(count), last, int(unread_threads))
        for category, count, last, unread_threads in rows
    ]


def category(user: User, slug: str) -> ForumCategory | None:
    return db.session.scalar(_category_scope(user).where(ForumCategory.slug == slug))


def _visible_threads(user: User):
    query = select(Thread)
    if not can_moderate(user):
        query = query.where(or_(Thread.visible, Thread.author_id == user.id))
    return query


def threads(user: User, cat: ForumCategory, page: int) -> tuple[list[tuple[Thread, bool]], int]:
    """One page of a category's threads, newest activity first, each with an unread marker."""
    size = current_app.config["FORUM_PAGE_SIZE"]
    base = _visible_threads(user).where(Thread.category_id == cat.id)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    rows = db.session.execute(
        base.add_columns(ThreadReader.last_read_at)
        .outerjoin(ThreadReader, and_(ThreadReader.thread_id == Thread.id, ThreadReader.user_id == user.id))
        .options(selectinload(Thread.author))
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return [(thread, read is None or thread.last_post_at > read) for thread, read in rows], total


def thread(user: User, thread_id: int) -> Thread | None:
    found = db.session.scalar(_visible_threads(user).where(Thread.id == thread_id))
    if found is None or category(user, found.category.slug) is None:
        return None
    return found


def _visible_posts(user: User, item: Thread):
    """The posts of a thread this person sees: held ones only their own, unless a moderator."""
    query = select(Post).where(Post.thread_id == item.id)
    if not can_moderate(user):
        query = query.where(or_(Post.status != HELD, Post.author_id == user.id))
    return query


def posts(user: User, item: Thread, page: int) -> tuple[list[Post], int]:
    """A page of posts. Held posts only for their author and moderators; hidden and deleted stay as markers."""
    size = current_app.config["FORUM_PAGE_SIZE"]
    query = _visible_posts(user, item)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        # Authors only for their names: not their roles, site and team, which would load with each.
        query.options(selectinload(Post.author).lazyload("*"))
        .order_by(Post.id)
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return list(rows), total


def page_of(user: User, post: Post) -> int:
    """The page of its thread a post is on, for this reader: links to a post survive paging."""
    before = db.session.scalar(
        select(func.count()).select_from(
            _visible_posts(user, post.thread).where(Post.id < post.id).subquery()
        )
    )
    return before // current_app.config["FORUM_PAGE_SIZE"] + 1


def first_unread(user: User, item: Thread) -> tuple[int, int] | None:
    """The first post this person has not read in a thread, and its page; None when none is new."""
    read_at = db.session.scalar(
        select(ThreadReader.last_read_at).where(
            ThreadReader.user_id == user.id, ThreadReader.thread_id == item.id
        )
    )
    query = _visible_posts(user, item).where(Post.status == PUBLISHED, Post.author_id != user.id)
    if read_at is not None:
        query = query.where(Post.created_at > read_at)
    post = db.session.scalar(query.order_by(Post.id).limit(1))
    if post is None:
        return None
    return post.id, page_of(user, post)


def search_posts(user: User, query: str | None, page: int) -> tuple[search.Results, list[str]]:
    """Published posts holding every word searched for, in threads and categories this person may read."""
    words = search.terms(query)
    visible = _category_scope(user).with_only_columns(ForumCategory.id)
    return search.search(words, visible, page, current_app.config["FORUM_PAGE_SIZE"]), words


def mark_read(user: User, item: Thread) -> ThreadReader:
    reader = db.session.scalar(
        select(ThreadReader).where(ThreadReader.user_id == user.id, ThreadReader.thread_id == item.id)
    )
    if reader is None:
        reader = ThreadReader(user_id=user.id, thread_id=item.id)
        db.session.add(reader)
    reader.last_read_at = now()
    signals.forum_thread_read.send(user, object_type="thread", object_id=item.id)
    # Only this reader's marker changed: the page keeps the thread, its category and the reader
    # as loaded, rather than reading each of them again after the commit.
    commit_keeping_loaded()
    return reader


def follow(user: User, item: Thread, following: bool, email: bool) -> None:
    reader = db.session.scalar(
        select(ThreadReader).where(ThreadReader.user_id == user.id, ThreadReader.thread_id == item.id)
    ) or ThreadReader(user_id=user.id, thread_id=item.id)
    reader.following, reader.email = following, following and email
    db.session.add(reader)
    db.session.commit()


# Thanks ---------------------------------------------------------------------------------------


def can_thank(user: User, post: Post) -> bool:
    """A published post by someone else."""
    return post.status == PUBLISHED and post.author_id != user.id


def thank(user: User, post: Post, thanked: bool) -> bool:
    """Say thank you for a post, or take it back; saying it twice counts once. True if anything changed."""
    if not can_thank(user, post):
        raise ForumError(_("You can only thank someone else's post that is on the forum"), status=403)
    mine = select(Thanks).where(Thanks.post_id == post.id, Thanks.user_id == user.id)
    existing = db.session.scalar(mine)
    if thanked and existing is None:
        db.session.add(Thanks(post_id=post.id, user_id=user.id, created_at=now()))
        signals.forum_post_thanked.send(user, object_type="post", object_id=post.id)
    elif not thanked and existing is not None:
        db.session.delete(existing)
        signals.forum_thanks_withdrawn.send(user, object_type="post", object_id=post.id)
    else:
        return False
    try:
        db.session.commit()
    except IntegrityError:  # the same person's other tab thanked it a moment ago
        db.session.rollback()
        return False
    return True


@dataclass(frozen=True)
class PostThanks:
    counts: dict[int, int]
    mine: set[int]
    # Who thanked each post: filled in for moderators only.
    names: dict[int, list[str]]


def thanks_for(user: User, shown: list[Post]) -> PostThanks:
    """The thanks on the posts of a page, in a fixed number of queries however many posts it shows."""
    ids = [post.id for post in shown]
    if not ids:
        return PostThanks({}, set(), {})
    counts = dict(
        db.session.execute(
            select(Thanks.post_id, func.count(Thanks.id))
            .where(Thanks.post_id.in_(ids))
            .group_by(Thanks.post_id)
        ).all()
    )
    mine = set(
        db.session.scalars(select(Thanks.post_id).where(Thanks.post_id.in_(ids), Thanks.user_id == user.id))
    )
    names: dict[int, list[str]] = {}
    if can_moderate(user) and counts:
        rows = db.session.execute(
            select(Thanks.post_id, User.forum_name, User.full_name)
            .join(User, User.id == Thanks.user_id)
            .where(Thanks.post_id.in_(ids))
            .order_by(Thanks.id)
        )
        for post_id, forum_name, full_name in rows:
            names.setdefault(post_id, []).append(forum_name or full_name)
    return PostThanks(counts, mine, names)


# Writing --------------------------------------------------------------------------------------


def active_restriction(user: User, kinds: tuple[str, ...] = ("silence", "suspend")) -> Restriction | None:
    return db.session.scalar(
        select(Restriction)
        .where(Restriction.user_id == user.id, Restriction.kind.in_(kinds), Restriction.until > now())
        .order_by(Restriction.until.desc())
        .limit(1)
    )


def _published_count(user: User) -> int:
    """Posts of this member that reached the forum; a post hidden straight from the hold never did."""
    return db.session.scalar(
        select(func.count(Post.id)).where(
            Post.author_id == user.id,
            or_(Post.status.in_((PUBLISHED, DELETED)), and_(Post.status == HIDDEN, Post.held_because == "")),
        )
    )


def is_new_member(user: User) -> bool:
    config = current_app.config
    young = user.created_at > now() - timedelta(days=config["FORUM_NEW_MEMBER_DAYS"])
    return young or _published_count(user) < config["FORUM_FIRST_POSTS_HELD"]


def _check_rate(user: User) -> None:
    if can_moderate(user):
        return
    config = current_app.config
    new = is_new_member(user)
    interval = config["FORUM_NEW_MEMBER_INTERVAL_SECONDS" if new else "FORUM_POST_INTERVAL_SECONDS"]
    daily = config["FORUM_NEW_MEMBER_DAILY_POSTS" if new else "FORUM_DAILY_POSTS"]
    moment = now()
    last = db.session.scalar(select(func.max(Post.created_at)).where(Post.author_id == user.id))
    if last is not None and (moment - last).total_seconds() < interval:
        wait = int(interval - (moment - last).total_seconds()) + 1
        raise ForumError(
            _("Please wait %(wait)s seconds before posting again. Your message is still here", wait=wait),
            "body",
            status=429,
        )
    today = db.session.scalar(
        select(func.count(Post.id)).where(
            Post.author_id == user.id, Post.created_at > moment - timedelta(days=1)
        )
    )
    if today >= daily:
        raise ForumError(
            _(
                "You have reached today's limit of %(daily)s posts. Your message is still here: copy it to post tomorrow",
                daily=daily,
            ),
            "body",
            status=429,
        )


def _check_text(title: str | None, body: str) -> tuple[str | None, str]:
    body = (body or "").strip()
    if title is not None:
        title = title.strip()
        if not title:
            raise ForumError(_("Give your post a title"), "title")
        if len(title) > TITLE_MAX:
            raise ForumError(
                _("The title must be %(title_max)s characters or fewer", title_max=TITLE_MAX), "title"
            )
    if not body:
        raise ForumError(_("Write your message"), "body")
    if len(body) > BODY_MAX:
        raise ForumError(
            _("Your message must be %(body_max)s characters or fewer", body_max=f"{BODY_MAX:,}"), "body"
        )
    return title, body


def check_draft(title: str | None, body: str) -> None:
    """The checks a post's words must pass, for a preview: the same refusals as posting."""
    _check_text(title, body)


def _decide(user: User, risk: RiskResult) -> tuple[str, str]:
    """Publish, hold or block, and why."""
    if risk.action == "block":
        return "blocked", "risk"
    if can_moderate(user):
        return PUBLISHED, ""
    if risk.action == "hold" or (risk.is_risk and not moderated_now()):
        return HELD, "risk" if risk.action == "hold" else "out-of-hours"
    if _published_count(user) < current_app.config["FORUM_FIRST_POSTS_HELD"]:
        return HELD, "first-posts"
    return PUBLISHED, ""


def _queue(post: Post, reason: str, risk: bool) -> None:
    """Put a post in the queue, or raise the item it already has there."""
    severity = SEVERITY["risk"] if risk else SEVERITY[reason]
    if post.id is not None:
        waiting = db.session.scalar(
            select(QueueItem).where(QueueItem.post_id == post.id, QueueItem.resolved_at.is_(None))
        )
        if waiting is not None:
            waiting.severity = max(waiting.severity, severity)
            waiting.risk = waiting.risk or risk
            return
    db.session.add(
        QueueItem(post_id=post.id, reason=reason, severity=severity, risk=risk, created_at=post.created_at)
    )


def _place(user: User, item: Thread, body: str, risk: RiskResult) -> Outcome:
    status, because = _decide(user, risk)
    if status == "blocked":
        message = risk.block_message or _(
            "We cannot post this, because it may put someone at risk. Your words are still in the box. "
            "If you are worried about safety, please use the contacts below"
        )
        return Outcome(None, "blocked", risk, message)
    moment = now()
    post = Post(
        thread_id=item.id,
        author_id=user.id,
        body=body,
        status=status,
        held_because=because,
        risk_categories=",".join(risk.categories),
        risk_score=risk.score,
        created_at=moment,
    )
    if can_moderate(user):
        # A moderator's own words have been read by a person: the moderator.
        post.reviewed_at, post.reviewed_by_id = moment, user.id
    db.session.add(post)
    db.session.flush()
    if status == HELD:
        _queue(post, "held", risk.is_risk)
    elif risk.is_risk:
        _queue(post, "risk", True)
    return Outcome(post, status, risk)


def create_thread(user: User, cat: ForumCategory, title: str, body: str) -> tuple[Thread | None, Outcome]:
    """Start a thread; its first post follows the same rules as any post."""
    title, body = _check_text(title, body)
    if active_restriction(user):
        raise ForumError(
            _("You cannot post just now. A moderator has paused your posting"), "body", status=403
        )
    _check_rate(user)
    risk = check_text(title, body)
    moment = now()
    item = Thread(category_id=cat.id, author_id=user.id, title=title, created_at=moment, last_post_at=moment)
    db.session.add(item)
    db.session.flush()
    outcome = _place(user, item, body, risk)
    if outcome.status == "blocked":
        db.session.rollback()
        return None, outcome
    item.visible = outcome.status == PUBLISHED
    db.session.add(ThreadReader(user_id=user.id, thread_id=item.id, last_read_at=moment, following=True))
    signals.forum_post_created.send(user, object_type="post", object_id=outcome.post.id)
    db.session.commit()
    return item, outcome


def reply(user: User, item: Thread, body: str) -> Outcome:
    _title, body = _check_text(None, body)
    if item.locked and not can_moderate(user):
        raise ForumError(_("This thread is closed to new replies"), "body", status=403)
    if active_restriction(user):
        raise ForumError(
            _("You cannot post just now. A moderator has paused your posting"), "body", status=403
        )
    _check_rate(user)
    outcome = _place(user, item, body, check_text(body))
    if outcome.status == "blocked":
        return outcome
    if outcome.status == PUBLISHED:
        _published(item, outcome.post)
    signals.forum_post_created.send(user, object_type="post", object_id=outcome.post.id)
    if outcome.status == PUBLISHED:
        _notify_followers(item, outcome.post)
    db.session.commit()
    return outcome


def _published(item: Thread, post: Post) -> None:
    """Bring a thread's figures up to date after one of its posts is published."""
    item.last_post_at = max(item.last_post_at, post.created_at)
    first_status = _refresh_visibility(item)
    published = db.session.scalar(
        select(func.count(Post.id)).where(Post.thread_id == item.id, Post.status == PUBLISHED)
    )
    item.reply_count = max(0, published - (1 if first_status == PUBLISHED else 0))


def _refresh_visibility(item: Thread) -> str:
    """Others see a thread only once its opening post is out of the hold."""
    db.session.flush()
    first_status = db.session.scalar(
        select(Post.status).where(Post.thread_id == item.id).order_by(Post.id).limit(1)
    )
    item.visible = first_status != HELD
    return first_status


def _notify_followers(item: Thread, post: Post) -> None:
    """One outbox job, whatever the number of followers: the worker writes their notices."""
    db.session.flush()
    notifications.fan_out("forum.reply", thread_id=item.id, post_id=post.id)


def notify_followers_of(payload: dict) -> None:
    """The worker's half of a reply notice: one notice for each follower who asked by email."""
    item = db.session.get(Thread, payload["thread_id"])
    post = db.session.get(Post, payload["post_id"])
    if item is None or post is None or post.status != PUBLISHED:
        return
    followers = db.session.scalars(
        select(User)
        .join(ThreadReader, ThreadReader.user_id == User.id)
        .where(
            ThreadReader.thread_id == item.id,
            ThreadReader.following,
            ThreadReader.email,
            User.id != post.author_id,
            User.active,
        )
        .order_by(User.id)
    ).all()
    config = current_app.config
    for follower in followers:
        with language_of(follower):
            notifications.enqueue(
                "forum.reply",
                user=follower,
                subject=_("There is a new reply in a thread you follow"),
                body=render_template(
                    "forum/email/new_reply.txt", link=f"{config['BASE_URL']}/forum/threads/{item.id}"
                ),
            )


def edit_window_open(post: Post) -> bool:
    return now() - post.created_at < timedelta(minutes=current_app.config["FORUM_EDIT_MINUTES"])


def edit_post(user: User, post: Post, body: str) -> Outcome:
    """Change a post, keeping the old text for moderators; risk words are treated as in a new post."""
    _title, body = _check_text(None, body)
    moderator = can_moderate(user)
    if not moderator and active_restriction(user):
        raise ForumError(
            _("You cannot change posts just now. A moderator has paused your posting"), "body", status=403
        )
    risk = check_text(body)
    if risk.action == "block" and not moderator:
        message = risk.block_message or _(
            "We cannot post this, because it may put someone at risk. Your words are still in the box"
        )
        return Outcome(None, "blocked", risk, message)
    db.session.add(PostRevision(post_id=post.id, editor_id=user.id, body=post.body))
    post.body, post.edited_at = body, now()
    post.risk_categories, post.risk_score = ",".join(risk.categories), risk.score
    if moderator:
        _mark_reviewed(post, user)
    else:
        # New words have not been read by anyone yet.
        post.reviewed_at = post.reviewed_by_id = None
    if risk.is_risk and not moderator:
        if post.status == PUBLISHED and (risk.action == "hold" or not moderated_now()):
            post.status, post.held_because = HELD, "risk" if risk.action == "hold" else "out-of-hours"
            _refresh_visibility(post.thread)
        _queue(post, "held" if post.status == HELD else "risk", True)
    if moderator and user.id != post.author_id:
        _audit(user, "edit", post=post, reason=_("Edited by a moderator"))
    signals.forum_post_edited.send(user, object_type="post", object_id=post.id)
    db.session.commit()
    return Outcome(post, post.status, risk)


def delete_post(user: User, post: Post) -> None:
    """Authors remove their own posts; the row stays (soft delete) for the record."""
    post.status, post.deleted_at = DELETED, now()
    _resolve_items(post, user, "deleted")
    signals.forum_post_deleted.send(user, object_type="post", object_id=post.id)
    db.session.commit()


def report(user: User, post: Post, kind: str, note: str) -> Report:
    """Any member can report a post; the author is never told who."""
    if kind not in REPORT_KINDS:
        raise ForumError(_("Choose what is wrong with this post"), "kind")
    note = (note or "").strip()
    if kind == "other" and not note:
        raise ForumError(_("Tell us what is wrong, in a few words"), "note")
    if len(note) > 2000:
        raise ForumError(_("Your note must be 2,000 characters or fewer"), "note")
    row = Report(post_id=post.id, reporter_id=user.id, kind=kind, note=note)
    db.session.add(row)
    open_item = db.session.scalar(
        select(QueueItem).where(QueueItem.post_id == post.id, QueueItem.resolved_at.is_(None))
    )
    severity = SEVERITY["report-risk"] if kind == "risk" else SEVERITY["report"]
    if open_item is None:
        db.session.add(QueueItem(post_id=post.id, reason="report", severity=severity, risk=kind == "risk"))
    elif open_item.severity < severity:
        open_item.severity, open_item.risk = severity, open_item.risk or kind == "risk"
    db.session.flush()
    signals.forum_post_reported.send(user, object_type="post", object_id=post.id)
    db.session.commit()
    return row


# Moderation -----------------------------------------------------------------------------------


def _audit(
    moderator: User,
    action: str,
    *,
    post: Post | None = None,
    thread_id: int | None = None,
    member_id: int | None = None,
    reason: str = "",
) -> None:
    db.session.add(
        ModerationAction(
            moderator_id=moderator.id,
            action=action,
            post_id=post.id if post else None,
            thread_id=thread_id or (post.thread_id if post else None),
            member_id=member_id or (post.author_id if post else None),
            reason=reason.strip(),
        )
    )
    signals.forum_moderated.send(
        moderator, object_type="post" if post else "thread", object_id=post.id if post else thread_id
    )


def _mark_reviewed(post: Post, moderator: User) -> None:
    """A moderator has read this post (acting on it means reading it). The first reading counts."""
    if post.reviewed_at is None:
        post.reviewed_at, post.reviewed_by_id = now(), moderator.id


def _resolve_items(post: Post, moderator: User, resolution: str) -> None:
    db.session.execute(
        update(QueueItem)
        .where(QueueItem.post_id == post.id, QueueItem.resolved_at.is_(None))
        .values(resolved_at=now(), resolved_by_id=moderator.id, resolution=resolution)
    )


QUEUE_REASONS = ("held", "risk", "report")


def queue(moderator: User | None = None, reason: str | None = None) -> list[QueueItem]:
    """Open items, most severe first, then oldest first; only those there for one reason, if asked."""
    query = select(QueueItem).where(QueueItem.resolved_at.is_(None))
    if reason == "risk":  # anything with risk in it: flagged, held for risk, or reported as risk
        query = query.where(QueueItem.risk)
    elif reason in QUEUE_REASONS:
        query = query.where(QueueItem.reason == reason)
    return list(
        db.session.scalars(
            query.options(
                selectinload(QueueItem.post).selectinload(Post.author),
                selectinload(QueueItem.post).selectinload(Post.thread),
                selectinload(QueueItem.claimed_by),
            ).order_by(QueueItem.severity.desc(), QueueItem.created_at, QueueItem.id)
        )
    )


def queue_item(item_id: int) -> QueueItem | None:
    return db.session.get(QueueItem, item_id)


def next_in_queue(moderator: User, reason: str | None = None) -> QueueItem | None:
    """The first open item nobody else has claimed, in the queue's order: for "and next"."""
    for item in queue(moderator, reason):
        if item.claimed_by_id in (None, moderator.id):
            return item
    return None


def reports_by_post(items: list[QueueItem]) -> dict[int, list[str]]:
    """The kinds of report made about each post in the queue, for "why it is here"."""
    ids = {item.post_id for item in items}
    found: dict[int, list[str]] = {}
    if ids:
        for post_id, kind in db.session.execute(
            select(Report.post_id, Report.kind).where(Report.post_id.in_(ids)).order_by(Report.id)
        ):
            if kind not in found.setdefault(post_id, []):
                found[post_id].append(kind)
    return found


# Every post read by a person ----------------------------------------------------------------

TO_READ_PAGE = 20


def _unread():
    """Posts no moderator has read yet. Held posts are read in the queue, where they wait."""
    return select(Post).where(Post.reviewed_at.is_(None), Post.status != HELD)


def _low_score() -> float:
    return current_app.config["FORUM_LOW_RISK_SCORE"]


def _is_low(query):
    return query.where(Post.risk_score < _low_score(), Post.risk_categories == "")


def _not_low(query):
    return query.where(or_(Post.risk_score >= _low_score(), Post.risk_categories != ""))


def to_read(limit: int = TO_READ_PAGE) -> list[Post]:
    """The "To read" stream: unread posts above the low-score line, riskiest first, then oldest."""
    return list(
        db.session.scalars(
            _not_low(_unread())
            .options(selectinload(Post.author), selectinload(Post.thread))
            .order_by(Post.risk_score.desc(), Post.created_at, Post.id)
            .limit(limit)
        )
    )


def low_score_unread(limit: int = TO_READ_PAGE) -> list[Post]:
    """Unread posts below the low-score line with no risk, oldest first: read together, marked together."""
    return list(
        db.session.scalars(
            _is_low(_unread())
            .options(selectinload(Post.author), selectinload(Post.thread))
            .order_by(Post.created_at, Post.id)
            .limit(limit)
        )
    )


def followed_with_new_posts(user: User) -> int:
    """How many threads the person follows have posts published since they last read them."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.scalar(_followed_with_new_posts(), {"user_id": user.id})


@cache
def _followed_with_new_posts():
    # Built once: the header asks on every page, and building the statement cost more than running it.
    return (
        select(func.count(ThreadReader.id))
        .join(Thread, Thread.id == ThreadReader.thread_id)
        .where(
            ThreadReader.user_id == bindparam("user_id"),
            ThreadReader.following,
            Thread.visible,
            or_(ThreadReader.last_read_at.is_(None), Thread.last_post_at > ThreadReader.last_read_at),
        )
    )


def unread_counts() -> dict[str, int]:
    count = select(func.count()).select_from
    return {
        "stream": db.session.scalar(count(_not_low(_unread()).subquery())),
        "low": db.session.scalar(count(_is_low(_unread()).subquery())),
    }


def open_items_for(post: Post) -> list[QueueItem]:
    return list(
        db.session.scalars(
            select(QueueItem).where(QueueItem.post_id == post.id, QueueItem.resolved_at.is_(None))
        )
    )


def review(moderator: User, post: Post) -> None:
    """A moderator has read the post and it needs nothing more."""
    if post.status == HELD:
        raise ForumError(_("This post is waiting in the moderation queue: approve or hide it there"))
    _mark_reviewed(post, moderator)
    signals.forum_moderated.send(moderator, object_type="post", object_id=post.id)
    db.session.commit()


def review_many(moderator: User, post_ids: list[int]) -> int:
    """Mark read the low-score posts a moderator had on screen. Others, and posts already read, stay."""
    if not post_ids:
        return 0
    found = db.session.scalars(_is_low(_unread()).where(Post.id.in_(post_ids[:TO_READ_PAGE]))).all()
    for post in found:
        _mark_reviewed(post, moderator)
    if found:
        signals.forum_moderated.send(moderator, object_type="post", object_id=None)
    db.session.commit()
    return len(found)


def is_overdue(item: QueueItem, moment: datetime | None = None) -> bool:
    """A risk item waiting longer than the limit, counted in moderated hours."""
    if not item.risk or item.resolved_at is not None:
        return False
    limit = current_app.config["FORUM_RISK_QUEUE_MINUTES"] * 60
    return service_seconds(moderation_team(), item.created_at, moment or now()) > limit


def claim(moderator: User, item: QueueItem) -> None:
    """Take an item so two moderators do not act on it at once."""
    if item.claimed_by_id and item.claimed_by_id != moderator.id:
        raise ForumError(
            _("%(full_name)s is already dealing with this", full_name=item.claimed_by.full_name), status=409
        )
    item.claimed_by_id, item.claimed_at = moderator.id, now()
    _audit(moderator, "claim", post=item.post)
    db.session.commit()


def _check_claim(moderator: User, post: Post) -> None:
    other = db.session.scalar(
        select(QueueItem).where(
            QueueItem.post_id == post.id,
            QueueItem.resolved_at.is_(None),
            QueueItem.claimed_by_id.is_not(None),
            QueueItem.claimed_by_id != moderator.id,
        )
    )
    if other is not None:
        raise ForumError(
            _("%(full_name)s is dealing with this post", full_name=other.claimed_by.full_name), status=409
        )


def _not_deleted(post: Post) -> None:
    if post.status == DELETED:
        raise ForumError(_("Its author deleted this post, so it stays deleted"))


def approve(moderator: User, post: Post, reason: str = "") -> None:
    """Publish a held post (or bring back a hidden one) and close its queue items."""
    _check_claim(moderator, post)
    _not_deleted(post)
    publishing = post.status in (HELD, HIDDEN)
    if publishing:
        post.status, post.hidden_reason = PUBLISHED, ""
        _published(post.thread, post)
    _resolve_items(post, moderator, "approved")
    _mark_reviewed(post, moderator)
    _audit(moderator, "approve", post=post, reason=reason)
    if publishing:
        _notify_followers(post.thread, post)
    db.session.commit()


def hide(moderator: User, post: Post, reason: str) -> None:
    """Hide a post; the author sees the reason."""
    _check_claim(moderator, post)
    _not_deleted(post)
    if not (reason or "").strip():
        raise ForumError(_("Give the reason the author will see"), "reason")
    post.status, post.hidden_reason = HIDDEN, reason.strip()
    _resolve_items(post, moderator, "hidden")
    _mark_reviewed(post, moderator)
    _audit(moderator, "hide", post=post, reason=reason)
    db.session.commit()


def restore(moderator: User, post: Post, reason: str = "") -> None:
    """Bring back a hidden post. A post its author deleted stays deleted."""
    if post.status != HIDDEN:
        raise ForumError(_("Only a hidden post can be restored"))
    post.status, post.hidden_reason = PUBLISHED, ""
    _published(post.thread, post)
    _mark_reviewed(post, moderator)
    _audit(moderator, "restore", post=post, reason=reason)
    db.session.commit()


def dismiss(moderator: User, post: Post, reason: str = "") -> None:
    """Nothing needs doing: the post stays as it is."""
    _check_claim(moderator, post)
    _resolve_items(post, moderator, "dismissed")
    _mark_reviewed(post, moderator)
    _audit(moderator, "dismiss", post=post, reason=reason)
    db.session.commit()


def toggle_lock(moderator: User, post: Post, reason: str = "") -> None:
    """Close a thread to new replies, or open it again."""
    item = post.thread
    item.locked = not item.locked
    _audit(
        moderator,
        "lock" if item.locked else "unlock",
        thread_id=item.id,
        member_id=item.author_id,
        reason=reason,
    )
    db.session.commit()


def restrict(moderator: User, member: User, kind: str, hours: int, reason: str) -> Restriction:
    """Silence (no posting) or suspend (no forum) a member for a set time."""
    if kind not in ("silence", "suspend"):
        raise ForumError(_("Choose silence or suspend"), "kind")
    if not 1 <= hours <= 24 * 90:
        raise ForumError(_("Choose between 1 hour and 90 days"), "hours")
    if not (reason or "").strip():
        raise ForumError(_("Give a reason"), "reason")
    row = Restriction(
        user_id=member.id,
        kind=kind,
        until=now() + timedelta(hours=hours),
        reason=reason.strip(),
        created_by_id=moderator.id,
    )
    db.session.add(row)
    _audit(moderator, kind, member_id=member.id, reason=reason)
    db.session.commit()
    return row


def thread_context(post: Post, before: int = 3, after: int = 2) -> tuple[list[Post], list[Post]]:
    """The posts around one post, for a moderator to read it in context."""
    earlier = db.session.scalars(
        select(Post)
        .where(Post.thread_id == post.thread_id, Post.id < post.id)
        .options(selectinload(Post.author))
        .order_by(Post.id.desc())
        .limit(before)
    ).all()
    later = db.session.scalars(
        select(Post)
        .where(Post.thread_id == post.thread_id, Post.id > post.id)
        .options(selectinload(Post.author))
        .order_by(Post.id)
        .limit(after)
    ).all()
    return list(reversed(earlier)), list(later)


@dataclass(frozen=True)
class SharedPost:
    """A forum post as a member's supporter team may read it: no text where they are not shown it."""

    id: int
    author_name: str
    created_at: datetime
    edited: bool
    status: str
    body: str | None


@dataclass(frozen=True)
class PostInContext:
    thread_title: str
    post: SharedPost
    before: list[SharedPost]
    after: list[SharedPost]


def _shared(post: Post, with_text: bool) -> SharedPost:
    author = post.author
    name = author.forum_name or _("%(name)s (moderator)", name=author.full_name.split(" ")[0])
    return SharedPost(
        post.id,
        name,
        post.created_at,
        post.edited_at is not None,
        post.status,
        post.body if with_text else None,
    )


def post_in_context(post_id: int, around: int = 2) -> PostInContext | None:
    """A post passed to its author's team, with the posts just before and after it, to read only.

    The team reads the post itself whatever a moderator has done with it, unless its author
    deleted it; around it, only the words of published posts, as any forum member would.
    """
    post = db.session.get(Post, post_id)
    if post is None:
        return None
    before, after = thread_context(post, before=around, after=around)
    return PostInContext(
        post.thread.title,
        _shared(post, post.status != DELETED),
        [_shared(other, other.status == PUBLISHED) for other in before],
        [_shared(other, other.status == PUBLISHED) for other in after],
    )


def author_history(member: User, limit: int = 20) -> list[Post]:
    return list(
        db.session.scalars(
            select(Post)
            .where(Post.author_id == member.id)
            .options(selectinload(Post.thread))
            .order_by(Post.id.desc())
            .limit(limit)
        )
    )


def revisions(post: Post) -> list[PostRevision]:
    return list(
        db.session.scalars(
            select(PostRevision)
            .where(PostRevision.post_id == post.id)
            .options(selectinload(PostRevision.editor))
            .order_by(PostRevision.id.desc())
        )
    )


def reports_for(post: Post) -> list[Report]:
    return list(db.session.scalars(select(Report).where(Report.post_id == post.id).order_by(Report.id)))


def audit_log(limit: int = 300) -> list[ModerationAction]:
    return list(
        db.session.scalars(
            select(ModerationAction)
            .options(selectinload(ModerationAction.moderator))
            .order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
            .limit(limit)
        )
    )


def escalate(moderator: User, post: Post, reason: str) -> int:
    """Pass a worry about a member to their team's supporters, as a staff-only note in the team inbox."""
    from react_toolkit.inbox.services import escalate_from_forum

    if not (reason or "").strip():
        raise ForumError(_("Say why you are passing this to the team"), "reason")
    conversation_id = escalate_from_forum(moderator, post.author, post.id, post.body, reason.strip())
    moment = now()
    db.session.execute(
        update(QueueItem)
        .where(QueueItem.post_id == post.id, QueueItem.resolved_at.is_(None))
        .values(escalated_at=moment)
    )
    _mark_reviewed(post, moderator)
    _audit(moderator, "escalate", post=post, reason=reason)
    db.session.commit()
    return conversation_id


def contact_author(moderator: User, post: Post, message: str) -> int:
    """Write to the author privately; it arrives in their messages, from a moderator."""
    from react_toolkit.inbox.services import message_from_moderator

    if not (message or "").strip():
        raise ForumError(_("Write your message to the author"), "message")
    conversation_id = message_from_moderator(moderator, post.author, message.strip())
    _mark_reviewed(post, moderator)
    _audit(moderator, "contact", post=post, reason=_("Wrote to the author privately"))
    db.session.commit()
    return conversation_id


def digest_slot(moment: datetime) -> str:
    """The half-day a digest belongs to, in London time: '2026-03-09 am' or '2026-03-09 pm'."""
    local = moment.astimezone(LONDON)
    return f"{local:%Y-%m-%d} {'am' if local.hour < 12 else 'pm'}"


def send_digest() -> int:
    """Email moderators a summary of waiting items (counts only, no post text), once each half-day."""
    from react_toolkit.auth import roles as R
    from react_toolkit.auth.models import UserRole

    items = queue()
    if not items:
        return 0
    moment = now()
    summary = {
        "waiting": len(items),
        "risk": sum(1 for i in items if i.risk),
        "overdue": sum(1 for i in items if is_overdue(i, moment)),
        "oldest": min(i.created_at for i in items),
    }
    moderators = db.session.scalars(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == R.MODERATOR, User.active)
    ).all()
    if not moderators:
        return 0
    # Claim this half-day's digest first: the unique slot lets one host win when several run it.
    # The notices go in the same transaction, so they are written once or not at all.
    link = f"{current_app.config['BASE_URL']}/moderation"
    try:
        db.session.add(DigestRun(slot=digest_slot(moment), sent_at=moment, moderators=len(moderators)))
        for moderator in moderators:
            with language_of(moderator):
                notifications.enqueue(
                    "forum.digest",
                    user=moderator,
                    subject=ngettext(
                        "%(num)d forum item waiting for moderation",
                        "%(num)d forum items waiting for moderation",
                        summary["waiting"],
                    ),
                    body=render_template("forum/email/digest.txt", link=link, **summary),
                )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return 0
    return len(moderators)
