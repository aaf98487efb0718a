"""In Chromium: a relative reads a section, marks it done, saves it to the toolbox and finds a resource."""

import pytest

from react_toolkit.config import BASE_DIR
from react_toolkit.modules.services import sync_content
from tests.browser.conftest import open_nav
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_read_mark_done_save_and_find_help(page, create_user, check_accessibility):
    sync_content(BASE_DIR / "content")
    relative = create_user("relative")

    page.goto("/sign-in")
    page.fill("#email", relative.email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")

    open_nav(page, "Modules")
    page.wait_for_url("**/modules")
    check_accessibility(page)
    page.click("text=2. What is psychosis?")
    check_accessibility(page)
    page.click("text=Start reading")
    page.wait_for_url("**/modules/what-is-psychosis/1")
    assert page.inner_text("h1") == "What psychosis means"
    check_accessibility(page)

    page.click("button:has-text('Save to my toolbox')")
    assert "is saved in your toolbox" in page.inner_text(".react-flash")
    page.click("button:has-text('Mark as done and go on')")
    page.wait_for_url("**/modules/what-is-psychosis/2")
    check_accessibility(page)

    page.goto("/modules/what-is-psychosis")
    page.locator(".nhsuk-contents-list__item").first.locator("text=Done").wait_for()

    page.goto("/modules/what-is-psychosis/3")
    exercise = page.locator(".react-exercise textarea").first
    exercise.fill("I noticed she stopped sleeping first.")
    page.locator(".react-exercise button:has-text('Save my answer')").first.click()
    assert "Only you can see it" in page.inner_text(".react-flash")
    assert (
        page.locator(".react-exercise textarea").first.input_value()
        == "I noticed she stopped sleeping first."
    )
    check_accessibility(page)

    open_nav(page, "My toolbox")
    assert "What psychosis means" in page.inner_text("main")
    check_accessibility(page)

    open_nav(page, "Resources")
    page.fill("#q", "voices")
    page.click("button:has-text('Search')")
    assert "Hearing Voices Network" in page.inner_text("main")
    check_accessibility(page)
