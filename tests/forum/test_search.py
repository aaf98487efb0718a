"""Forum search: finds the posts a person may read, best first, with safe highlighted snippets;
never a held, hidden or deleted post, a thread still waiting, or a category they cannot see."""

from __future__ import annotations

import functools
import re

import pytest
import sqlalchemy
from sqlalchemy import select, text

from react_toolkit.extensions import db
from react_toolkit.forum import search, services
from react_toolkit.forum.models import DELETED, HELD, HIDDEN, ForumCategory, Post
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.forum.helpers import RELAXED, add_post, make_thread, page

RESULT = re.compile(r'href="/forum/posts/(\d+)"')


def _found(client, words: str) -> list[int]:
    text = page(client, f"/forum/search?q={words}")
    return [int(n) for n in RESULT.findall(text)]


def test_terms_are_plain_words_whatever_was_typed():
    assert search.terms('sleep AND "night" OR NEAR(x) -tired* ^col:') == [
        "sleep",
        "and",
        "night",
        "or",
        "near",
        "x",
        "tired",
        "col",
    ]
    assert search.terms("") == [] and search.terms("!!! ---") == []
    assert len(search.terms(" ".join(f"w{n}" for n in range(20)))) == search.MAX_TERMS


def test_highlight_escapes_the_text_and_marks_only_the_matches():
    snippet = f"<script>alert(1)</script> a {search.OPEN}sleepless{search.CLOSE} night & <b>"
    shown = str(search.highlight(snippet))
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "<mark>sleepless</mark>" in shown and "&amp; &lt;b&gt;" in shown
    # A stray mark in someone's words can only move a highlight, never open a tag.
    assert str(search.highlight(f"{search.CLOSE}<i>x{search.OPEN}")) == "&lt;i&gt;x"


def test_search_finds_published_posts_ranked_with_highlights(app, people, categories):
    category = categories["coping-day-to-day"]
    about = make_thread(
        people["author"], category, "Sleep and nights", "He is awake all night and sleeps all day."
    )
    other = make_thread(
        people["author"], category, "Cooking", "We cooked together; he talked about sleep once."
    )
    best = db.session.scalar(select(Post.id).where(Post.thread_id == about.id))
    weaker = db.session.scalar(select(Post.id).where(Post.thread_id == other.id))

    found = _found(people["other_client"], "sleeping")
    assert found[:2] == [best, weaker]  # stemmed, and the title's match ranks first
    text = page(people["other_client"], "/forum/search?q=sleeping")
    assert "<mark>" in text and "2 posts found" in text
    assert _found(people["other_client"], "sleep cooked") == [weaker]  # every word must be there


def test_search_never_returns_held_hidden_or_deleted_posts(app, people, categories):
    category = categories["coping-day-to-day"]
    thread = make_thread(people["author"], category, "Our week", "Zanzibar is where we went.")
    shown = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    held = add_post(thread, people["author"], "Zanzibar again, held.", status=HELD)
    hidden = add_post(thread, people["author"], "Zanzibar hidden by a moderator.", status=HIDDEN)
    deleted = add_post(thread, people["author"], "Zanzibar deleted by its author.", status=DELETED)
    waiting = make_thread(people["author"], category, "Zanzibar waiting", "First post held.", status=HELD)

    for client in ("other_client", "author_client", "moderator_client"):
        assert _found(people[client], "zanzibar") == [shown], client
    published_later = add_post(thread, people["author"], "A Zanzibar post published now.")
    hidden_later = db.session.get(Post, published_later.id)
    hidden_later.status = HIDDEN
    db.session.commit()
    assert _found(people["other_client"], "zanzibar") == [shown]
    assert {held.id, hidden.id, deleted.id, waiting.id} - {shown}


def test_search_never_returns_posts_in_a_category_the_person_cannot_see(
    app, people, categories, create_team, create_user, login
):
    team = create_team()
    local = ForumCategory(slug="local-only", name="Local", description="", position=99, site_id=team.site_id)
    db.session.add(local)
    db.session.commit()
    make_thread(people["author"], local, "Kangaroo", "Kangaroo court.")
    outsider = login(create_user(), the_client=app.test_client())
    assert _found(outsider, "kangaroo") == []
    assert len(_found(people["moderator_client"], "kangaroo")) == 1


@pytest.mark.forum_config(FORUM_SITE_CATEGORIES=True)
def test_a_site_member_finds_their_own_site_category(app, categories, create_team, create_user, login):
    team = create_team()
    local = ForumCategory(slug="ours", name="Ours", description="", position=99, site_id=team.site_id)
    db.session.add(local)
    db.session.commit()
    member, stranger = create_user(team=team), create_user(team=create_team())
    make_thread(member, local, "Wombat", "Wombat days.")
    assert len(_found(login(member, the_client=app.test_client()), "wombat")) == 1
    assert _found(login(stranger, the_client=app.test_client()), "wombat") == []


def test_query_syntax_cannot_break_search_and_is_never_recorded(app, people, categories):
    make_thread(people["author"], categories["good-news"], "Good", 'A "quoted" post about OR and NEAR.')
    for words in ['"', "NEAR(", "a OR", "*", "col:x", "'; DROP TABLE forum_posts; --", "ünïcödé ☃", "%%"]:
        response = people["other_client"].get("/forum/search", query_string={"q": words})
        assert response.status_code == 200, words
    people["other_client"].get("/forum/search", query_string={"q": "secretword"})
    for event in db.session.scalars(select(UsageEvent)):
        assert "secretword" not in repr([getattr(event, c.key) for c in UsageEvent.__table__.columns])


@pytest.mark.forum_config(**RELAXED)
def test_the_index_follows_new_posts_and_edits_in_the_same_transaction(app, people, categories):
    from tests.forum.helpers import reply_to, start_thread, thread_id_from

    thread_id = thread_id_from(start_thread(people["author_client"], "good-news", "Platypus", "Hello there."))
    assert len(_found(people["other_client"], "platypus")) == 1  # the title of the opening post
    reply_to(people["author_client"], thread_id, "An echidna visited.")
    [reply] = _found(people["other_client"], "echidna")
    response = post(people["author_client"], f"/forum/posts/{reply}/edit", {"body": "A numbat visited."})
    assert response.status_code == 302
    assert _found(people["other_client"], "echidna") == []
    assert _found(people["other_client"], "numbat") == [reply]


def test_results_are_paged_and_link_to_the_post_on_its_page(app, people, categories, clock):
    category = categories["coping-day-to-day"]
    thread = make_thread(people["author"], category, "Long one", "Opening post.")
    for n in range(25):
        add_post(thread, people["other"], f"Reply {n} about gardening.")
    text = page(people["author_client"], "/forum/search?q=gardening")
    assert "25 posts found" in text and "Page 1 of 2" in text
    second = _found(people["author_client"], "gardening&page=2")
    assert len(second) == 5
    last_reply = max(_found(people["author_client"], "gardening") + second)
    response = people["author_client"].get(f"/forum/posts/{last_reply}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forum/threads/{thread.id}?page=2#post-{last_reply}")


def test_signed_out_and_staff_who_do_not_use_the_forum_cannot_search(app, client, create_user, login):
    assert client.get("/forum/search?q=x").status_code == 302
    lead = login(create_user("site_lead"), the_client=app.test_client())
    assert lead.get("/forum/search?q=x").status_code in (403, 404)


def test_a_search_matching_more_than_the_window_ranks_the_newest_and_says_so(
    app, people, categories, monkeypatch
):
    monkeypatch.setattr(search, "RANK_WINDOW", 5)
    category = categories["coping-day-to-day"]
    thread = make_thread(people["author"], category, "Walks", "A walk.")
    replies = [add_post(thread, people["author"], f"Walk number {n}.").id for n in range(8)]
    text = page(people["other_client"], "/forum/search?q=walk")
    assert "More than 5 posts have these words" in text
    assert sorted(_found(people["other_client"], "walk")) == replies[-5:]
    few = page(people["other_client"], "/forum/search?q=number+7")
    assert "1 post found" in few and "More than" not in few


def _statements(run) -> list[str]:
    """The SQL statements `run()` sends, leaving out the PostgreSQL setting for the transaction."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sqlalchemy.event.listen(db.engine, "before_cursor_execute", record)
    try:
        run()
    finally:
        sqlalchemy.event.remove(db.engine, "before_cursor_execute", record)
    return [statement for statement in statements if not statement.startswith("SET LOCAL")]


def test_a_search_is_one_statement_however_many_posts_match(app, people, categories):
    """Matching, ranking, what this person may read, the count, whether there are more and the
    page's snippets are one statement, for many matches, a few or none."""
    thread = make_thread(people["author"], categories["coping-day-to-day"], "Garden", "Gardening.")
    for n in range(30):
        add_post(thread, people["author"], f"Gardening note {n}.")
    with app.test_request_context():
        services.search_posts(people["other"], "gardening", 1)  # loads the person and their roles
        for words in ("gardening", "note 7", "okapi"):
            search_once = functools.partial(services.search_posts, people["other"], words, 1)
            assert len(_statements(search_once)) == 1, words
        found, _words = services.search_posts(people["other"], "gardening", 2)
    assert found.total == 31 and len(found.hits) == 11 and not found.more
    assert all("<mark>" in str(hit.snippet) for hit in found.hits)


def test_postgresql_plans_each_search_for_its_words(app, people, categories):
    """psycopg prepares a statement it has run five times; the search is still planned for its own
    words each time, never with one generic plan for every word."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL plan cache")
    thread = make_thread(people["author"], categories["coping-day-to-day"], "Garden", "Gardening.")
    add_post(thread, people["author"], "Gardening and sleep.")
    with app.test_request_context():
        for n in range(12):
            services.search_posts(people["other"], ("gardening", "sleep", "weeds")[n % 3], 1)
        plans = db.session.execute(
            text(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                "WHERE statement LIKE '%forum_post_search%'"
            )
        ).all()
    assert plans and all(generic == 0 and custom > 0 for generic, custom in plans), plans
