"""In Chromium: a relative writes; a supporter finds it, adds a note and replies; the relative sees it as new."""

import pytest

from tests.browser.conftest import open_nav, sign_out
from tests.browser.world import sign_in

pytestmark = pytest.mark.browser


def test_relative_writes_supporter_notes_and_replies(page, create_user, check_accessibility):
    relative = create_user("relative")
    supporter = create_user("supporter", team=relative.team)

    sign_in(page, relative.email)
    open_nav(page, "Messages")
    check_accessibility(page)
    page.click("text=Write to a supporter")
    assert "confidential within the supporter team" in page.inner_text("main")
    check_accessibility(page)
    page.fill("#subject", "Worried about sleep")
    page.fill("#body", "My son has hardly slept this week. What can I do?")
    page.click("button:has-text('Send message')")
    assert "My son has hardly slept" in page.inner_text("main")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, supporter.email)
    open_nav(page, "Team inbox")
    check_accessibility(page)
    page.click("text=Worried about sleep")
    check_accessibility(page)
    page.fill("#note", "Care coordinator is seeing him on Friday.")
    page.click("button:has-text('Add note')")
    assert "Only staff can see it" in page.inner_text(".react-flash")
    page.fill(
        "#body",
        "Thank you for writing. Sleep problems are common early on. Let's talk about what might help.",
    )
    page.click("button:has-text('Send reply')")
    assert "Your reply has been sent" in page.inner_text(".react-flash")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, relative.email)
    open_nav(page, "Messages")
    assert "1 new" in page.inner_text("main")
    page.click("text=Worried about sleep")
    thread = page.inner_text(".react-thread")
    assert "Sleep problems are common" in thread
    assert "New" in page.inner_text(".react-message--staff")
    assert "Care coordinator is seeing him" not in page.content()
    check_accessibility(page)
