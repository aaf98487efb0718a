"""In Chromium: a clinician invites, the relative registers, signs in, finds crisis help and signs out."""

import re

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_invite_register_sign_in_crisis_sign_out(page, create_user, check_accessibility):
    clinician = create_user("clinician")
    team = clinician.team

    page.goto("/sign-in")
    check_accessibility(page)
    page.fill("#email", clinician.email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")
    assert f"Signed in as {clinician.full_name}" in page.content()
    check_accessibility(page)

    page.goto("/invitations/new")
    check_accessibility(page)
    page.check("text=Give them a code to read out or print")
    page.click("button:has-text('Create invitation')")
    page.wait_for_url(re.compile(r".*/invitations/\d+$"))
    check_accessibility(page)
    code = page.inner_text(".react-code")
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    page.click(".nhsuk-header__account-button")
    page.wait_for_url("**/signed-out")

    page.goto("/register")
    check_accessibility(page)
    page.fill("#code", code.lower())
    page.fill("#email", "journey@example.org")
    page.fill("#forum_name", "me@example.org")  # a mistake first: an email as forum name
    page.fill("#password", "walking by the river")
    page.check("#terms")
    page.click("button:has-text('Create my account')")
    page.locator(".nhsuk-error-summary").wait_for()  # the page after the submit
    assert "must not contain an email address" in page.inner_text("#forum_name-error")
    assert page.input_value("#email") == "journey@example.org"  # what was typed is kept
    check_accessibility(page)
    page.fill("#forum_name", "River Walker")
    page.fill("#password", "walking by the river")
    page.check("#terms")
    page.click("button:has-text('Create my account')")
    page.wait_for_url("**/")
    assert "Hello, River Walker" in page.content()
    check_accessibility(page)

    page.click(".nhsuk-header__account-button")
    page.wait_for_url("**/signed-out")
    check_accessibility(page)

    page.goto("/sign-in")
    page.fill("#email", "journey@example.org")
    page.fill("#password", "walking by the river")
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")

    page.click("text=Need help now?")
    page.wait_for_url("**/crisis")
    text = page.inner_text("main")
    for number in ("999", "111", "116 123", "85258", team.crisis_phone):
        assert number in text
    check_accessibility(page)

    page.click(".nhsuk-header__account-button")
    page.wait_for_url("**/signed-out")
    assert "You have signed out" in page.content()
    page.goto("/account")
    assert "/sign-in" in page.url
