"""In Chromium: a clinician invites a relative with a private label and prints the A5 handout."""

import re

import pytest

from react_toolkit.auth.models import Invitation
from react_toolkit.extensions import db
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

LABEL = "JS Tuesday clinic"
# An A5 sheet in PDF points (148 x 210 mm).
A5_POINTS = (419.53, 595.28)


def test_clinician_invites_with_a_label_and_prints_the_handout(page, create_user, check_accessibility):
    clinician = create_user("clinician")
    team = clinician.team

    page.goto("/sign-in")
    page.fill("#email", clinician.email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")

    page.goto("/invitations/new")
    page.check("text=Give them a code to read out or print")
    page.fill("#label", LABEL)
    check_accessibility(page)
    page.click("button:has-text('Create invitation')")
    page.wait_for_url(re.compile(r".*/invitations/\d+$"))
    assert LABEL in page.inner_text("main")
    code = page.inner_text(".react-code")
    check_accessibility(page)

    page.click("text=Open a handout to print (A5)")
    page.wait_for_url(re.compile(r".*/invitations/\d+/handout$"))
    main = page.inner_text("main")
    assert code in main
    assert "/register" in main
    for number in ("999", "111", "116 123", "85258", team.crisis_phone):
        assert number in main
    assert LABEL not in page.content()
    assert page.locator("svg.react-handout__qr").count() == 1
    check_accessibility(page)

    # The print style sheet asks for an A5 page, and printing gives one A5 sheet.
    sizes = page.evaluate(
        """() => [...document.styleSheets].flatMap(sheet => {
            try { return [...sheet.cssRules]; } catch (error) { return []; }
        }).filter(rule => rule instanceof CSSPageRule).map(rule => rule.style.getPropertyValue('size'))"""
    )
    assert "a5" in [size.strip().lower() for size in sizes]
    page.emulate_media(media="print")
    assert page.locator(".react-handout").is_visible()
    assert not page.locator(".nhsuk-header").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) == 1, "the handout prints on one sheet"
    width, height = (float(value) for value in boxes[0])
    assert width == pytest.approx(A5_POINTS[0], abs=1) and height == pytest.approx(A5_POINTS[1], abs=1)
    page.emulate_media(media="screen")

    invitation = db.session.query(Invitation).one()
    assert invitation.label == LABEL
    assert page.problems == []
