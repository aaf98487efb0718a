"""A thread page costs the same number of SQL queries however many posts and authors it shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from react_toolkit.auth.forum_names import forum_name_key
from react_toolkit.auth.models import User, UserRole
from react_toolkit.extensions import db
from react_toolkit.forum.models import Thread
from react_toolkit.timeutil import now
from tests.forum.helpers import page, post_ids, post_row


def _thread_with(category, authors: list[User], posts: int) -> Thread:
    start = now() - timedelta(days=1)
    thread = Thread(
        category_id=category.id,
        author_id=authors[0].id,
        title=f"{posts} posts",
        created_at=start,
        last_post_at=start,
    )
    db.session.add(thread)
    db.session.flush()
    db.session.add_all(
        post_row(
            thread_id=thread.id,
            author_id=authors[n % len(authors)].id,
            body=f"Post number {n} with **some** [markdown](https://example.org/{n}).",
            created_at=start + timedelta(seconds=n),
        )
        for n in range(posts)
    )
    thread.last_post_at = start + timedelta(seconds=posts)
    thread.reply_count = posts - 1
    db.session.commit()
    return thread


def _authors(number: int, team) -> list[User]:
    users = []
    for n in range(number):
        name = f"Query Author {n}"
        user = User(
            email=f"query{n}@example.org",
            password_hash="x",
            full_name="",
            forum_name=name,
            forum_name_key=forum_name_key(name),
            site_id=team.site_id,
            team_id=team.id,
        )
        user.role_rows.append(UserRole(role="relative"))
        users.append(user)
    db.session.add_all(users)
    db.session.commit()
    return users


def _queries(client, path: str) -> tuple[int, str]:
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        text = page(client, path)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements), text


@pytest.mark.forum_config(FORUM_PAGE_SIZE=200)
def test_thread_page_query_count_does_not_grow_with_posts_or_authors(
    app, categories, create_team, create_user, login
):
    team = create_team()
    authors = _authors(50, team)
    small = _thread_with(categories["introductions"], authors[:5], 20)
    large = _thread_with(categories["coping-day-to-day"], authors, 200)
    reader = login(create_user(team=team))
    # Warm up: the first visit to each thread also creates the reader's read marker.
    page(reader, f"/forum/threads/{small.id}")
    page(reader, f"/forum/threads/{large.id}")

    small_count, small_page = _queries(reader, f"/forum/threads/{small.id}")
    large_count, large_page = _queries(reader, f"/forum/threads/{large.id}")
    assert len(post_ids(small_page)) == 20 and len(post_ids(large_page)) == 200
    assert "Query Author 49" in large_page
    assert large_count == small_count, f"20 posts: {small_count} queries; 200 posts: {large_count} queries"


@pytest.mark.forum_config(FORUM_PAGE_SIZE=200)
def test_an_author_s_held_posts_do_not_each_cost_queries(app, categories, create_team, create_user, login):
    """Each held post tells its author when it will be read; the moderation hours are read once."""
    team = create_team()
    author = create_user(team=team)
    reader = login(author)
    threads = {}
    for held in (1, 10):
        thread = _thread_with(categories["introductions"], [author], 2)
        for n in range(held):
            db.session.add(
                post_row(
                    thread_id=thread.id,
                    author_id=author.id,
                    body=f"Held {n}.",
                    status="held",
                    created_at=now(),
                )
            )
        db.session.commit()
        page(reader, f"/forum/threads/{thread.id}")
        threads[held] = thread
    one, one_page = _queries(reader, f"/forum/threads/{threads[1].id}")
    ten, ten_page = _queries(reader, f"/forum/threads/{threads[10].id}")
    assert ten_page.count("A new member") + ten_page.count("Posts that talk about safety") == 10
    assert ten == one, f"1 held post: {one} queries; 10 held posts: {ten} queries"


def _thank_every_post(thread: Thread, thankers: list[User]) -> None:
    from sqlalchemy import select

    from react_toolkit.forum.models import Post, Thanks

    for post_id in db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)):
        db.session.add_all(Thanks(post_id=post_id, user_id=user.id) for user in thankers)
    db.session.commit()


@pytest.mark.forum_config(FORUM_PAGE_SIZE=200)
def test_thanks_and_who_gave_them_cost_the_same_queries_however_many(
    app, categories, create_team, create_user, login
):
    team = create_team()
    authors = _authors(20, team)
    small = _thread_with(categories["introductions"], authors[:2], 5)
    large = _thread_with(categories["coping-day-to-day"], authors, 100)
    _thank_every_post(small, authors[:1])
    _thank_every_post(large, authors)
    for role in ("relative", "moderator"):
        reader = login(create_user(role, team=team), the_client=app.test_client())
        page(reader, f"/forum/threads/{small.id}")
        page(reader, f"/forum/threads/{large.id}")
        small_count, _ = _queries(reader, f"/forum/threads/{small.id}")
        large_count, large_page = _queries(reader, f"/forum/threads/{large.id}")
        assert "20 people said thank you" in large_page
        # Who said it: named to moderators only.
        assert ("said thank you: <span" in large_page) == (role == "moderator")
        assert large_count == small_count, f"{role}: 5 posts {small_count} queries; 100 posts {large_count}"


@pytest.mark.forum_config(FORUM_PAGE_SIZE=200)
def test_category_and_thread_lists_cost_the_same_queries_however_many_threads(
    app, categories, create_team, create_user, login
):
    team = create_team()
    authors = _authors(30, team)
    reader = login(create_user(team=team))
    _thread_with(categories["introductions"], authors[:1], 2)
    for n in range(30):
        thread = _thread_with(categories["coping-day-to-day"], [authors[n]], 3)
        if n % 2:
            page(reader, f"/forum/threads/{thread.id}")  # half of them read
    few_lists, _ = _queries(reader, "/forum/introductions")
    many_lists, many_page = _queries(reader, "/forum/coping-day-to-day")
    assert many_page.count("Go to the first new post") == 15
    assert many_lists == few_lists, f"1 thread: {few_lists} queries; 30 threads: {many_lists}"
    index_count, index_page = _queries(reader, "/forum")
    _thread_with(categories["good-news"], authors, 5)
    again, _ = _queries(reader, "/forum")
    assert "15 with new posts" in index_page and again == index_count


@pytest.mark.forum_config(FORUM_PAGE_SIZE=200)
def test_search_costs_the_same_queries_however_many_results(app, categories, create_team, create_user, login):
    team = create_team()
    authors = _authors(10, team)
    _thread_with(categories["introductions"], authors[:1], 2)
    _thread_with(categories["coping-day-to-day"], authors, 150)
    reader = login(create_user(team=team))
    few, few_page = _queries(reader, "/forum/search?q=number+1")
    many, many_page = _queries(reader, "/forum/search?q=markdown")
    assert "152 posts found" in many_page and few_page.count("<mark>") >= 2
    assert many == few, f"few results: {few} queries; 152 results: {many}"
