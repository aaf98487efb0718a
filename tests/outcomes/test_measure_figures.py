"""The dashboard's outcome figures on a hand-built history whose answers are written here."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from react_toolkit.auth import roles as R
from react_toolkit.dashboard.figures import Period, Scope
from react_toolkit.extensions import db
from react_toolkit.outcomes.figures import figures
from react_toolkit.outcomes.models import MeasureAnswer

# Registrations in January 2027; the clock stands at 1 August 2027, past every window.
PERIOD = Period(date(2027, 1, 1), date(2027, 2, 1))
NOW = datetime(2027, 8, 1, 10, 0, tzinfo=UTC)
JOINED = datetime(2027, 1, 10, 12, 0, tzinfo=UTC)

# Team one: six relatives. PHQ-9 (baseline, 12 weeks, 24 weeks); None = not answered.
TEAM_ONE = [
    (12, 8, 6),
    (15, 10, None),
    (9, 9, 5),
    (20, 14, 10),
    (7, 6, None),
    (11, None, None),
]
# Changes at 12 weeks: -4, -5, 0, -6, -1 (n = 5): mean -3.2, sd 2.588, t(0.975, 4) = 2.776
# 95% CI: -3.2 +/- 2.776 * 2.588 / sqrt(5) = -3.2 +/- 3.213 -> -6.41 to 0.01
# At 24 weeks only 3 people: not shown.


def _answer(user, instrument, point, day, total):
    db.session.add(
        MeasureAnswer(
            user_id=user.id, instrument=instrument, time_point=point, in_window=True,
            days_since_registration=day, completed_at=JOINED + timedelta(days=day), answers={}, total=total,
            band=None,
        )
    )  # fmt: skip


@pytest.fixture
def history(clock, create_team, create_user):
    clock.set(NOW)
    one = create_team()
    two = create_team(one.site)
    other = create_team()
    people = []
    for scores in TEAM_ONE:
        person = create_user(R.RELATIVE, team=one)
        person.created_at = JOINED
        for point, day, total in zip(("baseline", "week12", "week24"), (0, 84, 168), scores, strict=True):
            if total is not None:
                _answer(person, "phq9", point, day, total)
                _answer(person, "gad7", point, day, 5)
        people.append(person)
    # Team two: two relatives, one answered the baseline PHQ-9 only.
    late = create_user(R.RELATIVE, team=two)
    late.created_at = JOINED
    _answer(late, "phq9", "baseline", 0, 3)
    recent = create_user(R.RELATIVE, team=two)
    recent.created_at = datetime(2027, 1, 30, 12, 0, tzinfo=UTC)
    # Outside the period, and at another trust: never counted here.
    earlier = create_user(R.RELATIVE, team=one)
    earlier.created_at = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
    _answer(earlier, "phq9", "baseline", 0, 27)
    elsewhere = create_user(R.RELATIVE, team=other)
    elsewhere.created_at = JOINED
    _answer(elsewhere, "phq9", "baseline", 0, 27)
    db.session.commit()
    return one, two, other


def test_offered_and_completed_per_time_point_and_team(history):
    one, two, _other = history
    shown = figures(PERIOD, Scope((one.site_id,)))
    rows = {row.name: row for row in shown["teams"]}
    assert rows[one.name].offered == {"baseline": 6, "week12": 6, "week24": 6}
    assert rows[one.name].completed == {"baseline": 6, "week12": 5, "week24": 3}
    assert rows[two.name].offered == {"baseline": 2, "week12": 2, "week24": 2}
    assert rows[two.name].completed == {
        "baseline": 0,
        "week12": 0,
        "week24": 0,
    }  # PHQ-9 alone is not complete
    assert shown["total"].offered["baseline"] == 8
    assert shown["total"].completed["week12"] == 5


def test_mean_change_with_its_confidence_interval_only_from_five_people(history):
    one, _two, _other = history
    shown = figures(PERIOD, Scope((one.site_id,)))
    team = {row.name: row for row in shown["teams"]}[one.name]
    change = team.changes[("phq9", "week12")]
    assert change.n == 5
    assert change.mean == pytest.approx(-3.2)
    assert change.lower == pytest.approx(-6.413, abs=0.005)
    assert change.upper == pytest.approx(0.013, abs=0.005)
    assert team.changes[("phq9", "week24")].n == 3
    assert team.changes[("phq9", "week24")].mean is None
    gad = team.changes[("gad7", "week12")]
    assert (gad.n, gad.mean, gad.lower, gad.upper) == (5, 0, 0, 0)


def test_a_window_not_yet_open_is_not_offered(history, clock):
    one, two, _other = history
    clock.set(datetime(2027, 3, 28, 10, 0, tzinfo=UTC))  # day 77 for most, day 57 for the latest
    shown = figures(PERIOD, Scope((one.site_id,)))
    rows = {row.name: row for row in shown["teams"]}
    assert rows[two.name].offered == {"baseline": 2, "week12": 1, "week24": 0}


def test_the_dashboard_shows_small_counts_as_less_than_5_to_a_site_lead(history, create_user, client, login):
    one, two, _other = history
    login(create_user(R.SITE_LEAD, site=one.site))
    response = client.get("/dashboard?from=2027-01&to=2027-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[-3000:]
    section = html.split('id="outcomes"')[1]
    assert "Outcome questionnaires" in html
    team_two = section.split(two.name)[1].split("</tr>")[0]
    assert "&lt;5" in team_two
    assert "-3.2 (-6.4 to +0.0), 5 people" in section
    # Never an individual's score.
    # (Team and trust names carry numbers of their own; they are taken out first.)
    shown = re.sub(r"EIP team \d+|Trust \d+", "", section.split("</table>")[1].replace("2027", ""))
    assert "27" not in shown


def test_an_admin_sees_exact_counts(history, create_user, client, login):
    one, two, _other = history
    login(create_user(R.ADMIN))
    html = client.get("/dashboard?from=2027-01&to=2027-01").get_data(as_text=True)
    team_two = html.split('id="outcomes"')[1].split(two.name)[1].split("</tr>")[0]
    assert "&lt;5" not in team_two
    assert ">2</td>" in team_two
