"""In Chromium: the questionnaires from registration to 12 weeks, the chart and its table, and a shared summary."""

from datetime import timedelta

import pytest

from react_toolkit.auth.services import create_invitation
from react_toolkit.extensions import db
from react_toolkit.timeutil import now, set_clock
from tests.browser.conftest import open_nav, sign_out
from tests.browser.world import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def choose(page, name: str, value: int) -> None:
    page.check(f"input[name='{name}'][value='{value}']")


def test_baseline_reminder_at_12_weeks_chart_and_a_summary_a_supporter_reads(
    page, app, create_user, check_accessibility
):
    clinician = create_user("clinician")
    supporter = create_user("supporter", team=clinician.team)
    code = create_invitation(clinician, clinician.team, "code").code
    db.session.commit()
    start = now()
    set_clock(start)

    page.goto("/register")
    page.fill("#code", code)
    page.fill("#email", "measures@example.org")
    page.fill("#forum_name", "Steady Oak")
    page.fill("#password", PASSWORD)
    page.check("#terms")
    page.click("button:has-text('Create my account')")
    page.wait_for_url("**/")
    # Offered at registration, never forced.
    assert "Two short questionnaires about how you are" in page.inner_text("main")
    check_accessibility(page)
    page.click("text=Find out more and choose")
    assert "Your team does not see your answers or your scores" in page.inner_text("main")
    check_accessibility(page)
    page.click("button:has-text('Start the questionnaires')")
    page.wait_for_url("**/measures/phq9")
    check_accessibility(page)
    for name, value in zip(
        (
            "interest",
            "down",
            "sleep",
            "tired",
            "appetite",
            "feeling_bad",
            "concentrating",
            "moving",
            "better_off_dead",
        ),
        (2, 2, 2, 1, 1, 1, 1, 0, 0),
        strict=True,
    ):
        choose(page, name, value)
    page.click("button:has-text('Save my answers')")
    page.wait_for_url("**/measures/phq9/result")
    assert "score is 10 out of 27" in page.inner_text("main")
    check_accessibility(page)
    page.click("text=Go on to the GAD-7 questionnaire")
    for name in (
        "nervous",
        "control_worrying",
        "worrying_too_much",
        "relaxing",
        "restless",
        "irritable",
        "afraid",
    ):
        choose(page, name, 1)
    page.click("button:has-text('Save my answers')")
    page.wait_for_url("**/measures/gad7/result")
    assert "score is 7 out of 21" in page.inner_text("main")
    sign_out(page)

    # Twelve weeks on, home says the questionnaires are due.
    set_clock(start + timedelta(weeks=12))
    sign_in(page, "measures@example.org")
    assert "Your questionnaires are due" in page.inner_text("main")
    check_accessibility(page)
    page.click("text=Answer the questionnaires")
    for name in (
        "interest",
        "down",
        "sleep",
        "tired",
        "appetite",
        "feeling_bad",
        "concentrating",
        "moving",
        "better_off_dead",
    ):
        choose(page, name, 0)
    choose(page, "interest", 2)
    page.click("button:has-text('Save my answers')")
    page.wait_for_url("**/measures/phq9/result")

    open_nav(page, "Your scores")
    check_accessibility(page)
    assert page.locator(".react-measure-chart svg").count() == 2
    table = page.inner_text("table:has(caption:has-text('Your PHQ-9 scores'))")
    assert "10 out of 27" in table and "2 out of 27" in table
    assert "Moderate" in table and "Minimal" in table and "12 weeks" in table

    page.click("text=Write and send a summary")
    check_accessibility(page)
    page.fill("#questions", "How can I help him keep to his medication?")
    page.click("button:has-text('See what will be sent')")
    preview = page.inner_text(".react-summary-preview")
    assert "PHQ-9: 2 out of 27 (minimal)" in preview
    assert "How can I help him keep to his medication?" in preview
    check_accessibility(page)
    page.click("button:has-text('Send to my team')")
    page.wait_for_load_state()
    assert "Your summary has been sent to your team" in page.inner_text("main")
    sign_out(page)

    sign_in(page, supporter.email)
    open_nav(page, "Team inbox")
    page.click("text=My questionnaire summary")
    text = page.inner_text("main")
    assert "PHQ-9: 2 out of 27 (minimal)" in text
    assert "How can I help him keep to his medication?" in text
    check_accessibility(page)
    # The supporter reached the relative's scores only through the summary the relative sent.
    assert page.goto("/measures").status == 403
