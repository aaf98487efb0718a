"""A "thank you" on a post: one per person, taken back at will, counted for all, named to moderators."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.forum.models import DELETED, HELD, HIDDEN, Post, Thanks
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.forum.helpers import add_post, count, make_thread, page


def _setup(people, categories):
    thread = make_thread(people["author"], categories["good-news"], "A good day", "We went to the beach.")
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    return thread, opening


def _thank(client, post_id: int, action: str = "thank", thread_id: int | None = None):
    return post(client, f"/forum/posts/{post_id}/thanks", {"action": action}, token_from="/forum")


def test_a_member_thanks_a_post_once_and_can_take_it_back(app, people, categories):
    thread, opening = _setup(people, categories)
    response = _thank(people["other_client"], opening.id)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/forum/threads/{thread.id}?page=1#post-{opening.id}")
    _thank(people["other_client"], opening.id)  # twice counts once
    assert count(Thanks, Thanks.post_id == opening.id) == 1
    text = page(people["author_client"], f"/forum/threads/{thread.id}")
    assert "1 person said thank you" in text
    assert people["other"].forum_name not in text.split("said thank you")[1][:200]
    mine = page(people["other_client"], f"/forum/threads/{thread.id}")
    assert "Take back your thank you" in mine

    _thank(people["other_client"], opening.id, "withdraw")
    assert count(Thanks, Thanks.post_id == opening.id) == 0
    assert "said thank you" not in page(people["author_client"], f"/forum/threads/{thread.id}")
    names = [e.name for e in db.session.scalars(select(UsageEvent).order_by(UsageEvent.id))]
    assert names.count("forum.post.thanked") == 1 and names.count("forum.thanks.withdrawn") == 1


def test_moderators_see_who_said_thank_you_and_members_do_not(app, people, categories, create_user, login):
    thread, opening = _setup(people, categories)
    third = create_user()
    _thank(people["other_client"], opening.id)
    _thank(login(third, the_client=app.test_client()), opening.id)
    member_view = page(people["author_client"], f"/forum/threads/{thread.id}")
    moderator_view = page(people["moderator_client"], f"/forum/threads/{thread.id}")
    assert "2 people said thank you" in member_view and "2 people said thank you" in moderator_view
    named = moderator_view.split("2 people said thank you")[1][:300]
    assert people["other"].forum_name in named and third.forum_name in named
    assert "said thank you:" not in member_view


def test_nobody_thanks_their_own_post_and_no_button_shows_for_it(app, people, categories):
    thread, opening = _setup(people, categories)
    assert _thank(people["author_client"], opening.id).status_code == 403
    assert count(Thanks) == 0
    assert "Say thank you" not in page(people["author_client"], f"/forum/threads/{thread.id}")
    assert "Say thank you" in page(people["other_client"], f"/forum/threads/{thread.id}")


def test_only_published_posts_can_be_thanked(app, people, categories):
    thread, _opening = _setup(people, categories)
    hidden = add_post(thread, people["author"], "Hidden.", status=HIDDEN)
    deleted = add_post(thread, people["author"], "Deleted.", status=DELETED)
    held = add_post(thread, people["author"], "Held.", status=HELD)
    assert _thank(people["other_client"], hidden.id).status_code == 403
    assert _thank(people["other_client"], deleted.id).status_code == 403
    assert _thank(people["other_client"], held.id).status_code == 404  # others cannot see it at all
    assert count(Thanks) == 0


def test_thanks_needs_the_form_token(app, people, categories):
    _thread, opening = _setup(people, categories)
    response = people["other_client"].post(f"/forum/posts/{opening.id}/thanks", data={"action": "thank"})
    assert response.status_code == 400 and count(Thanks) == 0


def test_a_post_in_a_category_the_member_cannot_see_cannot_be_thanked(
    app, people, categories, create_team, create_user, login
):
    from react_toolkit.forum.models import ForumCategory

    team = create_team()
    local = ForumCategory(slug="theirs", name="Theirs", description="", position=50, site_id=team.site_id)
    db.session.add(local)
    db.session.commit()
    thread = make_thread(
        create_user(team=team), local, "Local", "Local words.", created_at=now() - timedelta(hours=1)
    )
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert _thank(people["other_client"], opening.id).status_code == 404
    assert count(Thanks) == 0
