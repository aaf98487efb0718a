"""Who may open and act on a conversation, tried by guessing ids: nothing leaks, nothing changes."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.inbox import services
from react_toolkit.inbox.models import ConversationAccess, Message
from tests.inbox.helpers import access_count, fresh, seen_up_to, send, token

SUBJECT = "Worried about my brother Quentin"
BODY = "He has not slept for three nights and talks about the neighbours watching him."
STAFF_REPLY = "Thank you for writing. Could you tell us a little more about his sleep?"
NOTE = "Private note: brother is known to the Northgate community team."
SNEAKY = "A sneaky message that must never be stored"
SECRETS = (SUBJECT, BODY, STAFF_REPLY, NOTE)


@pytest.fixture
def world(app, create_site, create_team, create_user, login):
    site, elsewhere = create_site(), create_site()
    t1, t2, t3 = create_team(site), create_team(site), create_team(elsewhere)
    people = SimpleNamespace(
        t1=t1,
        t2=t2,
        t3=t3,
        site=site,
        a=create_user(R.RELATIVE, team=t1),
        b=create_user(R.RELATIVE, team=t1),
        supporter=create_user(R.SUPPORTER, team=t1),
        supporter_t2=create_user(R.SUPPORTER, team=t2),
        supporter_elsewhere=create_user(R.SUPPORTER, team=t3),
        moderator=create_user(R.MODERATOR, team=t1),
        clinician=create_user(R.CLINICIAN, team=t1),
        site_lead=create_user(R.SITE_LEAD, site=site, no_team=True),
        researcher=create_user(R.RESEARCHER),
        admin=create_user(R.ADMIN),
    )
    people.clients = {}
    for name in "a b supporter supporter_t2 supporter_elsewhere moderator clinician site_lead researcher admin".split():
        people.clients[name] = login(getattr(people, name), the_client=app.test_client())

    response = send(people.clients["a"], "/messages/new", {"subject": SUBJECT, "body": BODY})
    assert response.status_code == 302
    db.session.expire_all()
    conversation = services.relative_conversations(people.a)[0][0]
    staff = people.clients["supporter"]
    page = staff.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert (
        send(
            staff,
            f"/inbox/{conversation.id}/reply",
            {"body": STAFF_REPLY, "seen_up_to": seen_up_to(page)},
        ).status_code
        == 302
    )
    # Back to a plain state: open, unassigned, not urgent, so any change shows.
    services.add_note(people.supporter, fresh(conversation.id), NOTE)
    conv = fresh(conversation.id)
    conv.status, conv.assigned_to_id, conv.urgent = "open", None, False
    db.session.commit()
    people.conversation_id = conversation.id
    return people


def snapshot(conversation_id: int) -> tuple:
    conversation = fresh(conversation_id)
    count = db.session.query(Message).filter_by(conversation_id=conversation_id).count()
    return (
        count,
        conversation.status,
        conversation.assigned_to_id,
        conversation.urgent,
        access_count(conversation_id),
    )


def attempts(cid: int, seen: int) -> list[tuple[str, str, dict | None]]:
    return [
        ("GET", f"/messages/{cid}", None),
        ("POST", f"/messages/{cid}/reply", {"body": SNEAKY}),
        ("GET", f"/inbox/{cid}", None),
        ("POST", f"/inbox/{cid}/reply", {"body": SNEAKY, "seen_up_to": seen}),
        ("POST", f"/inbox/{cid}/note", {"note": SNEAKY}),
        ("POST", f"/inbox/{cid}/assign", {"value": "me"}),
        ("POST", f"/inbox/{cid}/status", {"value": "closed"}),
        ("POST", f"/inbox/{cid}/priority", {"value": "urgent"}),
        ("POST", f"/inbox/{cid}/reason", {"reason": "I would like to read this conversation, please"}),
    ]


WRONG_USERS = [
    "b",
    "supporter_t2",
    "supporter_elsewhere",
    "moderator",
    "clinician",
    "site_lead",
    "researcher",
    "admin",
]


@pytest.mark.parametrize("who", WRONG_USERS)
def test_wrong_users_get_403_or_404_and_change_nothing(world, who):
    cid = world.conversation_id
    client = world.clients[who]
    csrf = token(client)
    seen = max(m.id for m in db.session.scalars(select(Message).where(Message.conversation_id == cid)))
    before = snapshot(cid)
    for method, path, data in attempts(cid, seen):
        if who == "admin" and path in (f"/inbox/{cid}", f"/inbox/{cid}/reason"):
            continue  # admins may open it with a reason: see test_admin_must_give_a_reason
        if method == "GET":
            response = client.get(path)
        else:
            response = send(client, path, data, csrf)
        assert response.status_code in (403, 404), (who, method, path, response.status_code)
        html = response.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in html, (who, path, secret)
        assert snapshot(cid) == before, (who, method, path)
    assert SNEAKY not in " ".join(m.body for m in db.session.scalars(select(Message)))
    listing = client.get("/inbox")
    assert listing.status_code == 403 or SUBJECT not in listing.get_data(as_text=True)


def test_relative_sees_own_conversation_without_staff_notes(world):
    cid = world.conversation_id
    response = world.clients["a"].get(f"/messages/{cid}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SUBJECT in html and BODY in html and STAFF_REPLY in html
    assert NOTE not in html and "Staff note" not in html
    listing = world.clients["a"].get("/messages").get_data(as_text=True)
    assert SUBJECT in listing


def test_other_relative_gets_404_and_an_empty_list(world):
    cid = world.conversation_id
    client = world.clients["b"]
    assert client.get(f"/messages/{cid}").status_code == 404
    assert client.get(f"/messages/{cid + 1000}").status_code == 404
    listing = client.get("/messages")
    assert listing.status_code == 200
    assert SUBJECT not in listing.get_data(as_text=True)


def test_team_supporter_can_do_everything(world):
    cid = world.conversation_id
    client = world.clients["supporter"]
    page = client.get(f"/inbox/{cid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert BODY in html and STAFF_REPLY in html and NOTE in html
    csrf = token(client)
    before_count = len(db.session.scalars(select(Message).where(Message.conversation_id == cid)).all())

    reply = send(
        client, f"/inbox/{cid}/reply", {"body": "A second reply", "seen_up_to": seen_up_to(html)}, csrf
    )
    assert reply.status_code == 302
    note = send(client, f"/inbox/{cid}/note", {"note": "A second note"}, csrf)
    assert note.status_code == 302
    assert send(client, f"/inbox/{cid}/assign", {"value": "me"}, csrf).status_code == 302
    assert send(client, f"/inbox/{cid}/priority", {"value": "urgent"}, csrf).status_code == 302
    assert send(client, f"/inbox/{cid}/status", {"value": "closed"}, csrf).status_code == 302

    conversation = fresh(cid)
    bodies = [m.body for m in db.session.scalars(select(Message).where(Message.conversation_id == cid))]
    assert len(bodies) == before_count + 2
    assert "A second reply" in bodies and "A second note" in bodies
    assert conversation.assigned_to_id == world.supporter.id
    assert conversation.urgent is True
    assert conversation.status == "closed" and conversation.closed_at is not None


def test_site_lead_sees_counts_and_access_log_but_no_text(world, create_user):
    cid = world.conversation_id
    # A conversation at another site, opened by that site's supporter: not this lead's business.
    outsider = world.clients["supporter_elsewhere"]
    far = services.start_conversation(
        create_user(R.RELATIVE, team=world.t3),
        "Far away subject line",
        "Far away body text about the weekend",
    )[0]
    assert outsider.get(f"/inbox/{far.id}").status_code == 200

    lead = world.clients["site_lead"]
    figures = lead.get("/inbox/figures")
    html = figures.get_data(as_text=True)
    assert figures.status_code == 200
    row = re.search(rf"</span>{re.escape(world.t1.name)}</td>(.*?)</tr>", html, re.S)
    assert row, "the site lead's figures have no row for their team"
    assert re.search(r"Open </span>1</td>", row.group(1))
    assert re.search(r"All conversations </span>1</td>", row.group(1))
    assert world.t3.name not in html
    for secret in (*SECRETS, "Far away"):
        assert secret not in html

    log = lead.get("/inbox/access-log")
    html = log.get_data(as_text=True)
    assert log.status_code == 200
    assert world.supporter.full_name in html
    assert f"Number {cid}" in html
    assert world.supporter_elsewhere.full_name not in html
    for secret in (*SECRETS, "Far away"):
        assert secret not in html

    refused = lead.get(f"/inbox/{cid}")
    assert refused.status_code == 403
    assert BODY not in refused.get_data(as_text=True)


@pytest.mark.parametrize("who", ["relative", "supporter", "clinician", "researcher"])
def test_figures_and_access_log_are_refused_to_others(world, who):
    client = world.clients["a" if who == "relative" else who]
    assert client.get("/inbox/figures").status_code == 403
    assert client.get("/inbox/access-log").status_code == 403


def test_admin_must_give_a_reason_and_then_reads_only(world):
    cid = world.conversation_id
    admin = world.clients["admin"]
    ask = admin.get(f"/inbox/{cid}")
    html = ask.get_data(as_text=True)
    assert ask.status_code == 200
    assert "Why do you need to open this?" in html
    for secret in SECRETS:
        assert secret not in html
    assert admin.get(f"/inbox/{cid + 1000}").status_code == 404
    accesses = access_count(cid)

    short = send(admin, f"/inbox/{cid}/reason", {"reason": "because"})
    html = short.get_data(as_text=True)
    assert short.status_code == 400
    assert "Say why you need to open it" in html
    for secret in SECRETS:
        assert secret not in html
    assert access_count(cid) == accesses

    reason = "Checking a reported fault with message delivery, ticket 4711"
    opened = send(admin, f"/inbox/{cid}/reason", {"reason": reason})
    html = opened.get_data(as_text=True)
    assert opened.status_code == 200
    assert BODY in html and STAFF_REPLY in html
    assert f'action="/inbox/{cid}/reply"' not in html
    assert f'action="/inbox/{cid}/assign"' not in html
    db.session.expire_all()
    row = db.session.scalar(
        select(ConversationAccess).where(
            ConversationAccess.conversation_id == cid, ConversationAccess.user_id == world.admin.id
        )
    )
    assert row is not None and row.reason == reason
    assert row.site_id == world.site.id and row.team_id == world.t1.id

    before = snapshot(cid)
    refused = send(admin, f"/inbox/{cid}/reply", {"body": SNEAKY, "seen_up_to": 10**6})
    assert refused.status_code in (403, 404)
    assert snapshot(cid) == before
