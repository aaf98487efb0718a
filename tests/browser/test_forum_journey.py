"""In Chromium: a risky post shows crisis contacts; a moderator hides it; the author sees the reason."""

import pytest

from react_toolkit.extensions import db
from react_toolkit.forum.services import seed_categories
from tests.browser.conftest import open_nav, sign_out
from tests.browser.world import sign_in

pytestmark = pytest.mark.browser


def test_risky_post_crisis_help_moderator_hides_author_sees_reason(page, create_user, check_accessibility):
    seed_categories()
    db.session.commit()
    relative = create_user("relative")
    moderator = create_user("moderator")

    sign_in(page, relative.email)
    open_nav(page, "Forum")
    check_accessibility(page)
    page.click("text=Coping day to day")
    check_accessibility(page)
    page.click("text=Start a new thread")
    check_accessibility(page)
    page.fill("#title", "Tonight")
    page.fill("#body", "I can't do this any more. I want to end it all.")
    page.click("button:has-text('Post')")
    panel = page.locator("#crisis-help")
    panel.wait_for()  # shown on the page after the submit
    for number in ("999", "116 123", "85258"):
        assert number in panel.inner_text()
    check_accessibility(page)
    sign_out(page)

    sign_in(page, moderator.email)
    open_nav(page, "Moderation")
    check_accessibility(page)
    assert "Risk" in page.inner_text("main")
    page.click("text=Tonight")
    check_accessibility(page)
    page.click("button:has-text('I will deal with this')")
    page.fill("#reason", "We have hidden this to keep you safe. A supporter from your team will contact you.")
    page.click("button:has-text('Hide')")
    assert "The post is hidden" in page.inner_text(".react-flash")
    sign_out(page)

    sign_in(page, relative.email)
    open_nav(page, "Forum")
    page.click("text=Coping day to day")
    page.click("text=Tonight")
    assert "A supporter from your team will contact you" in page.inner_text("main")
    check_accessibility(page)
