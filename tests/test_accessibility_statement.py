"""The accessibility statement: the parts the 2018 regulations ask for, help that fits the reader,
and a description of testing that matches the tests the project really runs."""

from __future__ import annotations

import re
from pathlib import Path

from react_toolkit.auth import roles as R
from tests.browser.world import ROLES

ROOT = Path(__file__).resolve().parent.parent

REQUIRED_SECTIONS = [
    "Who runs this website",
    "How accessible this website is",
    "What to do if you cannot use parts of this website",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Compliance status",
    "Non-accessible content",
    "How we tested this website",
    "Preparation of this accessibility statement",
]


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_statement_has_every_part_the_regulations_ask_for(client):
    response = client.get("/accessibility")
    assert response.status_code == 200
    text = text_of(response)
    for heading in REQUIRED_SECTIONS:
        assert heading in text, heading
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert "Equality Commission for Northern Ireland (ECNI)" in text
    assert "partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard" in text
    assert re.search(r"prepared on \d{1,2} \w+ 20\d\d", text)


def test_relative_is_pointed_to_their_own_team(client, login, create_user):
    relative = create_user(R.RELATIVE)
    login(relative)
    response = client.get("/accessibility")
    text = text_of(response)
    assert f"Your EIP team is {relative.team.name}" in text
    assert 'href="/messages/new"' in response.get_data(as_text=True)


def test_staff_are_told_to_ask_their_site_lead_not_to_write_as_a_relative(client, login, create_user):
    login(create_user(R.SUPPORTER))
    response = client.get("/accessibility")
    assert "tell your site lead" in text_of(response)
    assert 'href="/messages/new"' not in response.get_data(as_text=True)


def test_the_testing_described_is_the_testing_the_suite_does():
    sweep = (ROOT / "tests/browser/test_accessibility_sweep.py").read_text(encoding="utf-8")
    for tag in ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"):
        assert f'"{tag}"' in sweep
    assert set(ROLES) == set(R.ALL)  # the sweep signs in as every role there is
    keyboard = (ROOT / "tests/browser/test_keyboard_journeys.py").read_text(encoding="utf-8")
    for journey in (
        "test_read_a_section_and_mark_it_done",
        "test_reply_in_the_forum",
        "test_send_a_message_to_the_supporter",
        "test_moderator_approves_a_held_post_from_the_queue",
        "test_skip_link_moves_focus_to_the_main_content",
    ):
        assert f"def {journey}(" in keyboard
    reflow = (ROOT / "tests/browser/test_reflow.py").read_text(encoding="utf-8")
    assert '"width": 320' in reflow and "200%" in reflow
