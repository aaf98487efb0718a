"""Relatives write, supporters answer: pages, emails, filters, risk, service hours, saved replies, events."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.inbox import services
from react_toolkit.inbox.models import Conversation, ConversationAccess, SavedReply
from react_toolkit.organisations.models import BankHoliday
from react_toolkit.usage.models import UsageEvent
from tests.inbox.helpers import (
    access_count,
    field_error,
    fresh,
    input_value,
    messages,
    seen_up_to,
    send,
    start,
    textarea_value,
    token,
)

MONDAY = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)  # in service hours (GMT, so UTC is local time)
SATURDAY = datetime(2026, 3, 7, 11, 0, tzinfo=UTC)
RISK = "I want to end it all, I cannot go on like this"


@pytest.fixture
def clock(clock):
    """The suite's clock, stopped on a Monday morning in service hours."""
    clock.set(MONDAY)
    return clock


@pytest.fixture
def team(app, clock, create_site, create_team, create_user, login):
    site = create_site()
    home, other = create_team(site), create_team(site)
    t = SimpleNamespace(
        site=site,
        home=home,
        other=other,
        relative=create_user(R.RELATIVE, team=home),
        s1=create_user(R.SUPPORTER, team=home),
        s2=create_user(R.SUPPORTER, team=home),
        outsider=create_user(R.SUPPORTER, team=other),
        other_relative=create_user(R.RELATIVE, team=other),
    )
    t.rel = login(t.relative, the_client=app.test_client())
    t.c1 = login(t.s1, the_client=app.test_client())
    t.c2 = login(t.s2, the_client=app.test_client())
    t.cx = login(t.outsider, the_client=app.test_client())
    return t


def write_new(client, subject: str, body: str, **kwargs):
    return send(client, "/messages/new", {"subject": subject, "body": body}, **kwargs)


def only_conversation_of(user) -> Conversation:
    db.session.expire_all()
    return db.session.scalars(select(Conversation).where(Conversation.relative_id == user.id)).one()


def staff_reply_via_page(client, cid: int, body: str):
    page = client.get(f"/inbox/{cid}").get_data(as_text=True)
    return send(client, f"/inbox/{cid}/reply", {"body": body, "seen_up_to": seen_up_to(page)})


# Writing a new message ----------------------------------------------------------------------------


def test_new_message_page_explains_confidentiality_hours_and_crisis_help(team):
    response = team.rel.get("/messages/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "confidential within the supporter team" in html
    assert "immediate risk" in html
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        assert f"{day}: 9am to 5pm" in html
    assert "Saturday:" not in html
    assert re.search(r'<a href="/crisis">see who you can contact straight away</a>', html)
    assert team.c1.get("/messages/new").status_code == 403


def test_empty_subject_or_body_is_refused_next_to_the_field_and_kept(team, outbox):
    response = write_new(team.rel, "", "Everything I typed about his medication")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "subject") == "Give your message a subject, in a few words"
    assert textarea_value(html, "body") == "Everything I typed about his medication"

    response = write_new(team.rel, "About his medication", "   ")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "body") == "Write your message"
    assert input_value(html, "subject") == "About his medication"

    db.session.expire_all()
    assert db.session.scalars(select(Conversation)).all() == []
    assert outbox == []


def test_team_supporters_are_emailed_without_the_message(team, outbox):
    body = "My daughter stopped taking her tablets on Tuesday."
    response = write_new(team.rel, "Tablets stopped", body)
    assert response.status_code == 302
    cid = only_conversation_of(team.relative).id
    assert response.headers["Location"].endswith(f"/messages/{cid}")
    assert sorted(m.to for m in outbox) == sorted([team.s1.email, team.s2.email])
    for mail in outbox:
        assert body not in mail.body and "Tablets stopped" not in mail.body
        assert "Tablets" not in mail.subject
        assert f"/inbox/{cid}" in mail.body
        assert not mail.subject.startswith("Urgent")


# Replies and what is new ----------------------------------------------------------------------------


def test_reply_is_emailed_without_text_and_shown_as_new_until_read(team, clock, outbox):
    cid = start(team.relative, "Sleep problems")
    clock.advance(minutes=30)
    outbox.clear()
    reply = "Sleep often goes first. Could you keep a short diary this week?"
    assert staff_reply_via_page(team.c1, cid, reply).status_code == 302

    [mail] = outbox
    assert mail.to == team.relative.email
    assert reply not in mail.body and "diary" not in mail.body
    assert f"/messages/{cid}" in mail.body

    listing = team.rel.get("/messages").get_data(as_text=True)
    assert "Sleep problems" in listing
    assert re.search(r'nhsuk-tag--blue">1 new</strong>', listing)

    clock.advance(minutes=5)
    thread = team.rel.get(f"/messages/{cid}").get_data(as_text=True)
    assert reply in thread
    reply_item = thread[thread.index(f'id="message-{messages(cid, "staff")[0].id}"') :]
    reply_item = reply_item[: reply_item.index("</li>")]
    assert ">New</strong>" in reply_item
    assert thread.count(">New</strong>") == 1

    clock.advance(minutes=5)
    listing = team.rel.get("/messages").get_data(as_text=True)
    assert "Sleep problems" in listing
    assert " new</strong>" not in listing
    again = team.rel.get(f"/messages/{cid}").get_data(as_text=True)
    assert ">New</strong>" not in again


def test_closing_and_a_relative_reply_reopens_it(team, clock):
    cid = start(team.relative, "Hospital discharge")
    clock.advance(minutes=10)
    assert staff_reply_via_page(team.c1, cid, "How did the discharge go?").status_code == 302
    assert fresh(cid).status == "waiting"
    assert send(team.c1, f"/inbox/{cid}/status", {"value": "closed"}).status_code == 302
    closed = fresh(cid)
    assert closed.status == "closed" and closed.closed_at is not None
    assert "Closed" in team.rel.get("/messages").get_data(as_text=True)
    assert "Hospital discharge" in team.c1.get("/inbox?filter=closed").get_data(as_text=True)

    clock.advance(hours=2)
    response = send(team.rel, f"/messages/{cid}/reply", {"body": "It went badly, he is back home."})
    assert response.status_code == 302
    reopened = fresh(cid)
    assert reopened.status == "open" and reopened.closed_at is None
    assert reopened.waiting_since == clock()
    assert "Hospital discharge" in team.c1.get("/inbox").get_data(as_text=True)


def test_relative_reply_with_empty_body_is_refused_and_not_stored(team):
    cid = start(team.relative, "Money worries")
    response = send(team.rel, f"/messages/{cid}/reply", {"body": "  "})
    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "body") == "Write your message"
    assert len(messages(cid)) == 1


# The team inbox -------------------------------------------------------------------------------------


def test_filters_show_the_right_conversations_and_counts(team, clock):
    new = start(team.relative, "Alpha topic")
    mine = start(team.relative, "Bravo topic")
    services.staff_reply(team.s1, fresh(mine), "A reply", services.latest_visible_id(fresh(mine)))
    urgent = start(team.relative, "Charlie topic", RISK)
    services.assign(team.s2, fresh(urgent), team.s2.id)
    closed = start(team.relative, "Delta topic")
    services.assign(team.s1, fresh(closed), team.s1.id)
    services.set_status(team.s1, fresh(closed), "closed")
    start(team.other_relative, "Echo topic")
    assert fresh(urgent).urgent and not fresh(new).urgent

    expected = {
        "unassigned": ({"Alpha"}, "Unassigned (1)"),
        "mine": ({"Bravo"}, "Mine (1)"),
        "urgent": ({"Charlie"}, "Urgent (1)"),
        "waiting_for_us": ({"Alpha", "Charlie"}, "Waiting for us (2)"),
        "waiting_for_relative": ({"Bravo"}, "Waiting for the relative (1)"),
        "closed": ({"Delta"}, "Closed (1)"),
    }
    for name, (shown, _label) in expected.items():
        response = team.c1.get(f"/inbox?filter={name}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        listed = set(re.findall(r">(Alpha|Bravo|Charlie|Delta|Echo) topic</a>", html))
        assert listed == shown, name
        for _, label in expected.values():
            assert label in html, (name, label)
    assert team.c1.get("/inbox").get_data(as_text=True).count("topic</a>") == 2
    assert "Echo topic" in team.cx.get("/inbox").get_data(as_text=True)
    assert team.rel.get("/inbox").status_code == 403


def test_assign_to_self_to_a_colleague_but_not_to_another_team(team):
    cid = start(team.relative, "Who is looking after this")
    csrf = token(team.c1)
    assert send(team.c1, f"/inbox/{cid}/assign", {"value": "me"}, csrf).status_code == 302
    assert fresh(cid).assigned_to_id == team.s1.id
    assert send(team.c1, f"/inbox/{cid}/assign", {"value": str(team.s2.id)}, csrf).status_code == 302
    assert fresh(cid).assigned_to_id == team.s2.id
    mine = team.c2.get("/inbox?filter=mine").get_data(as_text=True)
    assert "Who is looking after this" in mine

    refused = send(
        team.c1, f"/inbox/{cid}/assign", {"value": str(team.outsider.id)}, csrf, follow_redirects=True
    )
    assert "Choose a supporter from this team" in refused.get_data(as_text=True)
    assert fresh(cid).assigned_to_id == team.s2.id

    assert send(team.c1, f"/inbox/{cid}/assign", {"value": ""}, csrf).status_code == 302
    assert fresh(cid).assigned_to_id is None


def test_urgent_conversations_are_listed_first(team, clock):
    start(team.relative, "Older ordinary question")
    clock.advance(minutes=20)
    urgent = start(team.relative, "Newer question")
    clock.advance(minutes=5)
    html = team.c1.get("/inbox").get_data(as_text=True)
    assert html.index("Older ordinary question") < html.index("Newer question")

    assert send(team.c1, f"/inbox/{urgent}/priority", {"value": "urgent"}).status_code == 302
    assert fresh(urgent).urgent
    html = team.c1.get("/inbox").get_data(as_text=True)
    assert html.index("Newer question") < html.index("Older ordinary question")


# Risk ----------------------------------------------------------------------------------------------


def test_risk_words_show_crisis_help_at_once_mark_urgent_and_alert_the_team(team, outbox):
    response = write_new(team.rel, "Tonight", RISK, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "You do not have to cope with this alone" in html
    assert "0300 555 0000" in html
    conversation = only_conversation_of(team.relative)
    assert conversation.urgent and conversation.urgent_since is not None
    assert sorted(m.to for m in outbox) == sorted([team.s1.email, team.s2.email])
    assert all(m.subject.startswith("Urgent") for m in outbox)
    assert all(RISK not in m.body for m in outbox)


def test_no_crisis_panel_for_ordinary_words_and_one_for_a_risky_reply(team, outbox):
    response = write_new(team.rel, "Appointments", "When is the next family meeting?", follow_redirects=True)
    assert "You do not have to cope with this alone" not in response.get_data(as_text=True)
    conversation = only_conversation_of(team.relative)
    assert not conversation.urgent
    outbox.clear()

    response = send(team.rel, f"/messages/{conversation.id}/reply", {"body": RISK}, follow_redirects=True)
    assert "You do not have to cope with this alone" in response.get_data(as_text=True)
    assert fresh(conversation.id).urgent
    assert outbox and all(m.subject.startswith("Urgent") for m in outbox)


# Out of hours ---------------------------------------------------------------------------------------


def test_out_of_hours_one_automatic_reply_per_day(team, clock):
    clock.set(SATURDAY)
    page = team.rel.get("/messages/new").get_data(as_text=True)
    assert "The team is not working just now" in page
    assert write_new(team.rel, "Weekend worry", "He has gone out and not come back.").status_code == 302
    cid = only_conversation_of(team.relative).id
    [auto] = messages(cid, "auto")
    assert "Monday: 9am to 5pm" in auto.body
    assert "from 9am on Monday 9 March." in auto.body
    for number in ("999", "111", "116 123", "85258", "0300 555 0000"):
        assert number in auto.body
    thread = team.rel.get(f"/messages/{cid}").get_data(as_text=True)
    assert "Automatic reply" in thread and "116 123" in thread

    clock.advance(hours=2)
    assert send(team.rel, f"/messages/{cid}/reply", {"body": "He is back now."}).status_code == 302
    assert len(messages(cid, "auto")) == 1

    clock.set(SATURDAY + timedelta(hours=25))
    assert send(team.rel, f"/messages/{cid}/reply", {"body": "Gone again."}).status_code == 302
    assert len(messages(cid, "auto")) == 2
    assert len(messages(cid, "relative")) == 3


DANGER = "If you or anyone else is in danger now, call 999"


def auto_reply_to(relative, clock, moment: datetime):
    clock.set(moment)
    conversation, _ = services.start_conversation(
        relative, "Out of hours", "He has gone out and not come back."
    )
    [auto] = messages(conversation.id, "auto")
    return conversation.id, auto.body


def test_the_automatic_reply_puts_help_first_then_when_we_will_read_it_then_the_hours(team, clock):
    cid, body = auto_reply_to(team.relative, clock, SATURDAY)
    assert body.startswith(DANGER)
    order = [
        DANGER,
        "[999](tel:999)",
        "[NHS 111](tel:111) and choose the mental health option",
        "Samaritans on [116 123](tel:116123). It is free, any time.",
        "Text SHOUT to 85258. It is free, any time.",
        "local crisis line on [0300 555 0000](tel:03005550000)",
        "We will read it from 9am on Monday 9 March.",
        "Monday: 9am to 5pm",
        "Friday: 9am to 5pm",
        "We are closed on bank holidays.",
    ]
    positions = [body.index(part) for part in order]
    assert positions == sorted(positions), body

    html = team.rel.get(f"/messages/{cid}").get_data(as_text=True)
    reply = re.search(
        r'react-message--auto".*?<div class="react-message__body"[^>]*>(.*?)</div>', html, re.S
    ).group(1)
    assert reply.startswith(f"<p>{DANGER}.</p>\n<ul>")
    numbers = re.search(r"<ul>(.*?)</ul>", reply, re.S).group(1)
    assert re.findall(r'href="(tel:[^"]+)"', numbers) == [
        "tel:999",
        "tel:111",
        "tel:116123",
        "tel:03005550000",
    ]
    assert numbers.count("<li>") == 5
    assert "sms:" not in reply  # the sanitiser allows tel: links but not sms:, so Shout stays plain
    # Short lines for a narrow phone screen: a list of numbers, and nothing long without a break.
    words = re.sub(r"<[^>]+>", " ", reply).split()
    assert max(len(word) for word in words) <= 20


def test_the_automatic_reply_leaves_out_a_local_line_the_team_does_not_have(
    team, clock, create_team, create_user
):
    relative = create_user(R.RELATIVE, team=create_team(team.site, crisis_phone=""))
    _, body = auto_reply_to(relative, clock, SATURDAY)
    assert "crisis line" not in body
    assert body.count("(tel:") == 3


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        # Friday evening, GMT: the team is back on Monday morning.
        (datetime(2026, 3, 6, 18, 40, tzinfo=UTC), "from 9am on Monday 9 March."),
        # Saturday in summer: 9am UK time is 8am UTC, and the reply says 9am.
        (datetime(2026, 6, 13, 1, 14, tzinfo=UTC), "from 9am on Monday 15 June."),
        # Before opening on a weekday: later the same morning.
        (datetime(2026, 3, 10, 6, 5, tzinfo=UTC), "from 9am on Tuesday 10 March."),
        # The Friday before the Early May bank holiday: not back until Tuesday.
        (datetime(2026, 5, 1, 17, 30, tzinfo=UTC), "from 9am on Tuesday 5 May."),
        # New Year's Eve, with New Year's Day off: the opening is in the new year, so it says which.
        (datetime(2026, 12, 31, 18, 0, tzinfo=UTC), "from 9am on Monday 4 January 2027."),
    ],
)
def test_the_automatic_reply_says_when_the_team_next_opens_in_uk_time(team, clock, written, expected):
    db.session.add(BankHoliday(day=date(2026, 5, 4), name="Early May bank holiday"))
    db.session.add(BankHoliday(day=date(2027, 1, 1), name="New Year's Day"))
    db.session.commit()
    _, body = auto_reply_to(team.relative, clock, written)
    assert f"We will read it {expected}" in body


def test_the_automatic_reply_is_in_welsh_for_a_welsh_speaker(team, clock):
    team.relative.language = "cy"
    db.session.commit()
    _, body = auto_reply_to(team.relative, clock, SATURDAY)
    assert body.startswith("Os ydych chi neu unrhyw un arall mewn perygl nawr, ffoniwch 999.")
    assert "[GIG 111](tel:111)" in body
    assert "Byddwn yn ei darllen o 9yb, Dydd Llun 9 Mawrth." in body
    assert "Rydyn ni ar gau ar wyliau banc." in body
    assert "We will read it" not in body and "It is free" not in body


def test_no_automatic_reply_in_service_hours(team, clock):
    assert write_new(team.rel, "Weekday question", "A question on a Monday morning.").status_code == 302
    cid = only_conversation_of(team.relative).id
    assert messages(cid, "auto") == []


# Two supporters at once ----------------------------------------------------------------------------


def test_stale_reply_is_refused_and_the_typed_text_kept(team, clock):
    cid = start(team.relative, "Two supporters")
    page1 = team.c1.get(f"/inbox/{cid}").get_data(as_text=True)
    old_seen = seen_up_to(page1)
    clock.advance(minutes=2)
    assert staff_reply_via_page(team.c2, cid, "Reply from the second supporter").status_code == 302

    typed = "My own careful answer about the care plan"
    response = send(team.c1, f"/inbox/{cid}/reply", {"body": typed, "seen_up_to": old_seen})
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "A new message arrived" in html
    assert textarea_value(html, "body") == typed
    assert "Reply from the second supporter" in html
    staff = messages(cid, "staff")
    assert [m.body for m in staff] == ["Reply from the second supporter"]

    # Having now seen it, the first supporter can send.
    assert seen_up_to(html) == staff[0].id
    again = send(team.c1, f"/inbox/{cid}/reply", {"body": typed, "seen_up_to": seen_up_to(html)})
    assert again.status_code == 302
    assert len(messages(cid, "staff")) == 2


def test_warns_when_a_colleague_opened_it_minutes_before(team, clock):
    cid = start(team.relative, "Presence")
    first = team.c1.get(f"/inbox/{cid}").get_data(as_text=True)
    assert "Someone else may be replying" not in first
    # The colleague's visit was three minutes ago by the inbox clock.
    db.session.expire_all()
    row = db.session.scalars(select(ConversationAccess).where(ConversationAccess.user_id == team.s1.id)).one()
    row.opened_at = clock() - timedelta(minutes=3)
    db.session.commit()

    second = team.c2.get(f"/inbox/{cid}").get_data(as_text=True)
    assert "Someone else may be replying" in second
    assert team.s1.full_name in second

    # Once every visit is more than ten minutes old, nobody is warned.
    clock.advance(minutes=20)
    db.session.expire_all()
    for access in db.session.scalars(select(ConversationAccess)):
        access.opened_at = clock() - timedelta(minutes=11)
    db.session.commit()
    later = team.c2.get(f"/inbox/{cid}").get_data(as_text=True)
    assert "Someone else may be replying" not in later


def test_every_staff_open_is_logged(team):
    cid = start(team.relative, "Logged")
    assert access_count(cid) == 0
    team.c1.get(f"/inbox/{cid}")
    team.c1.get(f"/inbox/{cid}")
    team.c2.get(f"/inbox/{cid}")
    assert access_count(cid, team.s1.id) == 2
    assert access_count(cid, team.s2.id) == 1
    team.rel.get(f"/messages/{cid}")
    team.cx.get(f"/inbox/{cid}")
    assert access_count(cid) == 3
    db.session.expire_all()
    row = db.session.scalars(select(ConversationAccess).where(ConversationAccess.user_id == team.s2.id)).one()
    assert (row.team_id, row.site_id, row.reason) == (team.home.id, team.site.id, "")


# Saved replies -------------------------------------------------------------------------------------


def saved(reply_id: int) -> SavedReply | None:
    db.session.expire_all()
    return db.session.get(SavedReply, reply_id)


def test_saved_replies_create_use_edit_delete_and_other_teams_get_404(team):
    body = "Here is our leaflet about sleep problems and psychosis."
    refused = send(team.c1, "/inbox/saved-replies/new", {"title": "  ", "body": body})
    assert refused.status_code == 400
    assert field_error(refused.get_data(as_text=True), "title") == "Give the saved reply a short title"
    assert textarea_value(refused.get_data(as_text=True), "body") == body

    assert (
        send(team.c1, "/inbox/saved-replies/new", {"title": "Sleep leaflet", "body": body}).status_code == 302
    )
    db.session.expire_all()
    reply = db.session.scalars(select(SavedReply)).one()
    assert (reply.team_id, reply.title, reply.body, reply.updated_by_id) == (
        team.home.id,
        "Sleep leaflet",
        body,
        team.s1.id,
    )
    assert "Sleep leaflet" in team.c2.get("/inbox/saved-replies").get_data(as_text=True)

    cid = start(team.relative, "Sleep again")
    page = team.c2.get(f"/inbox/{cid}?use={reply.id}").get_data(as_text=True)
    assert textarea_value(page, "body") == body
    assert textarea_value(team.c2.get(f"/inbox/{cid}").get_data(as_text=True), "body") == ""

    edit = team.c2.get(f"/inbox/saved-replies/{reply.id}/edit")
    assert edit.status_code == 200 and 'value="Sleep leaflet"' in edit.get_data(as_text=True)
    changed = send(
        team.c2,
        f"/inbox/saved-replies/{reply.id}/edit",
        {"title": "Sleep leaflet (new)", "body": "Updated text."},
    )
    assert changed.status_code == 302
    row = saved(reply.id)
    assert (row.title, row.body, row.updated_by_id) == ("Sleep leaflet (new)", "Updated text.", team.s2.id)

    # Another team's supporter cannot see, use, change or delete it.
    assert "Sleep leaflet" not in team.cx.get("/inbox/saved-replies").get_data(as_text=True)
    assert team.cx.get(f"/inbox/saved-replies/{reply.id}/edit").status_code == 404
    hijack = send(team.cx, f"/inbox/saved-replies/{reply.id}/edit", {"title": "Hijacked", "body": "Hijacked"})
    assert hijack.status_code == 404
    assert send(team.cx, f"/inbox/saved-replies/{reply.id}/delete", {}).status_code == 404
    assert saved(reply.id).title == "Sleep leaflet (new)"
    theirs = start(team.other_relative, "Their own conversation")
    page = team.cx.get(f"/inbox/{theirs}?use={reply.id}").get_data(as_text=True)
    assert "Updated text." not in page
    assert team.rel.get("/inbox/saved-replies").status_code == 403

    assert send(team.c1, f"/inbox/saved-replies/{reply.id}/delete", {}).status_code == 302
    assert saved(reply.id) is None


# Usage events ---------------------------------------------------------------------------------------


def test_usage_events_carry_ids_and_never_text(team, clock):
    clock.set(SATURDAY)
    subject, body = "Private subject words", "Private body words about his voices"
    reply = "Private reply words from the team"
    assert write_new(team.rel, subject, body).status_code == 302
    cid = only_conversation_of(team.relative).id
    clock.set(MONDAY)
    assert send(team.c1, f"/inbox/{cid}/assign", {"value": "me"}).status_code == 302
    assert staff_reply_via_page(team.c1, cid, reply).status_code == 302
    clock.advance(minutes=10)
    assert team.rel.get(f"/messages/{cid}").status_code == 200
    assert send(team.c1, f"/inbox/{cid}/status", {"value": "closed"}).status_code == 302

    db.session.expire_all()
    events = db.session.scalars(select(UsageEvent)).all()
    by_name: dict[str, list[UsageEvent]] = {}
    for event in events:
        by_name.setdefault(event.name, []).append(event)
    for name in (
        "inbox.message.sent",
        "inbox.conversation.read",
        "inbox.conversation.assigned",
        "inbox.conversation.closed",
        "inbox.message.auto_replied",
    ):
        assert name in by_name, name
        for event in by_name[name]:
            assert (event.object_type, event.object_id) == ("conversation", str(cid)), name
    sent_by = {e.user_id for e in by_name["inbox.message.sent"]}
    assert sent_by == {team.relative.id, team.s1.id}
    read_by = {e.user_id for e in by_name["inbox.conversation.read"]}
    assert {team.relative.id, team.s1.id} <= read_by
    assert by_name["inbox.conversation.closed"][0].user_id == team.s1.id

    forbidden = (
        subject,
        body,
        reply,
        "Private",
        team.relative.email,
        team.relative.forum_name,
        team.s1.email,
        team.s1.full_name,
    )
    for event in events:
        text = " ".join(str(getattr(event, column.key)) for column in UsageEvent.__table__.columns)
        for word in forbidden:
            assert word not in text, (event.name, word)
