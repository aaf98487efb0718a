"""Crisis help before any refusal: risky words get the crisis card on every path that can refuse them.

Each test sends words with risk in them down a path that refuses them for some other reason (a
posting limit, a silence or suspension, a length, an empty field, a locked thread, an expired form)
and checks that the writer sees the crisis card with the numbers as links, and keeps what they typed.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.forum.models import Post, QueueItem, Restriction
from react_toolkit.modules.models import ToolboxItem
from tests.conftest import post
from tests.forum.helpers import (
    CRISIS_HEADING,
    RELAXED,
    count,
    input_value,
    make_thread,
    reply_to,
    start_thread,
    textarea_value,
)

RISK = "I can't cope anymore, I want to end it all"
ORDINARY = "Does anyone have tips for getting to sleep?"


def assert_crisis_card(text: str) -> None:
    assert CRISIS_HEADING in text
    assert text.count(CRISIS_HEADING) == 1, "the card shows once"
    for link in ('href="tel:999"', 'href="tel:111"', 'href="tel:116123"', 'href="sms:85258"'):
        assert link in text, link
    assert re.search(r'href="tel:0300\d+"', text), "the team's own crisis line"


def shown_back(text: str, words: str) -> bool:
    """The error pages give back what was typed, escaped, so it can be copied."""
    return words.replace("'", "&#39;") in text


def _silence(people, kind: str) -> None:
    db.session.add(
        Restriction(
            user_id=people["author"].id,
            kind=kind,
            until=people["now"] + timedelta(hours=2),
            reason="Cooling off",
            created_by_id=people["moderator"].id,
        )
    )
    db.session.commit()


@pytest.fixture
def people(people, clock):
    return {**people, "now": clock()}


def test_inside_the_posting_limit_a_risky_post_still_shows_the_card_and_keeps_the_text(people, categories):
    client = people["author_client"]
    assert start_thread(client, "introductions", "Hello", "My first post here.").status_code == 302
    response = start_thread(client, "introductions", "Tonight", RISK)
    text = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Please wait" in text
    assert_crisis_card(text)
    assert textarea_value(text) == RISK
    assert input_value(text, "title") == "Tonight"


def test_an_ordinary_post_inside_the_limit_gets_no_card(people, categories):
    client = people["author_client"]
    start_thread(client, "introductions", "Hello", "My first post here.")
    response = start_thread(client, "introductions", "Sleep", ORDINARY)
    assert response.status_code == 429
    assert CRISIS_HEADING not in response.get_data(as_text=True)


@pytest.mark.forum_config(**RELAXED)
def test_a_silenced_member_writing_risk_sees_the_card_and_keeps_the_text(people, categories):
    thread = make_thread(people["other"], categories["introductions"], "Open thread", "Hello.")
    _silence(people, "silence")
    response = reply_to(people["author_client"], thread.id, RISK)
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert_crisis_card(text)
    assert textarea_value(text) == RISK
    assert count(Post, Post.author_id == people["author"].id) == 0


@pytest.mark.forum_config(**RELAXED)
def test_a_suspended_member_writing_risk_sees_the_card_and_what_they_wrote(people, categories):
    thread = make_thread(people["other"], categories["introductions"], "Open thread", "Hello.")
    _silence(people, "suspend")
    response = reply_to(people["author_client"], thread.id, RISK)
    text = response.get_data(as_text=True)
    assert response.status_code == 403
    assert_crisis_card(text)
    assert shown_back(text, RISK)


@pytest.mark.forum_config(**RELAXED)
def test_a_too_long_risky_post_shows_the_card_and_keeps_the_text(people, categories):
    body = RISK + " " + "and so tired " * 1000
    response = start_thread(people["author_client"], "introductions", "Tonight", body)
    text = response.get_data(as_text=True)
    assert response.status_code in (400, 422)
    assert_crisis_card(text)
    assert textarea_value(text).startswith(RISK)


@pytest.mark.forum_config(**RELAXED)
def test_a_risky_post_without_a_title_shows_the_card_and_keeps_the_text(people, categories):
    response = start_thread(people["author_client"], "introductions", "", RISK)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_crisis_card(text)
    assert textarea_value(text) == RISK


@pytest.mark.forum_config(**RELAXED)
def test_a_risky_reply_to_a_locked_thread_shows_the_card_and_keeps_the_text(people, categories):
    thread = make_thread(people["other"], categories["introductions"], "Closed thread", "Hello.")
    thread.locked = True
    db.session.commit()
    response = reply_to(people["author_client"], thread.id, RISK)
    text = response.get_data(as_text=True)
    assert response.status_code >= 400
    assert_crisis_card(text)
    assert shown_back(text, RISK)


@pytest.mark.forum_config(**RELAXED)
def test_an_expired_form_with_risky_words_shows_the_card_and_gives_the_words_back(people, categories):
    thread = make_thread(people["other"], categories["introductions"], "Open thread", "Hello.")
    response = people["author_client"].post(
        f"/forum/threads/{thread.id}/reply", data={"body": RISK, "csrf_token": "expired"}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_crisis_card(text)
    assert shown_back(text, RISK)


@pytest.mark.forum_config(**RELAXED)
def test_a_risky_report_note_refused_for_a_missing_reason_shows_the_card(people, categories):
    thread = make_thread(people["other"], categories["introductions"], "Open thread", "Hello.")
    post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    response = post(people["author_client"], f"/forum/posts/{post_id}/report", {"note": RISK})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_crisis_card(text)
    assert textarea_value(text, "note") == RISK


def test_a_risky_message_without_a_subject_shows_the_card_and_keeps_the_text(people):
    response = post(people["author_client"], "/messages/new", {"subject": "", "body": RISK})
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert_crisis_card(text)
    assert textarea_value(text) == RISK


def test_a_private_toolbox_note_shows_the_card_and_alerts_nobody(people, outbox):
    response = post(people["author_client"], "/toolbox/notes", {"title": "Tonight", "text": RISK})
    assert response.status_code == 302
    assert_crisis_card(people["author_client"].get(response.headers["Location"]).get_data(as_text=True))
    # Once: the next page is quiet again.
    assert CRISIS_HEADING not in people["author_client"].get("/toolbox").get_data(as_text=True)
    assert count(ToolboxItem) == 1
    assert outbox == []
    assert count(QueueItem) == 0


def test_staff_writing_the_same_words_get_no_card(people, categories):
    thread = make_thread(people["other"], categories["introductions"], "Open thread", "Hello.")
    response = reply_to(people["moderator_client"], thread.id, RISK)
    assert CRISIS_HEADING not in response.get_data(as_text=True)


@pytest.mark.forum_config(**RELAXED)
@pytest.mark.parametrize("reply", [False, True])
def test_the_words_of_a_post_are_read_for_risk_once_per_request(people, categories, monkeypatch, reply):
    """The guard reads the words first and the forum keeps its result, rather than reading them again."""
    from react_toolkit.risk import services as risk_services

    thread = make_thread(people["other"], categories["coping-day-to-day"], "Sleep", ORDINARY)
    real, calls = risk_services.detect, []
    monkeypatch.setattr(risk_services, "detect", lambda text, *rest: calls.append(text) or real(text, *rest))
    client = people["author_client"]
    if reply:
        response = reply_to(client, thread.id, RISK)
    else:
        response = start_thread(client, "coping-day-to-day", "Tonight", RISK)
    assert response.status_code == 302
    assert len(calls) == 1, calls
    saved = db.session.scalars(select(Post).order_by(Post.id.desc()).limit(1)).one()
    assert saved.risk_categories and saved.status == "held"
