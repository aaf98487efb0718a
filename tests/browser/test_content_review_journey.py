"""In Chromium: a content reviewer records a review of a module, and the module page shows it to a relative."""

import pytest

from react_toolkit.config import BASE_DIR
from react_toolkit.modules.services import sync_content
from tests.browser.conftest import sign_out
from tests.browser.world import sign_in

pytestmark = pytest.mark.browser


def test_a_reviewer_records_a_review_and_the_page_shows_it(page, create_user, check_accessibility):
    sync_content(BASE_DIR / "content")
    relative = create_user("relative")
    reviewer = create_user("content_reviewer")

    sign_in(page, relative.email)
    page.goto("/modules/what-is-psychosis")
    assert "This page has not yet been checked by a clinician." in page.inner_text("main")
    page.click("text=About this information")
    assert "NICE CG178" in page.inner_text("main")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, reviewer.email)
    page.goto("/modules/content-status")
    check_accessibility(page)
    page.click("a:has-text('What is psychosis?')")
    page.wait_for_url("**/modules/what-is-psychosis/reviews")
    check_accessibility(page)
    page.click("text=Record your review")
    page.wait_for_url("**/modules/what-is-psychosis/reviews/new")
    check_accessibility(page)
    page.fill("#reviewer_name", "Ama Owusu")
    page.fill("#professional_role", "Consultant psychiatrist")
    page.check("#reviewer_kind-1")
    page.select_option("#registration_body", "GMC")
    page.fill("#checked", "")
    page.click("button:has-text('Record review')")
    # A missing field is explained next to it, and what was typed stays.
    assert "Say what you checked" in page.inner_text(".nhsuk-error-summary")
    assert page.input_value("#reviewer_name") == "Ama Owusu"
    check_accessibility(page)
    page.fill("#registration_number", "7654321")
    page.fill("#checked", "Every section against NICE CG178.")
    page.click("button:has-text('Record review')")
    page.wait_for_url("**/modules/what-is-psychosis/reviews")
    assert "Every section against NICE CG178." in page.inner_text("main")
    sign_out(page)

    sign_in(page, relative.email)
    page.goto("/modules/what-is-psychosis")
    note = page.inner_text(".react-review-note")
    assert "Checked by Ama Owusu, Consultant psychiatrist, on" in note
    assert "Registered with the GMC, number 7654321." in note
    check_accessibility(page)
