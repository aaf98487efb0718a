"""In Chromium, at 2am and the next morning: crisis help before any refusal, every post read by a
person, and an escalation the team can read.

A relative writes a risky post inside the posting limit at 2am on a Saturday and sees crisis help
at once, with what they wrote kept; the forum says nobody is reading it. On Monday a moderator
works the "To read" stream with "Reviewed, next" and passes a post to its author's team; a
supporter of that team opens the escalation and reads the quoted post. Every page is axe-clean.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from react_toolkit.extensions import db
from react_toolkit.forum import services as forum
from react_toolkit.forum.models import ForumCategory, Post, Thread
from react_toolkit.risk.services import check_text
from tests.browser.conftest import open_nav, sign_out
from tests.browser.world import sign_in

pytestmark = pytest.mark.browser

SATURDAY_2AM = datetime(2026, 11, 21, 2, 0, tzinfo=UTC)
MONDAY_9_30 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
RISKY = "I can't cope anymore, I want to end it all"
WORRYING = "He has stopped his tablets and has not eaten for days, he locked himself in his room."
MIDDLING = "Some days I do not know how much more I can take."


def written(thread: Thread, author, body: str, moment: datetime) -> Post:
    """A published post as the forum writes it, with its risk score, at a given moment."""
    risk = check_text(body)
    row = Post(
        thread_id=thread.id,
        author_id=author.id,
        body=body,
        created_at=moment,
        risk_score=risk.score,
        risk_categories=",".join(risk.categories),
    )
    db.session.add(row)
    db.session.commit()
    return row


def test_a_night_post_gets_crisis_help_then_is_read_and_passed_to_the_team(
    page, app, clock, create_user, create_team, check_accessibility
):
    clock.set(SATURDAY_2AM, ticking=True)
    forum.seed_categories()
    db.session.commit()
    category = db.session.query(ForumCategory).filter_by(slug="coping-day-to-day").one()
    team = create_team()
    relative = create_user("relative", team=team)
    other = create_user("relative", team=team)
    supporter = create_user("supporter", team=team)
    moderator = create_user("moderator")
    for member in (relative, other):
        member.created_at = SATURDAY_2AM - timedelta(days=60)
    thread = Thread(category_id=category.id, author_id=other.id, title="Nights", created_at=SATURDAY_2AM)
    db.session.add(thread)
    db.session.commit()
    # Earlier posts: the relative's own from a few seconds ago (inside the posting limit), and
    # two from the other relative for the moderator to read on Monday.
    earlier = [
        written(
            thread,
            relative,
            f"Thank you all for being here. Night {n}.",
            SATURDAY_2AM - timedelta(days=20 - n),
        )
        for n in range(3)
    ]
    earlier.append(written(thread, relative, "Is anyone else awake?", SATURDAY_2AM - timedelta(seconds=5)))
    for row in earlier:
        forum.review(moderator, row)
    middling = written(thread, other, MIDDLING, SATURDAY_2AM - timedelta(hours=3))
    worrying = written(thread, other, WORRYING, SATURDAY_2AM - timedelta(hours=2))

    # 2am: the relative writes inside the posting limit. Crisis help comes first, words kept.
    sign_in(page, relative.email)
    open_nav(page, "Forum")
    assert "Nobody is reading the forum now" in page.inner_text("main")
    check_accessibility(page)
    page.goto(f"/forum/threads/{thread.id}")
    page.fill("#body", RISKY)
    page.click("button:has-text('Reply')")
    panel = page.locator("#crisis-help")
    panel.wait_for()
    for number in ("999", "116 123", "85258"):
        assert number in panel.inner_text()
    assert "Please wait" in page.inner_text("main")
    assert page.input_value("#body") == RISKY
    check_accessibility(page)
    sign_out(page)

    # Monday morning: the moderator reads the stream, riskiest first.
    clock.set(MONDAY_9_30, ticking=True)
    sign_in(page, moderator.email)
    open_nav(page, "Moderation")
    page.click("a:has-text('To read')")
    page.wait_for_url("**/moderation/to-read")
    main = page.inner_text("main")
    assert "locked himself in his room" in main and "Medical emergency" in main
    assert page.locator(".react-risk-reasons mark").count() > 0
    check_accessibility(page)
    page.click("button:has-text('Reviewed, next')")
    page.wait_for_url("**/moderation/to-read")
    assert "Marked as read." in page.inner_text(".react-flash")
    assert "how much more I can take" in page.inner_text("main")
    check_accessibility(page)
    page.fill("#reason", "Sounds worn out and alone; please check in with this relative today.")
    page.click("button:has-text('Escalate')")
    page.wait_for_url("**/moderation/to-read")
    check_accessibility(page)
    db.session.expire_all()
    assert db.session.get(Post, worrying.id).reviewed_by_id == moderator.id
    assert db.session.get(Post, middling.id).reviewed_by_id == moderator.id
    sign_out(page)

    # The supporter opens the escalation and reads the quoted post.
    sign_in(page, supporter.email)
    open_nav(page, "Inbox")
    page.click("text=A forum moderator is worried about this member")
    main = page.inner_text("main")
    assert "please check in with this relative today" in main
    assert MIDDLING in main
    check_accessibility(page)
    page.click("a:has-text('Read the post with the posts around it')")
    page.wait_for_url("**/forum-post")
    assert MIDDLING in page.inner_text("main")
    check_accessibility(page)
