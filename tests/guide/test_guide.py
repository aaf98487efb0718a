"""Help for someone new: "Start here" on home until put away, the help and about pages, footer links."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.guide.models import StartHereDismissal
from react_toolkit.modules.services import sync_content
from react_toolkit.second_factor.views import open_before_second_factor
from tests.conftest import post
from tests.modules.conftest import CONTENT_DIR

START_HERE = 'id="start-here-title"'


def test_a_new_relative_sees_start_here_with_the_forum_the_supporter_their_hours_and_crisis_numbers(
    client, create_user, login
):
    sync_content(CONTENT_DIR)
    relative = create_user(R.RELATIVE)
    login(relative)
    page = client.get("/").get_data(as_text=True)
    assert "Start here" in page
    assert 'href="/modules/how-to-use-the-toolkit"' in page
    assert "The forum" in page and "Your supporter" in page
    assert "service hours" in page  # the team's hours
    for number in ('href="tel:999"', 'href="tel:111"', 'href="tel:116123"', 'href="sms:85258"'):
        assert number in page
    assert relative.team.crisis_phone in page  # the team's own crisis line


def test_putting_start_here_away_lasts_and_is_only_for_that_person(app, client, create_user, login):
    relative = create_user(R.RELATIVE, email="first@example.org")
    other = create_user(R.RELATIVE, email="second@example.org")
    login(relative)
    response = post(client, "/start-here/dismiss")
    assert response.status_code == 302
    assert START_HERE not in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(StartHereDismissal.user_id)) == relative.id

    second = app.test_client()
    login(other, the_client=second)
    assert START_HERE in second.get("/").get_data(as_text=True)


def test_staff_have_no_start_here_and_may_not_put_one_away(client, create_user, login):
    login(create_user(R.SUPPORTER))
    assert START_HERE not in client.get("/").get_data(as_text=True)
    assert post(client, "/start-here/dismiss").status_code == 403
    assert db.session.scalar(select(StartHereDismissal)) is None


def test_start_here_dismissal_is_erased_and_exported_with_the_person(app, create_user, clock):
    from react_toolkit.core import personal_data
    from react_toolkit.guide import services

    relative = create_user(R.RELATIVE)
    moment = clock.set(datetime(2026, 5, 4, 9, 30, tzinfo=UTC))
    services.dismiss_start_here(relative)
    (section,) = [s for s in personal_data.sections() if s.name == "start_here"]
    assert section.export(relative) == {"dismissed_at": moment.isoformat()}
    personal_data.erase_everywhere(relative)
    assert db.session.get(StartHereDismissal, relative.id) is None


def test_help_page_covers_signing_in_passwords_expired_invitations_phones_and_who_to_contact(make_app):
    app = make_app(HELP_CONTACT_NAME="Digital team, Anytown EIP", HELP_CONTACT_PHONE="0300 123 4567")
    page = app.test_client().get("/help").get_data(as_text=True)
    for heading in (
        "Signing in",
        "If you forgot your password",
        "If your invitation has expired",
        "Using the toolkit on a phone",
        "Who to contact",
    ):
        assert f">{heading}</h2>" in page
    assert "Digital team, Anytown EIP" in page and 'href="tel:03001234567"' in page
    assert 'href="/password/forgot"' in page


def test_help_page_names_a_relatives_own_team(client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    page = client.get("/help").get_data(as_text=True)
    assert f"Your team is {relative.team.name}" in page


def test_about_page_shows_the_deployments_provider_funder_and_end_date(make_app):
    app = make_app(
        ABOUT_PROVIDER="Anytown NHS Foundation Trust",
        ABOUT_COMMISSIONER="Anytown Integrated Care Board",
        ABOUT_FUNDED_UNTIL="31 March 2029",
        ABOUT_CLOSURE_PLAN="We will delete every account 30 days after closing.",
    )
    page = app.test_client().get("/about").get_data(as_text=True)
    assert "provided by Anytown NHS Foundation Trust" in page
    assert "funded by Anytown Integrated Care Board" in page
    assert "funded until 31 March 2029" in page
    assert "We will delete every account 30 days after closing." in page


def test_about_page_has_sensible_words_when_nothing_is_set(client):
    page = client.get("/about").get_data(as_text=True)
    assert "No end date has been set." in page
    assert "Early Intervention in Psychosis teams" in page
    assert "download your data" in page


def test_every_page_links_to_help_and_about_in_the_footer(client):
    footer = client.get("/privacy").get_data(as_text=True).split("nhsuk-footer", 1)[1]
    assert 'href="/help"' in footer and 'href="/about"' in footer


def test_help_and_about_open_before_the_second_factor(app):
    assert {"guide.view_help", "guide.view_about"} <= open_before_second_factor()


def test_main_calls_to_action_draw_their_arrow(client, create_user, login):
    page = client.get("/").get_data(as_text=True)
    link = re.search(r'<a class="nhsuk-action-link".*?</a>', page, re.S).group(0)
    assert "Join with your invitation" in link and "nhsuk-icon--arrow-right-circle" in link
