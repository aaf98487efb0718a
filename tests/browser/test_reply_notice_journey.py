"""In Chromium: a supporter replies; the relative's home shows the reply panel and the header counts
the unread reply, in words a screen reader says with the link; axe finds nothing."""

import pytest

from react_toolkit.inbox import services as inbox
from tests.browser.conftest import open_nav
from tests.browser.world import sign_in

pytestmark = pytest.mark.browser


def test_a_reply_shows_on_the_relatives_home_and_in_the_navigation(page, create_user, check_accessibility):
    relative = create_user("relative")
    supporter = create_user("supporter", team=relative.team)
    conversation, sent = inbox.start_conversation(relative, "Worried about sleep", "He has hardly slept.")
    inbox.staff_reply(
        supporter, conversation, "Thank you for writing. Let's talk on Friday.", sent.message.id
    )

    sign_in(page, relative.email)
    page.goto("/")
    panel = page.locator(".react-reply-waiting")
    assert "You have a reply from your team" in panel.inner_text()
    assert "Let's talk on Friday" not in page.inner_text("main")
    link = page.locator(".nhsuk-header__navigation-link:has-text('Messages')").first
    assert "Messages (1 unread)" in link.text_content()
    check_accessibility(page)

    panel.locator("a").click()
    page.wait_for_load_state()
    assert "Let's talk on Friday" in page.inner_text("main")
    check_accessibility(page)
    open_nav(page, "Messages")
    assert (
        "unread"
        not in page.locator(".nhsuk-header__navigation-link:has-text('Messages')").first.text_content()
    )
