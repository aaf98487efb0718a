"""In Chromium: a clinician finishes a staff module; a site lead opens a NoMAD wave, two staff answer, the lead reads the results."""

import pytest

from react_toolkit.adoption import nomad
from react_toolkit.auth import roles as R
from tests.browser.conftest import sign_out
from tests.browser.world import sign_in

pytestmark = pytest.mark.browser


def answer_survey(page, value: int) -> None:
    for item in nomad.survey().items:
        page.check(f"input[name='{item.key}'][value='{value}']")
    page.click("button:has-text('Send my answers')")
    page.wait_for_url("**/")


def test_a_staff_module_then_a_nomad_wave_answered_by_two_and_read_by_the_lead(
    page, app, create_team, create_user, check_accessibility
):
    team = create_team()
    clinician = create_user(R.CLINICIAN, team=team)
    supporter = create_user(R.SUPPORTER, team=team)
    lead = create_user(R.SITE_LEAD, site=team.site)

    sign_in(page, clinician.email)
    page.click("a.nhsuk-card__link:has-text('Staff learning')")
    page.wait_for_url("**/staff/learning")
    assert "You have finished 0 of 6 modules." in page.inner_text("main")
    check_accessibility(page)
    page.click("text=Introducing the toolkit to a family in two minutes")
    assert "What you might say" in page.inner_text("main")
    check_accessibility(page)
    page.click("button:has-text('I have finished this module')")
    page.wait_for_url("**/staff/learning")
    assert "You have finished 1 of 6 modules." in page.inner_text("main")
    sign_out(page)

    sign_in(page, lead.email)
    page.goto("/staff/nomad")
    check_accessibility(page)
    page.click("button:has-text('Open the wave')")  # no name yet: the error is beside the field
    assert "Enter a name for the wave" in page.inner_text("main")
    check_accessibility(page)
    page.fill("#title", "Winter 2026")
    page.click("button:has-text('Open the wave')")
    page.wait_for_load_state()
    assert "open since" in page.inner_text("#waves")
    sign_out(page)

    for person, value in ((clinician, 4), (supporter, 5)):
        sign_in(page, person.email)
        page.click("text=Answer the survey")
        assert "I can see the potential value of the toolkit for my work" in page.inner_text("main")
        check_accessibility(page)
        answer_survey(page, value)
        assert "Thank you. Your answers are saved." in page.inner_text("main")
        assert "A short survey about the toolkit in your work" not in page.inner_text("main")
        sign_out(page)

    sign_in(page, lead.email)
    page.goto("/staff/nomad")
    page.click("button:has-text('Close this wave')")
    page.wait_for_url("**/staff/nomad/results**")
    table = page.inner_text("#nomad-constructs")
    # Two people answered: the count shows as "<5" and no mean is given.
    assert "Winter 2026" in table and "<5" in table
    assert "4.5" not in table
    assert "Finch TL et al. 2015" in page.inner_text("#nomad-source")
    check_accessibility(page)
