"""Every forum post read by a person: review records, the "To read" stream, the low-risk page, and
who may use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.forum import services
from react_toolkit.forum.models import HELD, HIDDEN, Post, QueueItem
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.risk.services import check_text
from tests.conftest import post
from tests.forum.helpers import (
    RELAXED,
    established,
    make_thread,
    page,
    reply_to,
    start_thread,
)

pytestmark = pytest.mark.forum_config(**RELAXED)

# Held for a moderator (a "hold" phrase); flagged and published; below the risk line but above the
# low-risk line; and ordinary.
RISKY = "I can't cope anymore, I want to end it all tonight."
HIGHEST = "He has stopped his tablets and has not eaten for days, he locked himself in his room."
WORRYING = "He has not slept for three nights and keeps saying the neighbours are watching him."
MIDDLING = "Some days I do not know how much more I can take."
ORDINARY = "We went to the garden centre today and had a cup of tea. It was a good afternoon."
SATURDAY_NIGHT = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)  # 2am in London, not moderated


def reply(people, thread_id: int, body: str, who: str = "author") -> Post:
    response = reply_to(people[f"{who}_client"], thread_id, body)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return db.session.scalars(select(Post).order_by(Post.id.desc()).limit(1)).one()


@pytest.fixture
def thread(people, categories):
    established(people["author"])
    established(people["other"])
    made = make_thread(
        people["other"], categories["coping-day-to-day"], "Evenings", "How are evenings for you?"
    )
    services.review(
        people["moderator"], db.session.scalars(select(Post).where(Post.thread_id == made.id)).one()
    )
    return made


def test_preconditions_of_these_tests_hold(app):
    """The words used here land where the tests expect: above, near and below the low-risk line."""
    low = app.config["FORUM_LOW_RISK_SCORE"]
    assert check_text(RISKY).action == "hold"
    assert check_text(HIGHEST).action == check_text(WORRYING).action == "flag"
    assert check_text(HIGHEST).score > check_text(WORRYING).score > check_text(MIDDLING).score >= low
    assert not check_text(MIDDLING).is_risk
    assert not check_text(ORDINARY).is_risk and check_text(ORDINARY).score < low


def test_a_relative_s_post_waits_to_be_read_and_a_moderator_s_own_post_does_not(people, thread, clock):
    relative_post = reply(people, thread.id, ORDINARY)
    assert relative_post.reviewed_at is None and relative_post.reviewed_by_id is None
    moment = clock.set(clock() + timedelta(minutes=1))
    moderator_post = reply(people, thread.id, "Welcome, everyone. I am one of the moderators.", "moderator")
    assert moderator_post.reviewed_by_id == people["moderator"].id
    assert moderator_post.reviewed_at == moment


def test_the_stream_puts_the_riskiest_first_then_the_oldest(people, thread, clock):
    ordinary = reply(people, thread.id, ORDINARY)
    clock.advance(minutes=1)
    middling = reply(people, thread.id, MIDDLING)
    clock.advance(minutes=1)
    worrying_early = reply(people, thread.id, WORRYING)
    clock.advance(minutes=1)
    highest = reply(people, thread.id, HIGHEST)
    clock.advance(minutes=1)
    worrying_late = reply(people, thread.id, WORRYING, "other")
    held = reply(people, thread.id, RISKY)
    assert held.status == HELD
    # The same words score the same: the older post comes first. Held posts wait in the queue.
    assert [p.id for p in services.to_read()] == [
        highest.id,
        worrying_early.id,
        worrying_late.id,
        middling.id,
    ]
    assert [p.id for p in services.low_score_unread()] == [ordinary.id]
    assert services.unread_counts() == {"stream": 4, "low": 1}


def test_the_to_read_page_shows_the_text_the_categories_and_the_highlighted_reasons(people, thread):
    risky = reply(people, thread.id, HIGHEST)
    text = page(people["moderator_client"], "/moderation/to-read")
    assert "locked himself in his room" in text
    assert "Medical emergency" in text
    assert "<mark>" in text
    assert f'action="/moderation/to-read/{risky.id}"' in text
    for button in ("Reviewed, next", "Hide", "Escalate to the author's team"):
        assert button in text


def test_reviewed_next_records_who_and_when_and_shows_the_next_post(people, thread, clock):
    first = reply(people, thread.id, HIGHEST)
    clock.advance(minutes=1)
    second = reply(people, thread.id, WORRYING)
    moderator = people["moderator_client"]
    moment = clock.advance(minutes=5)
    response = post(
        moderator, f"/moderation/to-read/{first.id}", {"action": "reviewed"}, token_from="/moderation/to-read"
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/moderation/to-read")
    db.session.expire_all()
    first = db.session.get(Post, first.id)
    assert first.reviewed_by_id == people["moderator"].id
    assert abs((first.reviewed_at - moment).total_seconds()) < 60
    text = page(moderator, "/moderation/to-read")
    assert f'action="/moderation/to-read/{second.id}"' in text
    assert first.id not in [p.id for p in services.to_read()]


def test_hide_from_the_stream_needs_a_reason_next_to_the_field_and_keeps_it(people, thread):
    risky = reply(people, thread.id, WORRYING)
    moderator = people["moderator_client"]
    response = post(moderator, f"/moderation/to-read/{risky.id}", {"action": "hide", "reason": "  "})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Give the reason the author will see" in text and 'id="reason-error"' in text
    assert "neighbours are watching him" in text  # the same post, still on screen
    response = post(
        moderator, f"/moderation/to-read/{risky.id}", {"action": "hide", "reason": "It names a method."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    hidden = db.session.get(Post, risky.id)
    assert hidden.status == HIDDEN and hidden.reviewed_by_id == people["moderator"].id


def test_a_refused_hide_keeps_the_same_post_even_when_a_riskier_one_arrived(people, thread, clock):
    worrying = reply(people, thread.id, WORRYING)
    clock.advance(minutes=1)
    reply(people, thread.id, HIGHEST)  # now first in the stream
    response = post(
        people["moderator_client"], f"/moderation/to-read/{worrying.id}", {"action": "hide", "reason": ""}
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert f'action="/moderation/to-read/{worrying.id}"' in text
    assert "neighbours are watching him" in text and 'id="reason-error"' in text


def test_escalate_from_the_stream_passes_it_to_the_team_and_the_queue_shows_it(people, thread):
    risky = reply(people, thread.id, HIGHEST)
    moderator = people["moderator_client"]
    response = post(
        moderator,
        f"/moderation/to-read/{risky.id}",
        {"action": "escalate", "reason": "Talks of ending it tonight."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, risky.id).reviewed_by_id == people["moderator"].id
    note = db.session.scalars(
        select(Message)
        .join(Conversation)
        .where(Conversation.relative_id == people["author"].id, Message.kind == "note")
    ).first()
    assert note is not None and "Talks of ending it tonight." in note.body
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == risky.id))
    assert item.escalated_at is not None and item.resolved_at is None
    assert "Passed to the team" in page(moderator, "/moderation")


def test_a_post_in_the_queue_says_so_in_the_stream(people, thread):
    reply(people, thread.id, WORRYING)
    text = page(people["moderator_client"], "/moderation/to-read")
    assert "This post is also in the moderation queue." in text


@pytest.mark.forum_config(FORUM_FIRST_POSTS_HELD=2, FORUM_NEW_MEMBER_INTERVAL_SECONDS=0)
def test_held_posts_are_read_in_the_queue_not_the_stream(people, categories):
    newcomer = people["author"]  # joined today: the first posts are held
    response = start_thread(people["author_client"], "coping-day-to-day", "Hello", WORRYING)
    assert response.status_code == 302
    held = db.session.scalars(select(Post).where(Post.author_id == newcomer.id)).one()
    assert held.status == HELD
    assert held.id not in [p.id for p in services.to_read() + services.low_score_unread()]
    refused = post(people["moderator_client"], f"/moderation/to-read/{held.id}", {"action": "reviewed"})
    assert refused.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, held.id).reviewed_at is None
    post(people["moderator_client"], f"/moderation/posts/{held.id}/approve", {"reason": ""})
    db.session.expire_all()
    assert db.session.get(Post, held.id).reviewed_by_id == people["moderator"].id


@pytest.mark.parametrize("action", ["approve", "dismiss", "hide"])
def test_any_decision_on_a_post_counts_as_reading_it(people, thread, action):
    risky = reply(people, thread.id, WORRYING)
    if action == "approve":
        db.session.get(Post, risky.id).status = HIDDEN
        db.session.commit()
    response = post(
        people["moderator_client"], f"/moderation/posts/{risky.id}/{action}", {"reason": "Read and decided."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, risky.id).reviewed_by_id == people["moderator"].id


def test_new_words_from_the_author_need_reading_again(people, thread):
    written = reply(people, thread.id, ORDINARY)
    services.review(people["moderator"], written)
    assert db.session.get(Post, written.id).reviewed_at is not None
    response = post(
        people["author_client"], f"/forum/posts/{written.id}/edit", {"body": ORDINARY + " Then rain."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, written.id).reviewed_at is None


def test_the_low_risk_page_marks_read_only_what_was_on_it(people, thread, app):
    shown = [reply(people, thread.id, f"{ORDINARY} Day {n}.") for n in range(3)]
    risky = reply(people, thread.id, RISKY)
    moderator = people["moderator_client"]
    text = page(moderator, "/moderation/to-read/low")
    for row in shown:
        assert f'name="post_id" value="{row.id}"' in text
    assert f'value="{risky.id}"' not in text
    # Written after the page was read: not on it, so not marked.
    late = reply(people, thread.id, f"{ORDINARY} Later.")
    ids = [row.id for row in shown] + [risky.id]  # a risk post slipped into the form stays unread
    response = moderator.post(
        "/moderation/to-read/low",
        data={"post_id": [str(i) for i in ids], "csrf_token": _token(moderator)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    for row in shown:
        assert db.session.get(Post, row.id).reviewed_by_id == people["moderator"].id
    assert db.session.get(Post, risky.id).reviewed_at is None
    assert db.session.get(Post, late.id).reviewed_at is None


def _token(client) -> str:
    from tests.conftest import csrf_from

    return csrf_from(client, "/moderation/to-read/low")


@pytest.mark.parametrize("who", ["author", "other"])
@pytest.mark.parametrize(
    "method,path",
    [("get", "/moderation/to-read"), ("get", "/moderation/to-read/low"), ("post", "/moderation/to-read/low")],
)
def test_relatives_cannot_open_the_reading_pages(people, thread, who, method, path):
    client = people[f"{who}_client"]
    response = post(client, path, {"post_id": "1"}) if method == "post" else client.get(path)
    assert response.status_code in (403, 404)


def test_relatives_cannot_mark_a_post_read(people, thread):
    risky = reply(people, thread.id, WORRYING)
    response = post(people["other_client"], f"/moderation/to-read/{risky.id}", {"action": "reviewed"})
    assert response.status_code in (403, 404)
    db.session.expire_all()
    assert db.session.get(Post, risky.id).reviewed_at is None


def test_marking_read_without_a_csrf_token_is_refused(people, thread):
    risky = reply(people, thread.id, WORRYING)
    response = people["moderator_client"].post(f"/moderation/to-read/{risky.id}", data={"action": "reviewed"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Post, risky.id).reviewed_at is None


# Out of hours --------------------------------------------------------------------------------


FORUM_PAGES = (
    "/forum",
    "/forum/coping-day-to-day",
    "/forum/threads/{thread}",
    "/forum/coping-day-to-day/new",
)


def test_out_of_hours_every_forum_page_says_nobody_is_reading_with_the_crisis_contacts(
    app, people, thread, login, clock
):
    clock.set(SATURDAY_NIGHT, ticking=True)
    client = login(people["author"], the_client=app.test_client())
    for path in FORUM_PAGES:
        text = page(client, path.format(thread=thread.id))
        assert "Nobody is reading the forum now" in text, path
        assert 'href="tel:999"' in text and 'href="tel:116123"' in text and 'href="sms:85258"' in text, path


def test_in_hours_forum_pages_say_moderators_are_there(people, thread):
    for path in FORUM_PAGES:
        text = page(people["author_client"], path.format(thread=thread.id))
        assert "Moderators are looking after the forum now." in text, path
        assert "Nobody is reading the forum now" not in text


def test_out_of_hours_a_risk_post_is_held_and_its_writer_told_why_and_when(app, people, thread, login, clock):
    clock.set(SATURDAY_NIGHT, ticking=True)
    client = login(people["author"], the_client=app.test_client())
    response = reply_to(client, thread.id, WORRYING, follow_redirects=True)
    text = response.get_data(as_text=True)
    held = db.session.scalars(select(Post).order_by(Post.id.desc()).limit(1)).one()
    assert held.status == HELD and held.held_because == "out-of-hours"
    assert "Posts that talk about safety are read by a moderator before others see them." in text
    assert "A moderator will read it from 9am on Monday 23 November." in text
    assert "You do not have to cope with this alone" in text


@pytest.mark.forum_config(FORUM_FIRST_POSTS_HELD=2, FORUM_NEW_MEMBER_INTERVAL_SECONDS=0)
def test_a_new_member_is_told_their_first_posts_are_read_first(people, categories):
    response = start_thread(
        people["author_client"], "coping-day-to-day", "Hello", ORDINARY, follow_redirects=True
    )
    text = response.get_data(as_text=True)
    assert "first 2 posts are read by a moderator before others see them" in text
    assert "Moderators are working now, so it should not be long." in text
    thread_page = page(people["author_client"], f"/forum/threads/{thread_id_from_text(text)}")
    assert "first 2 posts are read by a moderator" in thread_page


def thread_id_from_text(text: str) -> int:
    import re

    return int(re.search(r"/forum/threads/(\d+)/reply", text).group(1))


# The queue -------------------------------------------------------------------------------------


def test_the_queue_shows_a_preview_and_why_and_filters_by_reason(people, thread):
    reply(people, thread.id, RISKY)
    reply(people, thread.id, WORRYING)
    reported = reply(people, thread.id, ORDINARY + " Reported one.")
    post(people["other_client"], f"/forum/posts/{reported.id}/report", {"kind": "unkind"})
    moderator = people["moderator_client"]
    text = page(moderator, "/moderation")
    for words in ("end it all", "neighbours are watching him", "Reported one."):
        assert words in text
    assert "Suicide: the writer" in text and "Danger from psychosis" in text
    assert "Report: Unkind or trolling" in text and "(risk words)" in text
    only_reports = page(moderator, "/moderation?reason=report")
    assert "Reported one." in only_reports and "end it all" not in only_reports
    only_risk = page(moderator, "/moderation?reason=risk")
    assert "end it all" in only_risk and "neighbours are watching him" in only_risk
    assert "Reported one." not in only_risk
    only_held = page(moderator, "/moderation?reason=held")
    assert "end it all" in only_held and "neighbours are watching him" not in only_held


def test_hide_and_next_goes_to_the_next_item_waiting(people, thread, clock):
    first = reply(people, thread.id, HIGHEST)
    clock.advance(minutes=1)
    second = reply(people, thread.id, WORRYING)
    moderator = people["moderator_client"]
    text = page(moderator, f"/moderation/posts/{first.id}")
    assert "Hide and next" in text and "Leave it up and next" in text
    response = post(
        moderator, f"/moderation/posts/{first.id}/hide", {"reason": "Method named.", "then": "next"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/moderation/posts/{second.id}")
    response = post(
        moderator, f"/moderation/posts/{second.id}/dismiss", {"reason": "Support given.", "then": "next"}
    )
    assert response.headers["Location"].endswith("/moderation")


def test_the_post_page_has_a_guide_for_each_risk_found(people, thread):
    risky = reply(people, thread.id, HIGHEST)
    text = page(people["moderator_client"], f"/moderation/posts/{risky.id}")
    assert "What to do with this post" in text
    assert text.count("What to do:") == len(risky.risk_categories.split(",")) == 3
    assert "Write to the author privately at once: call 999 or go to A&E now." in text
