"""Moderation: the queue, every action with its audit row and usage event, claims, overdue risk items,
the digest, the log, reports, and who may do any of it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.forum import services
from react_toolkit.forum.models import (
    HELD,
    HIDDEN,
    PUBLISHED,
    ModerationAction,
    Post,
    PostRevision,
    QueueItem,
    Report,
    Restriction,
    Thread,
)
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.forum.helpers import (
    RELAXED,
    count,
    established,
    latest,
    make_thread,
    page,
    reply_to,
    start_thread,
    thread_id_from,
)

LONDON = ZoneInfo("Europe/London")
EVENT = "forum.moderation.action"


@pytest.fixture
def in_hours(monkeypatch):
    monkeypatch.setattr(services, "moderated_now", lambda moment=None: True)


@pytest.fixture
def published(people, categories) -> Post:
    thread = make_thread(
        people["author"], categories["coping-day-to-day"], "Moderated thread", "Words by the author."
    )
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id))


def act(client, post_id: int, action: str, reason: str = ""):
    return post(client, f"/moderation/posts/{post_id}/{action}", {"reason": reason})


def events() -> int:
    return count(UsageEvent, UsageEvent.name == EVENT)


def assert_audited(moderator, action: str, *, post_id=None, reason: str = "", member_id=None):
    row = latest(ModerationAction)
    assert row is not None, "no audit row"
    assert (row.moderator_id, row.action, row.reason) == (moderator.id, action, reason)
    if post_id is not None:
        assert row.post_id == post_id
    if member_id is not None:
        assert row.member_id == member_id
    event = latest(UsageEvent, UsageEvent.name == EVENT)
    assert event.user_id == moderator.id
    return row


def flashed(client, response) -> str:
    assert response.status_code == 302, response.status_code
    return page(client, response.headers["Location"])


# The queue ---------------------------------------------------------------------------------------


@pytest.mark.forum_config(FORUM_NEW_MEMBER_INTERVAL_SECONDS=0, FORUM_POST_INTERVAL_SECONDS=0)
def test_queue_lists_held_flagged_and_reported_posts_by_severity_then_age(
    app, people, categories, create_user, login, in_hours
):
    author, other = people["author"], people["other"]
    established(author, published_posts=2, thread=make_thread(other, categories["introductions"]))
    newcomers = [login(create_user(), the_client=app.test_client()) for _ in range(2)]
    held_old = thread_id_from(start_thread(newcomers[0], "introductions", "Held older", "Hello."))
    held_new = thread_id_from(start_thread(newcomers[1], "introductions", "Held newer", "Hi."))
    flagged = thread_id_from(
        start_thread(people["author_client"], "coping-day-to-day", "Flagged", "He tried to kill himself")
    )
    unkind = make_thread(other, categories["good-news"], "Reported unkind", "Something.")
    risky = make_thread(other, categories["good-news"], "Reported risk", "Something else.")
    reporter = login(create_user(), the_client=app.test_client())
    for thread, kind in ((unkind, "unkind"), (risky, "risk")):
        first = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
        assert post(reporter, f"/forum/posts/{first.id}/report", {"kind": kind}).status_code == 302

    ages = {held_old: 180, held_new: 60, flagged: 1, unkind.id: 2, risky.id: 10}
    for thread_id, minutes in ages.items():
        item = db.session.scalar(select(QueueItem).join(Post).where(Post.thread_id == thread_id))
        item.created_at = now() - timedelta(minutes=minutes)
    db.session.commit()

    text = page(people["moderator_client"], "/moderation")
    table = text[text.index("<tbody") :]
    titles = re.findall(r'<a href="/moderation/posts/\d+">([^<]+)</a>', table)
    assert titles == ["Reported risk", "Flagged", "Reported unkind", "Held older", "Held newer"]
    rows = table.split('<tr role="row"')
    labels = {title: next(r for r in rows if f">{title}<" in r) for title in titles}
    assert "Risk words" in labels["Flagged"] and "Risk</strong>" in labels["Flagged"]
    assert "Reported" in labels["Reported unkind"] and "Risk</strong>" not in labels["Reported unkind"]
    assert "Held" in labels["Held older"] and "5 waiting" in text


# Actions, each with its audit row and usage event -------------------------------------------------


def test_approve_publishes_a_held_post(people, categories):
    response = start_thread(people["author_client"], "introductions", "New here", "Held words.")
    held = latest(Post, Post.thread_id == thread_id_from(response))
    assert held.status == HELD
    before = events()

    response = act(people["moderator_client"], held.id, "approve", "Fine to publish")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, held.id).status == PUBLISHED
    assert db.session.get(Thread, held.thread_id).visible
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == held.id))
    assert item.resolution == "approved" and item.resolved_by_id == people["moderator"].id
    assert_audited(
        people["moderator"],
        "approve",
        post_id=held.id,
        reason="Fine to publish",
        member_id=people["author"].id,
    )
    assert events() == before + 1
    assert "Held words." in page(people["other_client"], f"/forum/threads/{held.thread_id}")


def test_hide_with_a_reason_the_author_sees_and_others_do_not(people, published):
    before = events()
    response = act(people["moderator_client"], published.id, "hide", "It named a hospital ward")
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Post, published.id)
    assert row.status == HIDDEN and row.hidden_reason == "It named a hospital ward"
    assert_audited(people["moderator"], "hide", post_id=published.id, reason="It named a hospital ward")
    assert events() == before + 1

    mine = page(people["author_client"], f"/forum/threads/{published.thread_id}")
    assert "A moderator has hidden this post" in mine and "It named a hospital ward" in mine
    assert "Words by the author." not in mine
    theirs = page(people["other_client"], f"/forum/threads/{published.thread_id}")
    assert "A moderator has hidden this post" in theirs
    assert "It named a hospital ward" not in theirs and "Words by the author." not in theirs


def test_hide_without_a_reason_is_refused(people, published):
    before = events()
    response = act(people["moderator_client"], published.id, "hide", "   ")
    assert response.status_code == 400
    assert "Give the reason the author will see" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Post, published.id).status == PUBLISHED
    assert count(ModerationAction) == 0 and events() == before


def test_restore_puts_a_hidden_post_back(people, published):
    act(people["moderator_client"], published.id, "hide", "Checking with the author")
    before = events()
    response = act(people["moderator_client"], published.id, "restore", "Author explained")
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Post, published.id)
    assert row.status == PUBLISHED and row.hidden_reason == ""
    assert_audited(people["moderator"], "restore", post_id=published.id, reason="Author explained")
    assert events() == before + 1
    assert "Words by the author." in page(people["other_client"], f"/forum/threads/{published.thread_id}")


def test_dismiss_resolves_the_item_and_leaves_the_post(people, published):
    assert (
        post(people["other_client"], f"/forum/posts/{published.id}/report", {"kind": "unkind"}).status_code
        == 302
    )
    before = events()
    response = act(people["moderator_client"], published.id, "dismiss", "Not unkind")
    assert response.status_code == 302
    db.session.expire_all()
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == published.id))
    assert item.resolution == "dismissed" and item.resolved_at is not None
    assert db.session.get(Post, published.id).status == PUBLISHED
    assert_audited(people["moderator"], "dismiss", post_id=published.id, reason="Not unkind")
    assert events() == before + 1
    assert "Nothing is waiting" in page(people["moderator_client"], "/moderation")


def test_moderator_can_edit_a_post_at_any_time(people, published):
    published.created_at = now() - timedelta(days=3)
    db.session.commit()
    before = events()
    response = post(
        people["moderator_client"], f"/forum/posts/{published.id}/edit", {"body": "Words, minus a name."}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, published.id).body == "Words, minus a name."
    revision = db.session.scalar(select(PostRevision).where(PostRevision.post_id == published.id))
    assert revision.body == "Words by the author." and revision.editor_id == people["moderator"].id
    assert_audited(people["moderator"], "edit", post_id=published.id, reason="Edited by a moderator")
    assert events() == before + 1


def test_lock_closes_the_thread_to_relatives(people, published):
    before = events()
    response = act(people["moderator_client"], published.id, "lock", "Going round in circles")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Thread, published.thread_id).locked
    row = assert_audited(people["moderator"], "lock", reason="Going round in circles")
    assert row.thread_id == published.thread_id
    assert events() == before + 1

    text = page(people["other_client"], f"/forum/threads/{published.thread_id}")
    assert "closed this thread to new replies" in text and "/reply" not in text
    response = reply_to(people["other_client"], published.thread_id, "But I wanted to say...")
    assert response.status_code == 403
    assert count(Post, Post.thread_id == published.thread_id) == 1

    act(people["moderator_client"], published.id, "lock", "")
    assert_audited(people["moderator"], "unlock")
    assert reply_to(people["other_client"], published.thread_id, "Thanks for opening it.").status_code == 302


def test_escalate_creates_an_urgent_staff_only_note_for_the_authors_team(
    app, people, published, create_user, login
):
    author = people["author"]
    same_team = login(create_user("supporter", team=author.team), the_client=app.test_client())
    other_team = login(create_user("supporter"), the_client=app.test_client())
    before = events()
    response = act(people["moderator_client"], published.id, "escalate", "Mentions no food for days")
    assert response.status_code == 302
    conversation = latest(Conversation, Conversation.relative_id == author.id)
    assert conversation.team_id == author.team_id and conversation.staff_only and conversation.urgent
    note = db.session.scalar(select(Message).where(Message.conversation_id == conversation.id))
    assert note.kind == "note" and "Mentions no food for days" in note.body
    assert_audited(people["moderator"], "escalate", post_id=published.id, reason="Mentions no food for days")
    assert events() == before + 1

    assert conversation.subject not in page(people["author_client"], "/messages")
    assert people["author_client"].get(f"/messages/{conversation.id}").status_code == 404
    assert conversation.subject in page(same_team, "/inbox")
    assert "Mentions no food for days" in page(same_team, f"/inbox/{conversation.id}")
    assert conversation.subject not in page(other_team, "/inbox?filter=all")
    assert other_team.get(f"/inbox/{conversation.id}").status_code == 404

    response = act(people["moderator_client"], published.id, "escalate", "")
    assert response.status_code == 400 and count(Conversation) == 1


def test_contact_the_author_privately(people, published, outbox):
    before = events()
    response = post(
        people["moderator_client"],
        f"/moderation/posts/{published.id}/contact",
        {"message": "Please avoid naming the ward."},
    )
    assert response.status_code == 302
    conversation = latest(Conversation, Conversation.relative_id == people["author"].id)
    assert not conversation.staff_only
    inbox = page(people["author_client"], "/messages")
    assert conversation.subject in inbox
    assert "Please avoid naming the ward." in page(people["author_client"], f"/messages/{conversation.id}")
    assert [m.to for m in outbox] == [people["author"].email]
    assert "naming the ward" not in outbox[0].body
    assert_audited(
        people["moderator"], "contact", post_id=published.id, reason="Wrote to the author privately"
    )
    assert events() == before + 1
    assert conversation.subject not in page(people["other_client"], "/messages")


@pytest.mark.forum_config(**RELAXED)
def test_silence_then_suspend_for_a_set_number_of_hours(people, published):
    moderator_client, author = people["moderator_client"], people["author"]
    path = f"/moderation/posts/{published.id}/restrict"
    response = post(moderator_client, path, {"kind": "silence", "hours": "0", "reason": "x"})
    assert response.status_code == 400 and "Choose between 1 hour and 90 days" in response.get_data(
        as_text=True
    )
    assert count(Restriction) == 0

    before = events()
    response = post(moderator_client, path, {"kind": "silence", "hours": "3", "reason": "Time to cool off"})
    assert response.status_code == 302
    silence = latest(Restriction)
    assert silence.user_id == author.id and silence.kind == "silence"
    assert abs(silence.until - (now() + timedelta(hours=3))) < timedelta(minutes=1)
    assert_audited(people["moderator"], "silence", reason="Time to cool off", member_id=author.id)
    assert events() == before + 1
    assert people["author_client"].get("/forum").status_code == 200
    assert reply_to(people["author_client"], published.thread_id, "Still here").status_code == 403

    response = post(moderator_client, path, {"kind": "suspend", "hours": "24", "reason": "Threats"})
    assert response.status_code == 302
    suspend = latest(Restriction)
    assert suspend.kind == "suspend"
    assert abs(suspend.until - (now() + timedelta(hours=24))) < timedelta(minutes=1)
    assert_audited(people["moderator"], "suspend", reason="Threats", member_id=author.id)
    assert people["author_client"].get("/forum").status_code == 403


# Claims ----------------------------------------------------------------------------------------------


def test_a_claimed_item_cannot_be_acted_on_by_another_moderator(app, people, create_user, login, categories):
    response = start_thread(people["author_client"], "introductions", "Claimed", "Held words.")
    held = latest(Post, Post.thread_id == thread_id_from(response))
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == held.id))
    first, second = people["moderator"], create_user("moderator")
    first_client = people["moderator_client"]
    second_client = login(second, the_client=app.test_client())

    response = post(first_client, f"/moderation/queue/{item.id}/claim", {})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(QueueItem, item.id).claimed_by_id == first.id
    assert first.full_name in page(second_client, "/moderation")

    actions_before = count(ModerationAction)
    for action, reason in (("approve", ""), ("hide", "Second opinion"), ("dismiss", "")):
        text = flashed(second_client, act(second_client, held.id, action, reason))
        assert first.full_name in text and "is dealing with this post" in text, action
    db.session.expire_all()
    assert db.session.get(Post, held.id).status == HELD
    assert db.session.get(QueueItem, item.id).resolved_at is None
    assert count(ModerationAction) == actions_before

    text = flashed(second_client, post(second_client, f"/moderation/queue/{item.id}/claim", {}))
    assert f"{first.full_name} is already dealing with this" in text
    assert db.session.get(QueueItem, item.id).claimed_by_id == first.id

    assert act(first_client, held.id, "approve").status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, held.id).status == PUBLISHED


# Overdue risk items -------------------------------------------------------------------------------------


def _risk_item(author, category, title: str, created_at: datetime, risk: bool = True) -> None:
    thread = make_thread(author, category, title, "Waiting words.", status=HELD, created_at=created_at)
    first = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    db.session.add(
        QueueItem(
            post_id=first.id, reason="held", severity=3 if risk else 1, risk=risk, created_at=created_at
        )
    )
    db.session.commit()


def _row(text: str, title: str) -> str:
    rows = text[text.index("<tbody") :].split('<tr role="row"')
    return next(r for r in rows if f">{title}<" in r)


@pytest.mark.forum_config(FORUM_RISK_QUEUE_MINUTES=60)
def test_risk_items_waiting_beyond_the_limit_in_moderated_hours_are_overdue(people, categories, clock):
    moment = datetime(2025, 6, 11, 14, 0, tzinfo=LONDON)  # a Wednesday afternoon
    clock.set(moment)
    category = categories["coping-day-to-day"]
    _risk_item(people["author"], category, "Two hours waiting", moment - timedelta(hours=2))
    _risk_item(people["author"], category, "Half an hour waiting", moment - timedelta(minutes=30))
    _risk_item(people["author"], category, "Held, not risk", moment - timedelta(days=2), risk=False)
    text = page(people["moderator_client"], "/moderation")
    assert "Overdue" in _row(text, "Two hours waiting")
    assert "Overdue" not in _row(text, "Half an hour waiting")
    assert "Overdue" not in _row(text, "Held, not risk")


@pytest.mark.forum_config(FORUM_RISK_QUEUE_MINUTES=60)
def test_hours_outside_moderation_do_not_count_towards_overdue(people, categories, clock):
    moment = datetime(2025, 6, 16, 9, 15, tzinfo=LONDON)  # Monday morning
    clock.set(moment)
    category = categories["coping-day-to-day"]
    _risk_item(
        people["author"], category, "Since Friday teatime", datetime(2025, 6, 13, 16, 30, tzinfo=LONDON)
    )
    _risk_item(people["author"], category, "Since Friday lunch", datetime(2025, 6, 13, 12, 0, tzinfo=LONDON))
    text = page(people["moderator_client"], "/moderation")
    assert "Overdue" not in _row(text, "Since Friday teatime")  # 45 moderated minutes
    assert "Overdue" in _row(text, "Since Friday lunch")  # 5 h 15 min


# The digest and the log ----------------------------------------------------------------------------------


@pytest.mark.forum_config(FORUM_NEW_MEMBER_INTERVAL_SECONDS=0)
def test_digest_emails_every_moderator_counts_without_post_text(
    app, people, categories, create_user, outbox, in_hours
):
    second_moderator = create_user(roles=["moderator", "supporter"])
    supporter = create_user("supporter")
    start_thread(people["author_client"], "introductions", "Digest held title", "Digest held words.")
    start_thread(
        people["other_client"], "introductions", "Digest risk title", "Some nights I want to end it all"
    )
    reported = make_thread(
        create_user(), categories["good-news"], "Digest reported title", "Digest reported words."
    )
    first = db.session.scalar(select(Post).where(Post.thread_id == reported.id))
    post(people["author_client"], f"/forum/posts/{first.id}/report", {"kind": "unkind"})
    assert count(QueueItem) == 3

    result = app.test_cli_runner().invoke(args=["react", "moderation-digest"])
    assert result.exit_code == 0, result.output
    assert "Digest sent to 2 moderator(s)" in result.output
    assert sorted(m.to for m in outbox) == sorted([people["moderator"].email, second_moderator.email])
    assert supporter.email not in [m.to for m in outbox]
    for mail in outbox:
        assert "3 forum items waiting" in mail.subject
        assert "3 forum items are waiting" in mail.body and "1 may involve risk" in mail.body
        assert "/moderation" in mail.body
        for private in ("Digest", "end it all", people["author"].forum_name, people["other"].forum_name):
            assert private not in mail.body and private not in mail.subject


def test_digest_sends_nothing_when_the_queue_is_empty(app, people, outbox):
    result = app.test_cli_runner().invoke(args=["react", "moderation-digest"])
    assert result.exit_code == 0 and "Digest sent to 0 moderator(s)" in result.output
    assert outbox == []


def test_moderation_log_lists_actions_for_moderators_and_admins(app, people, published, create_user, login):
    act(people["moderator_client"], published.id, "hide", "Shared a surname")
    act(people["moderator_client"], published.id, "restore", "Surname removed")
    admin = login(create_user("admin"), the_client=app.test_client())
    for client in (people["moderator_client"], admin):
        text = page(client, "/moderation/log")
        assert people["moderator"].full_name in text
        assert "Shared a surname" in text and "Surname removed" in text
        assert text.index("Surname removed") < text.index("Shared a surname")  # newest first
        assert "</span>Restored <a" in text and "</span>Hidden <a" in text  # in words, not codes
    assert people["author_client"].get("/moderation/log").status_code == 403


# Reports ---------------------------------------------------------------------------------------------------


def test_any_relative_can_report_a_post_and_the_author_never_learns_who(people, published):
    reporter = people["other"]
    path = f"/forum/posts/{published.id}/report"
    assert people["other_client"].get(path).status_code == 200

    response = post(people["other_client"], path, {})
    assert response.status_code == 400 and "Choose what is wrong with this post" in response.get_data(
        as_text=True
    )
    response = post(people["other_client"], path, {"kind": "other", "note": "  "})
    assert response.status_code == 400 and "Tell us what is wrong" in response.get_data(as_text=True)
    assert count(Report) == 0 and count(QueueItem) == 0

    assert post(people["other_client"], path, {"kind": "unkind"}).status_code == 302
    item = latest(QueueItem, QueueItem.post_id == published.id)
    assert item.reason == "report" and item.severity == 2 and not item.risk
    response = post(people["other_client"], path, {"kind": "other", "note": "Feels like an advert"})
    assert response.status_code == 302
    reports = db.session.scalars(
        select(Report).where(Report.post_id == published.id).order_by(Report.id)
    ).all()
    assert [(r.kind, r.note, r.reporter_id) for r in reports] == [
        ("unkind", "", reporter.id),
        ("other", "Feels like an advert", reporter.id),
    ]
    assert post(people["other_client"], path, {"kind": "risk"}).status_code == 302
    item = latest(QueueItem, QueueItem.post_id == published.id)
    assert item.severity == 3 and item.risk and count(QueueItem) == 1

    moderator_view = page(people["moderator_client"], f"/moderation/posts/{published.id}")
    assert "Unkind or trolling" in moderator_view and "Feels like an advert" in moderator_view

    author_client = people["author_client"]
    for path in (
        "/forum",
        "/forum/coping-day-to-day",
        f"/forum/threads/{published.thread_id}",
        f"/forum/posts/{published.id}/edit",
        "/messages",
        "/account",
        "/",
    ):
        assert reporter.forum_name not in page(author_client, path), path


# Permissions -------------------------------------------------------------------------------------------


def test_relatives_get_403_on_every_moderation_page_and_action(people, categories):
    response = start_thread(people["author_client"], "introductions", "Held for moderation", "Held words.")
    held = latest(Post, Post.thread_id == thread_id_from(response))
    item = db.session.scalar(select(QueueItem).where(QueueItem.post_id == held.id))
    client = people["other_client"]
    for path in ("/moderation", f"/moderation/posts/{held.id}", "/moderation/log"):
        assert client.get(path).status_code == 403, path

    posts = {
        f"/moderation/queue/{item.id}/claim": {},
        f"/moderation/posts/{held.id}/approve": {"reason": "x"},
        f"/moderation/posts/{held.id}/hide": {"reason": "x"},
        f"/moderation/posts/{held.id}/restore": {"reason": "x"},
        f"/moderation/posts/{held.id}/dismiss": {"reason": "x"},
        f"/moderation/posts/{held.id}/lock": {"reason": "x"},
        f"/moderation/posts/{held.id}/escalate": {"reason": "x"},
        f"/moderation/posts/{held.id}/contact": {"message": "x"},
        f"/moderation/posts/{held.id}/restrict": {"kind": "suspend", "hours": "5", "reason": "x"},
    }
    for path, data in posts.items():
        assert post(client, path, data).status_code == 403, path
    db.session.expire_all()
    assert db.session.get(Post, held.id).status == HELD
    assert not db.session.get(Thread, held.thread_id).locked
    assert db.session.get(QueueItem, item.id).claimed_by_id is None
    assert count(ModerationAction) == 0 and count(Restriction) == 0 and count(Conversation) == 0
    assert count(UsageEvent, UsageEvent.name == EVENT) == 0


def test_moderator_without_supporter_role_sees_all_forum_items_but_not_the_inbox(
    app, people, create_user, create_site, login
):
    elsewhere = create_user(site=create_site())
    far_client = login(elsewhere, the_client=app.test_client())
    near = thread_id_from(start_thread(people["author_client"], "introductions", "Near held", "Near words."))
    far = thread_id_from(start_thread(far_client, "introductions", "Far held", "Far words."))
    assert people["author"].site_id != elsewhere.site_id

    moderator = people["moderator_client"]
    queue = page(moderator, "/moderation")
    assert "Near held" in queue and "Far held" in queue
    for thread_id, words in ((near, "Near words."), (far, "Far words.")):
        held = latest(Post, Post.thread_id == thread_id)
        assert words in page(moderator, f"/moderation/posts/{held.id}")
        assert words in page(moderator, f"/forum/threads/{thread_id}")

    conversation_id = services.contact_author(
        people["moderator"], latest(Post, Post.thread_id == near), "Hello there."
    )
    assert moderator.get("/inbox").status_code == 403
    assert moderator.get(f"/inbox/{conversation_id}").status_code == 403
    assert "Hello there." not in moderator.get(f"/inbox/{conversation_id}").get_data(as_text=True)


def test_restore_does_not_bring_back_a_post_its_author_deleted(people, published):
    """The page offers Restore only for hidden posts; the route must agree with the button."""
    assert post(people["author_client"], f"/forum/posts/{published.id}/delete", {}).status_code == 302
    assert "/restore" not in page(people["moderator_client"], f"/moderation/posts/{published.id}")
    act(people["moderator_client"], published.id, "restore", "")
    db.session.expire_all()
    assert db.session.get(Post, published.id).status == "deleted"
    assert "Words by the author." not in page(people["other_client"], f"/forum/threads/{published.thread_id}")


def test_hide_then_restore_does_not_bring_back_a_post_its_author_deleted(people, published):
    """Hiding a deleted post must not turn it into a hidden one that Restore would then publish."""
    assert post(people["author_client"], f"/forum/posts/{published.id}/delete", {}).status_code == 302
    act(people["moderator_client"], published.id, "hide", "Tidying up")
    act(people["moderator_client"], published.id, "restore", "")
    db.session.expire_all()
    assert db.session.get(Post, published.id).status == "deleted"
    assert "Words by the author." not in page(people["other_client"], f"/forum/threads/{published.thread_id}")
