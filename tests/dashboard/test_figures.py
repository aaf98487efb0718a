"""Each dashboard figure, computed on the hand-built history in conftest.py, against answers worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from react_toolkit.dashboard import figures, rollup
from react_toolkit.dashboard.figures import Scope, Spread, quantile
from react_toolkit.extensions import db
from react_toolkit.timeutil import simulated_time

from .conftest import PERIOD, at, invite, views

ALL = Scope(None)


@pytest.fixture
def rolled(history):
    rollup.refresh()
    return history


def test_quantiles_interpolate_between_ranks():
    assert quantile([], 0.5) is None
    assert quantile([7], 0.9) == 7
    assert quantile([600, 1800], 0.5) == 1200
    assert quantile([600, 1800], 0.25) == 900
    assert quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == pytest.approx(9.1)
    spread = Spread.of([4, 1, 3, 2])
    assert (spread.n, spread.median, spread.lower, spread.upper) == (4, 2.5, 1.75, 3.25)


def test_uptake_per_team(rolled):
    teams, sites, total = figures.uptake(PERIOD, ALL)
    a1 = next(row for row in teams if row.team_id == rolled.a1.id)
    assert a1.clinicians == 3
    assert a1.inviting_clinicians == 2  # c3 invited only before the period
    assert a1.invites == 4
    assert a1.relatives_invited == 3  # x@ twice (any case) counts once; the code is one relative
    assert a1.invites_accepted == 2
    assert a1.registered == 2
    assert a1.caseload == 100
    # x@ invitation 10 March 09:00 -> first sign-in 14 March 09:00 = 4 days; code 1 April 00:00 -> 3 April 12:00 = 2.5
    assert sorted(a1.days_to_first_sign_in) == [2.5, 4.0]
    assert a1.days.median == 3.25

    a2 = next(row for row in teams if row.team_id == rolled.a2.id)
    assert (a2.clinicians, a2.invites, a2.registered, a2.caseload) == (0, 0, 0, 40)

    site_a = next(row for row in sites if row.name == "Trust A")
    assert (site_a.clinicians, site_a.invites, site_a.registered, site_a.caseload) == (3, 4, 2, 140)
    assert (total.clinicians, total.invites, total.relatives_invited, total.registered) == (4, 5, 4, 3)
    assert sorted(total.days_to_first_sign_in) == [1.0, 2.5, 4.0]  # B1: 1 May 08:00 -> 2 May 08:00


def test_clinicians_who_invited_are_a_part_of_the_clinicians_counted(rolled, create_user):
    # c1 invited for A1 in the period, then moved to A2; c2 invited, then left and was erased.
    # Counting inviters by their invitations gave A1 two inviters out of one clinician (200%).
    rolled.c1.team_id = rolled.a2.id
    rolled.c2.erased_at = at("2026-05-20 10:00")
    db.session.commit()
    teams, sites, total = figures.uptake(PERIOD, ALL)
    a1 = next(row for row in teams if row.team_id == rolled.a1.id)
    a2 = next(row for row in teams if row.team_id == rolled.a2.id)
    assert (a1.clinicians, a1.inviting_clinicians) == (1, 0)  # c3 invited only before the period
    assert (a2.clinicians, a2.inviting_clinicians) == (1, 0)  # c1's invitations were for A1
    for row in [*teams, *sites, total]:
        assert row.inviting_clinicians <= row.clinicians, row.name
    assert a1.invites == 4  # the invitations themselves still count where they were sent


def test_a_relative_invited_twice_counts_once_where_the_invitations_can_be_linked(rolled, create_user):
    twice = create_user(email="twice@example.org", team=rolled.a2)
    for when in ("2026-04-02 10:00", "2026-04-20 10:00"):
        code = invite(rolled.c1, rolled.a2, when, None)
        code.accepted_at, code.accepted_by_id = at(when), twice.id
    invite(rolled.c1, rolled.a2, "2026-04-03 10:00", "Twice@example.org")  # and once by email
    invite(rolled.c1, rolled.a2, "2026-04-04 10:00", None)  # two codes nobody has used:
    invite(rolled.c1, rolled.a2, "2026-04-05 10:00", None)  # nothing links them
    db.session.commit()
    teams, _, _ = figures.uptake(PERIOD, ALL)
    a2 = next(row for row in teams if row.team_id == rolled.a2.id)
    assert (a2.invites, a2.relatives_invited) == (5, 3)


def test_invitations_by_outcome_and_by_way_of_sending(rolled):
    invite(rolled.c1, rolled.a2, "2026-05-01 10:00", "waiting@example.org")  # expires 15 May
    withdrawn = invite(rolled.c1, rolled.a2, "2026-05-02 10:00", None)
    withdrawn.revoked_at = at("2026-05-03 10:00")
    invite(rolled.c1, rolled.a2, "2026-05-20 10:00", None)  # still open on 25 May
    db.session.commit()
    with simulated_time(at("2026-05-25 12:00")):
        teams, _, total = figures.uptake(PERIOD, ALL)
    a2 = next(row for row in teams if row.team_id == rolled.a2.id)
    assert (a2.invites, a2.invites_accepted, a2.invites_expired, a2.invites_withdrawn) == (3, 0, 1, 1)
    assert (a2.invites_by_email, a2.invites_by_code) == (1, 2)
    a1 = next(row for row in teams if row.team_id == rolled.a1.id)
    # A1's four: x@ twice and y@ by email, one code; two taken up, two long expired.
    assert (a1.invites_accepted, a1.invites_expired, a1.invites_withdrawn) == (2, 2, 0)
    assert (a1.invites_by_email, a1.invites_by_code) == (3, 1)
    assert total.invites_expired == 3


def test_uptake_counts_only_the_period(rolled):
    february = figures.Period(date(2026, 2, 1), date(2026, 3, 1))
    teams, _, _ = figures.uptake(february, ALL)
    a1 = next(row for row in teams if row.team_id == rolled.a1.id)
    assert (a1.inviting_clinicians, a1.invites, a1.registered) == (1, 1, 0)


def test_reach_by_month(rolled):
    rows = {row.month: row for row in figures.reach(PERIOD, ALL)}
    assert list(rows) == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    assert [rows[m].registrations for m in rows] == [1, 1, 1]
    assert [rows[m].active_relatives for m in rows] == [1, 2, 1]
    assert [rows[m].inviting_staff for m in rows] == [1, 1, 1]
    assert [rows[m].inviting_teams for m in rows] == [1, 1, 1]


def test_use_sessions_time_devices_and_funnel(rolled):
    use = figures.use(PERIOD, Scope((rolled.site_a.id,)))
    # r1: 20 min + 10 min in March, 0 in April = 1800 s over 3 visits; r2: 600 s in 1 visit.
    assert use.active_relatives == 2
    assert use.time_on_site == Spread.of([1800, 600])
    assert (use.time_on_site.median, use.time_on_site.lower, use.time_on_site.upper) == (1200, 900, 1500)
    assert sorted([use.sessions.lower, use.sessions.upper]) == [1.5, 2.5]
    assert use.sessions.median == 2
    assert use.views == {"mobile": 6, "tablet": 0, "desktop": 2}  # the clinician's views are not a relative's
    assert use.forum_readers == 1
    assert (use.forum_posts, use.forum_posters) == (2, 2)
    assert (use.conversations, use.relatives_writing) == (2, 2)
    funnel = {module.title: (module.started, module.completed) for module in use.modules}
    assert funnel == {"A test module": (2, 1)}


def test_support_and_safety(rolled):
    safety = figures.safety(PERIOD, ALL)
    assert (safety.conversations, safety.answered) == (2, 2)
    assert safety.first_response.median == 2700  # of 3600 and 1800 service-hours seconds
    assert safety.first_response.p90 == pytest.approx(3420)
    assert (safety.urgent, safety.urgent_answered) == (1, 1)
    assert safety.urgent_response.median == 1800
    assert safety.risk_messages == 1
    assert (safety.risk_flags, safety.risk_flags_actioned) == (1, 1)
    assert safety.risk_action.median == 900  # claimed 15 minutes after the flag


def test_site_scope_excludes_other_sites(rolled):
    teams, sites, total = figures.uptake(PERIOD, Scope((rolled.site_b.id,)))
    assert [row.team_id for row in teams] == [rolled.b1.id]
    assert [row.name for row in sites] == ["Trust B"]
    assert (total.invites, total.registered) == (1, 1)
    use = figures.use(PERIOD, Scope((rolled.site_b.id,)))
    assert use.active_relatives == 1 and use.views == {"mobile": 0, "tablet": 1, "desktop": 0}
    assert figures.safety(PERIOD, Scope((rolled.site_b.id,))).conversations == 0


def test_maintenance_six_and_twelve_months_after_first_invite(rolled):
    with simulated_time(at("2026-11-22 12:00")):
        rows = {row.team: row for row in figures.maintenance(ALL)}
    a1 = rows[rolled.a1.name]
    assert a1.first_invite == date(2026, 2, 1)
    # Six months on is August 2026: nobody active, nobody inviting. Twelve is February 2027: not yet.
    assert a1.after == {6: (0, 0), 12: None}
    assert rows[rolled.a2.name].first_invite is None
    assert rows[rolled.a2.name].after == {6: None, 12: None}
    b1 = rows[rolled.b1.name]
    assert (b1.first_invite, b1.after) == (date(2026, 5, 1), {6: (0, 0), 12: None})


def test_maintenance_counts_the_right_month(rolled):
    # Activity in August 2026, six months after A1's first invitation, and some in July that must not count.
    views(rolled.r1, "2026-08-10 10:00")
    views(rolled.r2, "2026-07-31 22:59")  # 23:59 in London: still July
    invite(rolled.c1, rolled.a1, "2026-08-11 10:00", None)
    invite(rolled.c2, rolled.a1, "2026-08-12 10:00", None)
    invite(rolled.c2, rolled.a1, "2026-09-01 00:00", None)
    db.session.commit()
    rollup.refresh()
    with simulated_time(at("2027-03-01 12:00")):
        a1 = next(row for row in figures.maintenance(ALL) if row.team == rolled.a1.name)
    assert a1.after == {6: (1, 2), 12: (0, 0)}
