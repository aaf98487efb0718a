"""Risk language in forum posts: each lexicon action (hold, flag, block, allow), out-of-hours holding,
the crisis panel, and phrases moderators add in the app."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.forum import services
from react_toolkit.forum.models import HELD, PUBLISHED, Post, QueueItem, Thread
from react_toolkit.risk.models import RiskPhrase
from tests.conftest import post
from tests.forum.helpers import (
    CRISIS_HEADING,
    RELAXED,
    count,
    input_value,
    latest,
    make_thread,
    page,
    reply_to,
    start_thread,
    textarea_value,
    thread_id_from,
)

HOLD = "I want to end it all"
FLAG = "he said he wants to kill himself"
BLOCK = "how to kill yourself"
EVERYDAY = "Killing time before the appointment"


@pytest.fixture
def in_hours(monkeypatch):
    monkeypatch.setattr(services, "moderated_now", lambda moment=None: True)


@pytest.fixture
def out_of_hours(monkeypatch):
    monkeypatch.setattr(services, "moderated_now", lambda moment=None: False)


def assert_crisis_panel(text: str) -> None:
    assert CRISIS_HEADING in text
    for number in ("999", "116 123", "85258"):
        assert number in text, number


def follow(client, response) -> str:
    """The page a redirect leads to, as the writer sees it straight after posting."""
    assert response.status_code == 302
    return page(client, response.headers["Location"])


@pytest.mark.forum_config(**RELAXED)
def test_hold_phrase_holds_the_post_queues_it_as_risk_and_shows_the_crisis_panel(people, in_hours):
    client = people["author_client"]
    response = start_thread(client, "coping-day-to-day", "Tonight", f"Some days {HOLD}.")
    assert "help=1" in response.headers["Location"]
    assert_crisis_panel(follow(client, response))

    thread_id = thread_id_from(response)
    held = latest(Post, Post.thread_id == thread_id)
    assert held.status == HELD and held.held_because == "risk" and "suicide" in held.risk_categories
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == held.id))
    assert item.risk is True and item.resolved_at is None and item.severity == 3
    assert people["other_client"].get(f"/forum/threads/{thread_id}").status_code == 404


@pytest.mark.forum_config(**RELAXED)
def test_hold_phrase_in_a_reply_is_hidden_from_others(people, categories, in_hours):
    thread = make_thread(people["other"], categories["coping-day-to-day"], "Open thread", "How are you all?")
    response = reply_to(people["author_client"], thread.id, HOLD)
    assert_crisis_panel(follow(people["author_client"], response))
    held = latest(Post, Post.thread_id == thread.id)
    assert held.status == HELD and held.author_id == people["author"].id
    assert count(QueueItem, QueueItem.post_id == held.id, QueueItem.risk) == 1
    assert HOLD not in page(people["other_client"], f"/forum/threads/{thread.id}")


@pytest.mark.forum_config(FORUM_FIRST_POSTS_HELD=0, FORUM_NEW_MEMBER_INTERVAL_SECONDS=0)
def test_flag_phrase_publishes_and_queues(people, in_hours):
    client = people["author_client"]
    response = start_thread(client, "coping-day-to-day", "Worried", f"Last night {FLAG}.")
    assert_crisis_panel(follow(client, response))
    thread_id = thread_id_from(response)
    flagged = latest(Post, Post.thread_id == thread_id)
    assert flagged.status == PUBLISHED
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == flagged.id))
    assert item is not None and item.reason == "risk" and item.risk and item.resolved_at is None
    assert FLAG in page(people["other_client"], f"/forum/threads/{thread_id}")


@pytest.mark.forum_config(**RELAXED)
def test_block_phrase_is_refused_nothing_is_stored_and_the_text_is_kept(people, categories, in_hours):
    client = people["author_client"]
    body = f"Does anyone know {BLOCK}?"
    response = start_thread(client, "coping-day-to-day", "A question", body)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "We cannot post this" in text
    assert textarea_value(text) == body and input_value(text, "title") == "A question"
    assert_crisis_panel(text)
    assert count(Thread) == 0 and count(Post) == 0 and count(QueueItem) == 0

    response = start_thread(client, "coping-day-to-day", BLOCK, "Just asking.")
    assert response.status_code == 422 and count(Thread) == 0

    thread = make_thread(people["other"], categories["coping-day-to-day"])
    response = reply_to(client, thread.id, body)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "We cannot post this" in text and textarea_value(text) == body
    assert_crisis_panel(text)
    assert count(Post, Post.author_id == people["author"].id) == 0 and count(QueueItem) == 0


@pytest.mark.forum_config(**RELAXED)
def test_flag_phrase_out_of_hours_is_held(people, categories, out_of_hours):
    response = start_thread(people["author_client"], "coping-day-to-day", "Late", FLAG)
    assert_crisis_panel(follow(people["author_client"], response))
    held = latest(Post, Post.thread_id == thread_id_from(response))
    assert held.status == HELD and held.held_because == "out-of-hours"
    assert count(QueueItem, QueueItem.post_id == held.id, QueueItem.risk) == 1
    assert people["other_client"].get(f"/forum/threads/{held.thread_id}").status_code == 404


@pytest.mark.forum_config(**RELAXED)
@pytest.mark.parametrize("moderated", [True, False])
def test_everyday_phrases_publish_without_a_queue_item(people, monkeypatch, moderated):
    monkeypatch.setattr(services, "moderated_now", lambda moment=None: moderated)
    response = start_thread(people["author_client"], "coping-day-to-day", "Waiting room", EVERYDAY)
    assert response.status_code == 302 and "help=1" not in response.headers["Location"]
    assert CRISIS_HEADING not in follow(people["author_client"], response)
    published = latest(Post, Post.thread_id == thread_id_from(response))
    assert published.status == PUBLISHED and published.risk_categories == ""
    assert count(QueueItem) == 0


@pytest.mark.forum_config(**RELAXED)
def test_phrase_added_by_a_moderator_applies_at_once(people, in_hours):
    moderator = people["moderator_client"]
    assert moderator.get("/risk/lexicon/new").status_code == 200
    response = post(
        moderator,
        "/risk/lexicon/new",
        {"phrase": "Walk into the sea", "category": "suicide", "action": "hold", "message": ""},
    )
    assert response.status_code == 302
    row = db.session.scalar(select(RiskPhrase).where(RiskPhrase.phrase == "walk into the sea"))
    assert row is not None and row.action == "hold" and row.updated_by_id == people["moderator"].id
    assert "walk into the sea" in page(moderator, "/risk/lexicon")

    response = start_thread(
        people["author_client"], "coping-day-to-day", "Tonight", "I might walk into the sea"
    )
    held = latest(Post, Post.thread_id == thread_id_from(response))
    assert held.status == HELD and held.held_because == "risk"
    assert count(QueueItem, QueueItem.post_id == held.id, QueueItem.risk) == 1

    response = post(
        moderator,
        "/risk/lexicon/new",
        {"phrase": "blue lagoon recipe", "category": "self-harm", "action": "block", "message": ""},
    )
    assert response.status_code == 400 and "Write the message" in response.get_data(as_text=True)
    response = post(
        moderator,
        "/risk/lexicon/new",
        {
            "phrase": "blue lagoon recipe",
            "category": "self-harm",
            "action": "block",
            "message": "We do not allow this here.",
        },
    )
    assert response.status_code == 302
    response = start_thread(people["author_client"], "coping-day-to-day", "Recipes", "The blue lagoon recipe")
    assert response.status_code == 422
    assert "We do not allow this here." in response.get_data(as_text=True)


def test_relatives_cannot_see_or_change_the_lexicon(people):
    client = people["author_client"]
    assert client.get("/risk/lexicon").status_code == 403
    assert client.get("/risk/lexicon/new").status_code == 403
    response = post(
        client, "/risk/lexicon/new", {"phrase": "harmless words", "category": "allow", "action": "allow"}
    )
    assert response.status_code == 403
    assert count(RiskPhrase) == 0
    assert people["moderator_client"].get("/risk/lexicon").status_code == 200


@pytest.mark.forum_config(**RELAXED)
@pytest.mark.parametrize(
    ("words", "moderated"), [(HOLD, True), (FLAG, False)], ids=["hold", "flag-out-of-hours"]
)
def test_editing_risk_words_into_a_published_post_holds_it_as_posting_would(
    people, categories, monkeypatch, words, moderated
):
    monkeypatch.setattr(services, "moderated_now", lambda moment=None: moderated)
    client = people["author_client"]
    thread = make_thread(people["other"], categories["coping-day-to-day"], "Open thread", "How is everyone?")
    assert reply_to(client, thread.id, "An ordinary day.").status_code == 302
    item = latest(Post, Post.thread_id == thread.id)
    assert item.status == PUBLISHED and item.author_id == people["author"].id
    assert post(client, f"/forum/posts/{item.id}/edit", {"body": f"Honestly, {words}."}).status_code == 302
    db.session.expire_all()
    assert count(QueueItem, QueueItem.post_id == item.id, QueueItem.risk) == 1
    assert db.session.get(Post, item.id).status == HELD, "risk words added by an edit stay on the forum"
    seen_by_other = page(people["other_client"], f"/forum/threads/{thread.id}")
    assert "How is everyone?" in seen_by_other and words not in seen_by_other
    assert words in page(client, f"/forum/threads/{thread.id}")


@pytest.mark.forum_config(**RELAXED)
def test_editing_risk_words_into_a_post_shows_the_crisis_panel(people, in_hours):
    client = people["author_client"]
    thread_id = thread_id_from(start_thread(client, "coping-day-to-day", "A day", "An ordinary day."))
    item = latest(Post, Post.thread_id == thread_id)
    response = post(client, f"/forum/posts/{item.id}/edit", {"body": f"Honestly, {HOLD}."})
    assert_crisis_panel(follow(client, response))


@pytest.mark.forum_config(**RELAXED)
def test_a_thread_stays_invisible_while_its_first_post_is_held_even_after_a_published_reply(people, in_hours):
    client = people["author_client"]
    response = start_thread(client, "coping-day-to-day", "Tonight is the night", f"Honestly, {HOLD}.")
    thread_id = thread_id_from(response)
    assert latest(Post, Post.thread_id == thread_id).status == HELD
    assert reply_to(client, thread_id, "Sorry, please ignore my post.").status_code == 302
    assert latest(Post, Post.thread_id == thread_id).status == PUBLISHED

    other = people["other_client"]
    assert "Tonight is the night" not in page(other, "/forum/coping-day-to-day")
    assert other.get(f"/forum/threads/{thread_id}").status_code == 404


@pytest.mark.forum_config(**RELAXED)
def test_editing_in_a_block_phrase_is_refused_keeps_the_text_and_shows_the_crisis_panel(people, in_hours):
    client = people["author_client"]
    thread_id = thread_id_from(start_thread(client, "coping-day-to-day", "A day", "An ordinary day."))
    item = latest(Post, Post.thread_id == thread_id)
    body = f"Does anyone know {BLOCK}?"
    response = post(client, f"/forum/posts/{item.id}/edit", {"body": body})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "We cannot post this" in text and textarea_value(text) == body
    db.session.expire_all()
    assert db.session.get(Post, item.id).body == "An ordinary day."
    assert_crisis_panel(text)


@pytest.mark.forum_config(FORUM_NEW_MEMBER_INTERVAL_SECONDS=0)
def test_editing_risk_words_into_a_post_already_waiting_does_not_queue_it_twice(people, in_hours):
    client = people["author_client"]
    thread_id = thread_id_from(start_thread(client, "introductions", "Hello", "Hello everyone."))
    item = latest(Post, Post.thread_id == thread_id)
    assert item.status == HELD and count(QueueItem, QueueItem.post_id == item.id) == 1
    assert post(client, f"/forum/posts/{item.id}/edit", {"body": FLAG}).status_code == 302
    waiting = count(QueueItem, QueueItem.post_id == item.id, QueueItem.resolved_at.is_(None))
    assert waiting == 1, f"the post is in the queue {waiting} times"
    assert count(QueueItem, QueueItem.post_id == item.id, QueueItem.risk) == 1
