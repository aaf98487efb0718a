"""A moderator passes a forum post to the author's team: the note quotes it, and the team alone can read it in its thread."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.config import BASE_DIR
from react_toolkit.extensions import db
from react_toolkit.forum import services as forum_services
from react_toolkit.forum.models import HELD, HIDDEN, ForumCategory
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.forum.helpers import add_post, make_thread
from tests.inbox.helpers import access_count, messages

TITLE = "Evenings after the hospital"
BEFORE = "We found the first week home the hardest of all."
POST = "I am finding the evenings very hard.\n\nI do not see the point of going on with the group."
EARLIER_HELD = "A held post nobody has approved yet about the day centre"
AFTER = "Sending you a hug, the evenings do get easier with time."
AFTER_HIDDEN = "A hidden post with a phone number in it 07700 900123"
REASON = "Sounds very low. Please check in with them this week."
SECRETS = (POST.split("\n")[0], BEFORE, AFTER, REASON)


@pytest.fixture
def clock(clock):
    """The suite's clock, stopped on a Wednesday morning in service hours."""
    clock.set(datetime(2026, 11, 18, 10, 30, tzinfo=UTC))
    return clock


@pytest.fixture
def forum(app, clock, create_site, create_team, create_user, login):
    """A thread with the escalated post in the middle; people inside and outside the author's team."""
    forum_services.seed_categories()
    db.session.commit()
    category = db.session.scalar(select(ForumCategory).order_by(ForumCategory.position))
    site, elsewhere = create_site(), create_site()
    home, neighbour, far = create_team(site), create_team(site), create_team(elsewhere)
    f = SimpleNamespace(
        home=home,
        author=create_user(R.RELATIVE, team=home),
        other=create_user(R.RELATIVE, team=neighbour),
        moderator=create_user(R.MODERATOR, team=home),
        supporter=create_user(R.SUPPORTER, team=home),
        site_supporter=create_user(R.SUPPORTER, site=site, no_team=True),
        neighbour_supporter=create_user(R.SUPPORTER, team=neighbour),
        far_supporter=create_user(R.SUPPORTER, team=far),
        far_site_supporter=create_user(R.SUPPORTER, site=elsewhere, no_team=True),
        clinician=create_user(R.CLINICIAN, team=home),
        site_lead=create_user(R.SITE_LEAD, site=site, no_team=True),
        researcher=create_user(R.RESEARCHER),
        admin=create_user(R.ADMIN),
    )
    thread = make_thread(f.other, category, TITLE, "How did everyone manage the first weeks?")
    add_post(thread, f.other, BEFORE)
    add_post(thread, f.other, EARLIER_HELD, status=HELD)
    f.post = add_post(thread, f.author, POST)
    add_post(thread, f.other, AFTER)
    add_post(thread, f.other, AFTER_HIDDEN, status=HIDDEN)
    f.thread = thread
    f.clients = {}
    for name in vars(f).copy():
        person = getattr(f, name)
        if hasattr(person, "password_hash"):
            f.clients[name] = login(person, the_client=app.test_client())
    return f


def escalate(f, reason: str = REASON) -> Conversation:
    response = post(f.clients["moderator"], f"/moderation/posts/{f.post.id}/escalate", {"reason": reason})
    assert response.status_code == 302
    db.session.expire_all()
    return db.session.scalars(select(Conversation).where(Conversation.relative_id == f.author.id)).one()


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


# The note -------------------------------------------------------------------------------------------


def test_the_note_gives_the_reason_then_quotes_the_post_and_links_to_the_team_page(forum):
    conversation = escalate(forum)
    assert conversation.staff_only and conversation.urgent
    assert conversation.forum_post_id == forum.post.id
    [note] = messages(conversation.id)
    assert note.kind == "note"
    assert note.body.startswith(REASON)
    assert (
        "> I am finding the evenings very hard.\n>\n> I do not see the point of going on with the group."
        in note.body
    )
    assert note.body.index(REASON) < note.body.index("> I am finding")
    assert f"(/inbox/{conversation.id}/forum-post)" in note.body
    assert "/moderation/" not in note.body

    html = page(forum.clients["supporter"], f"/inbox/{conversation.id}")
    quote = re.search(r"<blockquote>(.*?)</blockquote>", html, re.S)
    assert quote, "the post is not quoted as a blockquote"
    assert "I am finding the evenings very hard." in quote.group(1)
    assert "I do not see the point of going on with the group." in quote.group(1)
    assert f'href="/inbox/{conversation.id}/forum-post"' in html
    assert "Only staff can see it" in html


def test_the_quote_keeps_the_post_as_it_was_passed_on(forum):
    conversation = escalate(forum)
    forum_services.delete_post(forum.author, forum.post)
    html = page(forum.clients["supporter"], f"/inbox/{conversation.id}")
    assert "I am finding the evenings very hard." in html


# The read-only page ------------------------------------------------------------------------------------


def test_the_team_reads_the_post_in_its_thread(forum):
    conversation = escalate(forum)
    client = forum.clients["supporter"]
    before = access_count(conversation.id, forum.supporter.id)
    html = page(client, f"/inbox/{conversation.id}/forum-post")

    assert TITLE in html
    assert forum.author.forum_name in html
    assert "18 November 2026 at 10:30am" in html  # when it was written, in UK time
    assert "On the forum" in html
    assert "<p>I am finding the evenings very hard.</p>" in html
    assert BEFORE in html and AFTER in html
    assert html.index(BEFORE) < html.index("I am finding") < html.index(AFTER)
    # Around it, only what any forum member could read.
    assert EARLIER_HELD not in html and "Only moderators can read it" in html
    assert AFTER_HIDDEN not in html and "A moderator has hidden this post." in html
    # Read only: nothing to send from the page itself.
    main = re.search(r"<main.*?</main>", html, re.S).group(0)
    assert "<form" not in main and "<button" not in main

    assert access_count(conversation.id, forum.supporter.id) == before + 1
    db.session.expire_all()
    read = db.session.scalars(
        select(UsageEvent.object_id).where(
            UsageEvent.name == "inbox.conversation.read", UsageEvent.user_id == forum.supporter.id
        )
    ).all()
    assert read == [str(conversation.id)]


def test_the_conversation_page_links_to_it(forum):
    conversation = escalate(forum)
    html = page(forum.clients["supporter"], f"/inbox/{conversation.id}")
    assert html.count(f'href="/inbox/{conversation.id}/forum-post"') == 2  # in the note, and beside it


def test_a_site_wide_supporter_of_the_trust_may_read_it_too(forum):
    conversation = escalate(forum)
    html = page(forum.clients["site_supporter"], f"/inbox/{conversation.id}/forum-post")
    assert "I am finding the evenings very hard." in html


def test_a_hidden_post_is_still_shown_to_the_team_and_a_deleted_one_is_not(forum):
    conversation = escalate(forum)
    forum_services.hide(forum.moderator, forum.post, "Worrying, taken down while the team looks")
    html = page(forum.clients["supporter"], f"/inbox/{conversation.id}/forum-post")
    assert "Hidden by a moderator" in html and "I am finding the evenings very hard." in html

    db.session.expire_all()
    forum.post.status = "deleted"
    db.session.commit()
    html = page(forum.clients["supporter"], f"/inbox/{conversation.id}/forum-post")
    assert "Deleted by its author" in html and "This post was deleted by its author." in html
    assert "<p>I am finding the evenings very hard.</p>" not in html


def test_the_post_is_rendered_the_safe_way_posts_are(forum):
    forum.post.body = 'Some **bold** words <script>alert("x")</script> [link](javascript:alert(1))'
    db.session.commit()
    conversation = escalate(forum)
    for path in (f"/inbox/{conversation.id}", f"/inbox/{conversation.id}/forum-post"):
        html = page(forum.clients["supporter"], path)
        assert "<strong>bold</strong>" in html
        assert "<script>alert" not in html and 'href="javascript' not in html


WRONG_USERS = [
    "author",
    "other",
    "moderator",
    "neighbour_supporter",
    "far_supporter",
    "far_site_supporter",
    "clinician",
    "site_lead",
    "researcher",
    "admin",
]


@pytest.mark.parametrize("who", WRONG_USERS)
def test_everyone_else_gets_404_and_nothing_is_recorded(forum, who):
    conversation = escalate(forum)
    client = forum.clients[who]
    accesses = access_count(conversation.id)
    for path in (f"/inbox/{conversation.id}/forum-post", f"/inbox/{conversation.id + 1000}/forum-post"):
        response = client.get(path)
        assert response.status_code == 404, (who, path, response.status_code)
        html = response.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in html, (who, secret)
    assert access_count(conversation.id) == accesses


def test_signed_out_people_are_sent_to_sign_in(forum, client):
    conversation = escalate(forum)
    response = client.get(f"/inbox/{conversation.id}/forum-post")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_conversation_that_is_not_about_a_post_has_no_such_page(forum):
    from react_toolkit.inbox import services

    conversation, _ = services.start_conversation(
        forum.author, "A question", "When is the next carers group?"
    )
    assert forum.clients["supporter"].get(f"/inbox/{conversation.id}/forum-post").status_code == 404
    assert access_count(conversation.id) == 0


def test_the_inbox_imports_nothing_of_the_forum():
    """The forum lends the inbox its read-only view of a post; the inbox never reaches into the forum."""
    for path in sorted((BASE_DIR / "react_toolkit" / "inbox").glob("*.py")):
        assert "react_toolkit.forum" not in path.read_text(encoding="utf-8"), path.name


def test_an_escalation_offers_a_team_note_and_no_reply_the_relative_could_not_read(forum, outbox):
    conversation = escalate(forum)
    supporter = forum.clients["supporter"]
    html = page(supporter, f"/inbox/{conversation.id}")
    assert "Reply to the relative" not in html and "Send reply" not in html
    assert "Add a note for your team" in html
    before = len(outbox)
    response = post(supporter, f"/inbox/{conversation.id}/reply", {"body": "Hello", "seen_up_to": "999999"})
    assert response.status_code == 403
    db.session.expire_all()
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id == conversation.id, Message.kind == "staff")
        )
        == 0
    )
    assert len(outbox) == before
