"""What supporters see beside a conversation: when the waiting message arrived, and the relative's other conversations with the team."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.inbox import services
from tests.inbox.helpers import fresh, send, start, token

MONDAY = datetime(2026, 3, 9, 10, 0, tzinfo=UTC)


@pytest.fixture
def clock(clock):
    """The suite's clock, stopped on a Monday morning in service hours."""
    clock.set(MONDAY)
    return clock


@pytest.fixture
def team(app, clock, create_site, create_team, create_user, login):
    site = create_site()
    home, other = create_team(site), create_team(site)
    t = SimpleNamespace(
        home=home,
        other=other,
        relative=create_user(R.RELATIVE, team=home),
        someone_else=create_user(R.RELATIVE, team=home),
        supporter=create_user(R.SUPPORTER, team=home),
        site_supporter=create_user(R.SUPPORTER, site=site, no_team=True),
        outsider=create_user(R.SUPPORTER, team=other),
        moderator=create_user(R.MODERATOR, team=home),
        admin=create_user(R.ADMIN),
    )
    t.staff = login(t.supporter, the_client=app.test_client())
    t.across = login(t.site_supporter, the_client=app.test_client())
    t.outside = login(t.outsider, the_client=app.test_client())
    t.admin_client = login(t.admin, the_client=app.test_client())
    return t


def html_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.get_data(as_text=True)


def related(html: str) -> str:
    """The 'other conversations' part of a staff conversation page."""
    match = re.search(r'<section aria-labelledby="related">(.*?)</section>', html, re.S)
    assert match, "no list of other conversations on the page"
    return match.group(1)


# When a message arrived -----------------------------------------------------------------------------------


def test_the_team_inbox_shows_when_a_message_arrived_beside_the_wait(team, clock):
    clock.set(datetime(2026, 3, 7, 2, 14, tzinfo=UTC))  # Saturday night, GMT
    saturday = start(team.relative, "Saturday night worry")
    clock.set(MONDAY)  # an hour into Monday's service
    html = html_of(team.staff, "/inbox")
    row = re.search(rf'href="/inbox/{saturday}">.*?</tr>', html, re.S).group(0)
    assert "Waiting 60 minutes of service time" in row
    assert "Arrived 2:14am Saturday 7 March" in row

    conversation_page = html_of(team.staff, f"/inbox/{saturday}")
    assert "Waiting 60 minutes of service time" in conversation_page
    assert "Arrived 2:14am Saturday 7 March" in conversation_page


def test_arrival_times_are_in_uk_time_and_name_the_year_when_it_is_not_this_one(app, team, clock, login):
    clock.set(datetime(2026, 6, 13, 1, 14, tzinfo=UTC))  # 2:14am British Summer Time
    summer = start(team.relative, "Summer")
    clock.set(datetime(2026, 6, 15, 9, 30, tzinfo=UTC))
    staff = login(team.supporter, the_client=app.test_client())  # months on: a new session
    assert "Arrived 2:14am Saturday 13 June" in html_of(staff, "/inbox")
    services.staff_reply(
        team.supporter, fresh(summer), "Thank you.", services.latest_visible_id(fresh(summer))
    )

    clock.set(datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    start(team.relative, "New Year's Eve")
    clock.set(datetime(2027, 1, 4, 9, 0, tzinfo=UTC))
    html = html_of(login(team.supporter, the_client=app.test_client()), "/inbox")
    assert "Arrived 11:30pm Thursday 31 December 2026" in html


def test_a_conversation_nothing_waits_on_says_so(team, clock):
    cid = start(team.relative, "Answered")
    services.staff_reply(
        team.supporter, fresh(cid), "We will call you.", services.latest_visible_id(fresh(cid))
    )
    html = html_of(team.staff, "/inbox?filter=waiting_for_relative")
    row = re.search(rf'href="/inbox/{cid}">.*?</tr>', html, re.S).group(0)
    assert "Nothing to answer" in row and "Arrived" not in row


def test_arrival_times_in_welsh(team, clock):
    clock.set(datetime(2026, 3, 7, 2, 14, tzinfo=UTC))
    start(team.relative, "Nos Sadwrn")
    clock.set(MONDAY)
    team.supporter.language = "cy"
    db.session.commit()
    assert "Cyrhaeddodd 2:14yb, Dydd Sadwrn 7 Mawrth" in html_of(team.staff, "/inbox")


# The relative's other conversations with the team -------------------------------------------------------------


def test_the_page_lists_the_relatives_other_conversations_and_escalations_with_this_team(team, clock):
    first = start(team.relative, "Medication questions")
    services.set_status(team.supporter, fresh(first), "closed")
    clock.advance(hours=1)
    second = start(team.relative, "Sleep again")
    services.set_urgent(team.supporter, fresh(second), True)
    clock.advance(hours=1)
    escalation = services.escalate_from_forum(
        team.moderator, team.relative, 9999, "A post about the evenings.", "Worried about them"
    )
    db.session.commit()
    clock.advance(hours=1)
    current = start(team.relative, "Today's question")
    start(team.someone_else, "Another relative's subject")

    html = related(html_of(team.staff, f"/inbox/{current}"))
    links = re.findall(r'href="/inbox/(\d+)"', html)
    assert links == [str(escalation), str(second), str(first)]  # newest first, not this one
    items = dict(zip(links, re.findall(r"<li>(.*?)</li>", html, re.S), strict=True))
    assert "Medication questions" in items[str(first)] and "Closed" in items[str(first)]
    assert "Urgent" in items[str(second)] and "Waiting for us" in items[str(second)]
    assert "Staff-only escalation" in items[str(escalation)]
    assert "Staff-only escalation" not in items[str(second)]
    assert "Last message 9 March 2026 at 10:00am" in items[str(first)]
    assert "Another relative's subject" not in html and "Today&#39;s question" not in html

    across = related(html_of(team.across, f"/inbox/{current}"))
    assert re.findall(r'href="/inbox/(\d+)"', across) == links


def test_another_teams_conversations_with_the_same_relative_never_show(team, clock):
    home_id = start(team.relative, "With the home team")
    # The relative moves to the other team and writes there; then moves back.
    team.relative.team_id = team.other.id
    db.session.commit()
    elsewhere = start(team.relative, "With the other team")
    team.relative.team_id = team.home.id
    db.session.commit()
    current = start(team.relative, "Back with the home team")

    for client in (team.staff, team.across):
        html = related(html_of(client, f"/inbox/{current}"))
        assert f'href="/inbox/{home_id}"' in html
        assert f'href="/inbox/{elsewhere}"' not in html and "With the other team" not in html

    # The site-wide supporter may open the other team's conversation, and sees only that team's there.
    html = related(html_of(team.across, f"/inbox/{elsewhere}"))
    assert "They have no other conversations with this team." in html
    assert "With the home team" not in html and "Back with the home team" not in html

    # The other team's supporter sees their own conversation, and nothing of the home team's.
    html = html_of(team.outside, f"/inbox/{elsewhere}")
    assert "With the home team" not in html and "Back with the home team" not in html
    assert team.outside.get(f"/inbox/{current}").status_code == 404


def test_an_administrator_opening_with_a_reason_sees_no_other_conversations(team):
    start(team.relative, "An older conversation")
    current = start(team.relative, "The one being checked")
    response = send(
        team.admin_client,
        f"/inbox/{current}/reason",
        {"reason": "Checking a reported fault, ticket 4711"},
        token(team.admin_client),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The one being checked" in html
    assert "An older conversation" not in html and 'id="related"' not in html
