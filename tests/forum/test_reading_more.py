"""Reading a busy forum: unread markers and last post times in the lists, the first new post,
pages of 20 posts, links to a post that survive paging, the reply box from the top, and a preview."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.forum.models import Post, Thread
from react_toolkit.timeutil import now
from tests.conftest import post
from tests.forum.helpers import (
    RELAXED,
    add_post,
    count,
    make_thread,
    page,
    post_ids,
    textarea_value,
)
from tests.forum.test_crisis_first import RISK, assert_crisis_card


def _long_thread(people, categories, posts: int, start=None) -> tuple[Thread, list[int]]:
    start = start or now() - timedelta(days=2)
    thread = make_thread(
        people["author"], categories["coping-day-to-day"], "Long", "Post 0", created_at=start
    )
    for n in range(1, posts):
        add_post(thread, people["author"], f"Post {n}", created_at=start + timedelta(minutes=n))
    ids = list(db.session.scalars(select(Post.id).where(Post.thread_id == thread.id).order_by(Post.id)))
    return thread, ids


def test_a_thread_shows_20_posts_a_page_with_numbered_pages(app, people, categories):
    thread, ids = _long_thread(people, categories, 45)
    first = page(people["other_client"], f"/forum/threads/{thread.id}")
    assert post_ids(first) == ids[:20]
    assert 'aria-current="page"' in first and f'href="/forum/threads/{thread.id}?page=3"' in first
    assert post_ids(page(people["other_client"], f"/forum/threads/{thread.id}?page=3")) == ids[40:]
    last = page(people["other_client"], f"/forum/threads/{thread.id}?page=last")
    assert post_ids(last) == ids[40:]


def test_a_link_to_a_post_opens_the_page_it_is_on(app, people, categories):
    thread, ids = _long_thread(people, categories, 45)
    for index, expected_page in ((0, 1), (19, 1), (20, 2), (44, 3)):
        response = people["other_client"].get(f"/forum/posts/{ids[index]}")
        assert response.status_code == 302
        location = response.headers["Location"]
        assert location.endswith(f"/forum/threads/{thread.id}?page={expected_page}#post-{ids[index]}")
        assert ids[index] in post_ids(page(people["other_client"], location.split("#")[0]))


def test_the_category_and_index_say_what_is_new_and_when_the_last_post_was(app, people, categories, clock):
    thread, ids = _long_thread(people, categories, 3)
    index = page(people["other_client"], "/forum")
    assert "New posts" in index and "1 with new posts" in index and "last post" in index
    listing = page(people["other_client"], "/forum/coping-day-to-day")
    assert f'href="/forum/threads/{thread.id}/unread"' in listing
    page(people["other_client"], f"/forum/threads/{thread.id}")  # now read
    assert "New posts" not in page(people["other_client"], "/forum")
    assert "/unread" not in page(people["other_client"], "/forum/coping-day-to-day")
    clock.advance(timedelta(minutes=5))
    add_post(thread, people["author"], "Something new", created_at=now())
    assert "1 with new posts" in page(people["other_client"], "/forum")


def test_first_new_post_goes_to_its_page_and_anchor(app, people, categories, clock):
    thread, ids = _long_thread(people, categories, 25)
    page(people["other_client"], f"/forum/threads/{thread.id}?page=2")  # read up to now
    clock.advance(timedelta(minutes=10))
    newer = [
        add_post(thread, people["author"], f"New {n}", created_at=now() + timedelta(seconds=n)).id
        for n in range(3)
    ]
    response = people["other_client"].get(f"/forum/threads/{thread.id}/unread")
    assert response.headers["Location"].endswith(f"/forum/threads/{thread.id}?page=2#post-{newer[0]}")
    # Never opened: the first post.
    stranger = people["moderator_client"]
    response = stranger.get(f"/forum/threads/{thread.id}/unread")
    assert response.headers["Location"].endswith(f"?page=1#post-{ids[0]}")
    # Nothing new: the last page.
    clock.advance(timedelta(minutes=1))
    page(people["other_client"], f"/forum/threads/{thread.id}?page=2")
    response = people["other_client"].get(f"/forum/threads/{thread.id}/unread")
    assert response.headers["Location"].endswith(f"/forum/threads/{thread.id}?page=last")


def test_the_reply_box_is_reachable_from_the_top_of_the_thread(app, people, categories):
    thread, _ids = _long_thread(people, categories, 3)
    text = page(people["other_client"], f"/forum/threads/{thread.id}")
    top = text.index('href="#reply"')
    assert top < text.index('id="post-') and 'id="reply"' in text[text.index("<h2 id=") :]
    assert top < text.index('id="reply"')


@pytest.mark.forum_config(**RELAXED)
def test_preview_shows_the_post_and_keeps_the_words_without_posting(app, people, categories):
    words = "We had **a good day**.\n\n<script>alert(1)</script>"
    response = post(
        people["author_client"],
        "/forum/good-news/new",
        {"title": "A day out", "body": words, "preview": "1"},
        token_from="/forum/good-news/new",
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "this is how your post will look" in text
    assert "<strong>a good day</strong>" in text and "<script>alert(1)</script>" not in text
    assert textarea_value(text) == words and 'value="A day out"' in text
    assert count(Thread) == 0 and count(Post) == 0


@pytest.mark.forum_config(**RELAXED)
def test_reply_preview_keeps_the_words_and_posts_nothing(app, people, categories):
    thread, _ids = _long_thread(people, categories, 2)
    before = count(Post)
    path = f"/forum/threads/{thread.id}"
    response = post(
        people["other_client"],
        f"{path}/reply",
        {"body": "Thinking of you _all_.", "preview": "1"},
        token_from=path,
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<em>all</em>" in text
    assert textarea_value(text) == "Thinking of you _all_." and count(Post) == before
    empty = post(people["other_client"], f"{path}/reply", {"body": "  ", "preview": "1"}, token_from=path)
    assert empty.status_code == 400 and "Write your message" in empty.get_data(as_text=True)
    risky = post(people["other_client"], f"{path}/reply", {"body": RISK, "preview": "1"}, token_from=path)
    assert_crisis_card(risky.get_data(as_text=True))
    assert count(Post) == before


def test_the_front_page_counts_threads_and_unread_threads_per_category(app, people, categories):
    from react_toolkit.forum import services
    from react_toolkit.forum.models import HELD, ThreadReader

    start = now() - timedelta(days=1)
    here = categories["coping-day-to-day"]
    read, replied, never = (
        make_thread(people["author"], here, title, created_at=start + timedelta(minutes=n))
        for n, title in enumerate(("Read", "Read, then a reply", "Never opened"))
    )
    make_thread(people["author"], here, "Held", status=HELD, created_at=start)
    for thread in (read, replied):
        db.session.add(
            ThreadReader(
                user_id=people["other"].id, thread_id=thread.id, last_read_at=start + timedelta(hours=1)
            )
        )
    replied.last_post_at = start + timedelta(hours=2)
    db.session.add(ThreadReader(user_id=people["author"].id, thread_id=never.id, last_read_at=now()))
    db.session.commit()

    summary = {row.category.slug: row for row in services.categories(people["other"])}
    assert (summary[here.slug].threads, summary[here.slug].unread) == (3, 2)
    assert summary[here.slug].last_post_at.replace(tzinfo=None) == (start + timedelta(hours=2)).replace(
        tzinfo=None
    )
    assert (summary["introductions"].threads, summary["introductions"].unread) == (0, 0)
    mine = {row.category.slug: row for row in services.categories(people["author"])}
    assert (mine[here.slug].threads, mine[here.slug].unread) == (3, 2)
