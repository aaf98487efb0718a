"""Helpers shared by the forum tests: posting through the pages, rows made directly, page scraping."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from html.parser import HTMLParser

from flask.testing import FlaskClient
from sqlalchemy import func, select

from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.forum.models import PUBLISHED, ForumCategory, Post, Thread
from react_toolkit.timeutil import now
from tests.conftest import post

# No waiting between posts and no first-post hold: for tests about something else.
RELAXED = {
    "FORUM_NEW_MEMBER_INTERVAL_SECONDS": 0,
    "FORUM_POST_INTERVAL_SECONDS": 0,
    "FORUM_FIRST_POSTS_HELD": 0,
}
CRISIS_HEADING = "You do not have to cope with this alone"
THREAD_LINK = re.compile(r"/forum/threads/(\d+)")


def start_thread(client: FlaskClient, slug: str, title: str, body: str, **kwargs):
    return post(client, f"/forum/{slug}/new", {"title": title, "body": body}, **kwargs)


def reply_to(client: FlaskClient, thread_id: int, body: str, **kwargs):
    return post(client, f"/forum/threads/{thread_id}/reply", {"body": body}, **kwargs)


def thread_id_from(response) -> int:
    match = THREAD_LINK.search(response.headers.get("Location", ""))
    assert match, f"no thread in the redirect: {response.status_code} {response.headers.get('Location')}"
    return int(match.group(1))


def post_row(**fields) -> Post:
    """A post row as the services write it: a published one records when it was published."""
    published = fields.get("status", PUBLISHED) == PUBLISHED
    if published and hasattr(Post, "published_at"):
        fields.setdefault("published_at", fields["created_at"])
    return Post(**fields)


def make_thread(
    author: User,
    category: ForumCategory,
    title: str = "A thread",
    body: str = "The first post.",
    *,
    status: str = PUBLISHED,
    created_at: datetime | None = None,
) -> Thread:
    """A thread and its first post, written straight to the database."""
    moment = created_at or now()
    thread = Thread(
        category_id=category.id,
        author_id=author.id,
        title=title,
        created_at=moment,
        last_post_at=moment,
        visible=status == PUBLISHED,
    )
    db.session.add(thread)
    db.session.flush()
    db.session.add(
        post_row(thread_id=thread.id, author_id=author.id, body=body, status=status, created_at=moment)
    )
    db.session.commit()
    return thread


def add_post(
    thread: Thread,
    author: User,
    body: str = "A reply.",
    *,
    status: str = PUBLISHED,
    created_at: datetime | None = None,
) -> Post:
    moment = created_at or now()
    row = post_row(thread_id=thread.id, author_id=author.id, body=body, status=status, created_at=moment)
    db.session.add(row)
    if status == PUBLISHED and moment > thread.last_post_at:
        thread.last_post_at = moment
    db.session.commit()
    return row


def established(user: User, published_posts: int = 0, thread: Thread | None = None) -> User:
    """A member who joined a month ago (optionally with some published posts from then)."""
    long_ago = now() - timedelta(days=30)
    user.created_at = long_ago
    for _ in range(published_posts):
        db.session.add(
            post_row(
                thread_id=thread.id,
                author_id=user.id,
                body="Old post.",
                status=PUBLISHED,
                created_at=long_ago,
            )
        )
    db.session.commit()
    return user


def count(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def latest(model, *where):
    db.session.expire_all()
    return db.session.scalars(select(model).where(*where).order_by(model.id.desc()).limit(1)).first()


def page(client: FlaskClient, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def textarea_value(text: str, field_id: str = "body") -> str | None:
    match = re.search(rf'<textarea[^>]*\bid="{field_id}"[^>]*>(.*?)</textarea>', text, re.S)
    return html.unescape(match.group(1)).strip() if match else None


def input_value(text: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*\bvalue="([^"]*)"', text)
    return html.unescape(match.group(1)) if match else None


def thread_row(text: str, thread_id: int) -> str:
    """The heading of one thread on a category page, from its link to the end of the heading."""
    start = text.find(f'href="/forum/threads/{thread_id}"')
    assert start != -1, f"thread {thread_id} is not on the page"
    return text[start : text.find("</h2>", start)]


def marked_new(text: str, thread_id: int) -> bool:
    return ">New<" in thread_row(text, thread_id)


def thread_order(text: str) -> list[int]:
    """Thread ids in the order the category page lists them."""
    return [int(n) for n in re.findall(r'<h2 class="nhsuk-heading-s"><a href="/forum/threads/(\d+)"', text)]


def post_ids(text: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="react-post[^"]*" id="post-(\d+)"', text)]


class Tags(HTMLParser):
    """Every start tag in a page with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def tags(text: str) -> list[tuple[str, dict[str, str]]]:
    parser = Tags()
    parser.feed(text)
    parser.close()
    return parser.tags
