"""In Chromium at 375 px: a relative searches the forum, opens a post from the results, thanks it and
takes the thanks back; a long thread's reply box is one tap from the top. Axe on every page."""

from datetime import timedelta

import pytest

from react_toolkit.extensions import db
from react_toolkit.forum.models import Post, Thread
from react_toolkit.forum.services import category, seed_categories
from react_toolkit.timeutil import now
from tests.browser.conftest import open_nav
from tests.browser.world import sign_in

pytestmark = pytest.mark.browser


def _thread_of(author, slug: str, title: str, bodies: list[str]) -> Thread:
    start = now() - timedelta(days=1)
    thread = Thread(
        category_id=category(author, slug).id,
        author_id=author.id,
        title=title,
        created_at=start,
        last_post_at=start + timedelta(minutes=len(bodies)),
        reply_count=len(bodies) - 1,
    )
    db.session.add(thread)
    db.session.flush()
    db.session.add_all(
        Post(thread_id=thread.id, author_id=author.id, body=body, created_at=start + timedelta(minutes=n))
        for n, body in enumerate(bodies)
    )
    db.session.commit()
    return thread


def test_relative_searches_the_forum_and_thanks_a_post_on_a_phone(page, create_user, check_accessibility):
    seed_categories()
    db.session.commit()
    writer, relative = create_user("relative"), create_user("relative")
    bodies = [f"Update {n}: an ordinary day." for n in range(29)]
    bodies.append("The **night shift** is hard. A warm bath before bed helped him sleep at last.")
    thread = _thread_of(writer, "coping-day-to-day", "Getting through the nights", bodies)
    page.set_viewport_size({"width": 375, "height": 740})

    sign_in(page, relative.email)
    open_nav(page, "Forum")
    assert "New posts" in page.inner_text("main")
    check_accessibility(page)
    page.fill("#forum-search", "bath sleep")
    page.click("button:has-text('Search')")
    page.wait_for_url("**/forum/search?q=bath+sleep")
    results = page.locator(".react-search-results li")
    assert results.count() == 1
    assert page.locator(".react-search-snippet mark").count() >= 2
    check_accessibility(page)

    results.first.locator("a").click()
    page.wait_for_url(f"**/forum/threads/{thread.id}?page=2#post-*")
    target = page.locator("article.react-post").last
    assert "warm bath" in target.inner_text()
    check_accessibility(page)
    target.locator("button:has-text('Say thank you')").click()
    assert "You said thank you for this post." in page.inner_text(".react-flash")
    thanked = page.locator("article.react-post").last
    assert "1 person said thank you" in thanked.inner_text()
    check_accessibility(page)
    thanked.locator("button:has-text('Take back your thank you')").click()
    assert "said thank you" not in page.locator("article.react-post").last.inner_text()

    # The reply box, from the top of the thread.
    page.goto(f"/forum/threads/{thread.id}")
    page.click(".react-jump-to-reply a")
    assert page.evaluate("location.hash") == "#reply"
    box = page.locator("#body").bounding_box()
    assert 0 <= box["y"] < 740
    page.fill("#body", "Thank you, we will try a bath too.")
    page.click("button:has-text('Preview')")
    assert "this is how your post will look" in page.inner_text("#preview")
    assert page.input_value("#body") == "Thank you, we will try a bath too."
    check_accessibility(page)
