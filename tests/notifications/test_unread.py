"""Unread markers: home shows a panel when the team has replied, and the header counts unread
replies and followed threads with new posts, in words a screen reader says with the entry."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.forum.models import ThreadReader
from react_toolkit.inbox import services as inbox
from react_toolkit.inbox.models import Message
from tests.forum.helpers import RELAXED, make_thread, reply_to


def _nav_link(html: str, path: str) -> str:
    start = html.index(f'href="{path}"')
    return html[start : html.index("</a>", start)]


def test_a_reply_from_the_team_shows_on_home_and_in_the_navigation(
    app, client, create_user, create_team, login
):
    team = create_team()
    relative = create_user(team=team)
    supporter = create_user(R.SUPPORTER, team=team)
    conversation, _sent = inbox.start_conversation(relative, "Sleep", "He has not slept for days.")
    login(relative)
    home = client.get("/").get_data(as_text=True)
    assert "You have a reply from your team" not in home
    assert "unread" not in _nav_link(home, "/messages")

    last = db.session.scalar(
        select(Message.id).where(Message.conversation_id == conversation.id).order_by(Message.id.desc())
    )
    inbox.staff_reply(supporter, conversation, "Thank you for writing. We can talk tomorrow.", last)

    home = client.get("/").get_data(as_text=True)
    assert "You have a reply from your team" in home
    assert f"/messages/{conversation.id}" in home
    assert "Messages (1 unread)" in _nav_link(home, "/messages")
    assert "We can talk tomorrow" not in home

    # Another relative sees nothing of it.
    other = login(create_user(team=team), the_client=app.test_client())
    assert "You have a reply from your team" not in other.get("/").get_data(as_text=True)

    client.get(f"/messages/{conversation.id}")
    home = client.get("/").get_data(as_text=True)
    assert "You have a reply from your team" not in home and "unread" not in _nav_link(home, "/messages")


@pytest.mark.forum_config(**RELAXED)
def test_the_forum_entry_counts_followed_threads_with_new_posts(app, people, categories, clock):
    thread = make_thread(people["other"], categories["introductions"], "Followed", "Opening words.")
    reader = people["author_client"]
    reader.get(f"/forum/threads/{thread.id}")
    row = db.session.scalar(
        select(ThreadReader).where(
            ThreadReader.user_id == people["author"].id, ThreadReader.thread_id == thread.id
        )
    )
    row.following = True
    db.session.commit()
    assert "followed with new posts" not in _nav_link(reader.get("/").get_data(as_text=True), "/forum")
    clock.advance(minutes=5)
    reply_to(people["other_client"], thread.id, "A new reply.")
    assert "Forum (1 followed with new posts)" in _nav_link(reader.get("/").get_data(as_text=True), "/forum")
    reader.get(f"/forum/threads/{thread.id}")
    assert "followed with new posts" not in _nav_link(reader.get("/").get_data(as_text=True), "/forum")
