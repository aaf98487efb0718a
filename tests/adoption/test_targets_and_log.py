"""Team targets with progress against them, the team's reflection log, and both in the monthly report."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from react_toolkit.adoption import figures, services
from react_toolkit.adoption.models import ReflectionEntry, TeamTarget
from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.extensions import db
from tests.conftest import post


def test_a_site_lead_sets_targets_and_sees_progress(client, clock, create_user, create_team, login):
    team = create_team()  # caseload 100
    lead = create_user(R.SITE_LEAD, site=team.site)
    clinician = create_user(R.CLINICIAN, team=team)
    for _ in range(12):
        auth_services.create_invitation(clinician, team, "code")
    login(lead)
    page = f"/staff/adoption/teams/{team.id}"
    response = post(
        client, f"{page}/targets", {"offered_percent": "10", "registered_percent": "5"}, token_from=page
    )
    assert response.status_code == 302
    target = db.session.get(TeamTarget, team.id)
    assert (target.offered_percent, target.registered_percent, target.set_by_id) == (10, 5, lead.id)
    [progress] = figures.progress([team])
    assert progress.offered_percent == 12 and progress.met("offered") is True
    assert progress.registered_percent == 0 and progress.met("registered") is False
    html = client.get("/staff/adoption").get_data(as_text=True)
    assert "Progress against targets" in html and ">12%<" in html and "Reached" in html and "Not yet" in html


def test_bad_targets_are_explained_and_what_was_typed_is_kept(client, create_user, create_team, login):
    team = create_team()
    login(create_user(R.SITE_LEAD, site=team.site))
    page = f"/staff/adoption/teams/{team.id}"
    response = post(
        client, f"{page}/targets", {"offered_percent": "lots", "registered_percent": "150"}, token_from=page
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count("Enter a whole number from 0 to 100, or leave it empty.") >= 2
    assert 'value="lots"' in html and 'value="150"' in html
    higher = post(
        client, f"{page}/targets", {"offered_percent": "10", "registered_percent": "20"}, token_from=page
    )
    assert higher.status_code == 422
    assert "cannot be more than the share offered" in higher.get_data(as_text=True)
    assert db.session.get(TeamTarget, team.id) is None


def test_a_team_without_a_caseload_shows_no_share(app, create_user, create_team):
    team = create_team()
    team.caseload = None
    db.session.commit()
    services.save_targets(create_user(R.SITE_LEAD, site=team.site), team, 20, 10)
    [progress] = figures.progress([team])
    assert progress.offered_percent is None and progress.met("offered") is None


def test_the_team_writes_its_log_with_dates_and_bad_input_is_kept(
    client, clock, create_user, create_team, login
):
    clock.set(datetime(2026, 11, 18, 10, 30, tzinfo=UTC))
    team = create_team()
    supporter = create_user(R.SUPPORTER, team=team)
    login(supporter)
    path = f"/staff/teams/{team.id}/log"
    bad = post(
        client,
        f"{path}/notes",
        {"kind": "barrier", "noted_on": "2026-12-25", "text": "Caseloads are high."},
        token_from=path,
    )
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "The date cannot be in the future" in html and "Caseloads are high." in html
    wrong = post(client, f"{path}/notes", {"kind": "", "noted_on": "18/11/2026", "text": ""}, token_from=path)
    assert wrong.status_code == 422
    for message in (
        "Choose barrier, action or decision",
        "Enter the date like 2026-11-18",
        "Write what happened",
    ):
        assert message in wrong.get_data(as_text=True)
    good = post(
        client,
        f"{path}/notes",
        {"kind": "decision", "noted_on": "2026-11-10", "text": "Invite at every first review."},
        token_from=path,
    )
    assert good.status_code == 302
    entry = db.session.scalar(select(ReflectionEntry))
    assert (entry.team_id, entry.kind, entry.noted_on, entry.written_by_id) == (
        team.id,
        "decision",
        date(2026, 11, 10),
        supporter.id,
    )
    assert "Invite at every first review." in client.get(path).get_data(as_text=True)


def test_another_team_s_staff_cannot_read_or_write_its_log(client, create_user, create_team, login):
    team = create_team()
    services.add_log_entry(
        create_user(R.CLINICIAN, team=team), team, "barrier", date(2026, 11, 2), "Secret note."
    )
    login(create_user(R.CLINICIAN, team=create_team(team.site)))
    path = f"/staff/teams/{team.id}/log"
    assert client.get(path).status_code == 404
    response = post(
        client, f"{path}/notes", {"kind": "action", "noted_on": "2026-11-10", "text": "Mine."}, token_from="/"
    )
    assert response.status_code == 404
    assert db.session.scalar(select(ReflectionEntry.text).where(ReflectionEntry.text == "Mine.")) is None


def test_the_monthly_report_shows_targets_champions_and_the_month_s_log(
    client, clock, create_user, create_team, login
):
    clock.set(datetime(2026, 12, 3, 10, 0, tzinfo=UTC))
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site)
    clinician = create_user(R.CLINICIAN, team=team)
    services.save_targets(lead, team, 15, 5)
    services.add_champion(lead, team, clinician.id)
    services.add_log_entry(clinician, team, "barrier", date(2026, 11, 5), "No time in reviews.")
    services.add_log_entry(clinician, team, "action", date(2026, 10, 5), "An older note.")
    login(lead)
    html = client.get(f"/dashboard/teams/{team.id}/report?month=2026-11").get_data(as_text=True)
    assert (
        "Targets, champions and the team&#39;s log" in html or "Targets, champions and the team's log" in html
    )
    assert "No time in reviews." in html and "An older note." not in html
    assert f"Champions: {clinician.full_name}" in html
    assert 'id="report-targets"' in html and "15%" in html


def test_researchers_see_the_report_s_figures_but_not_the_team_s_log(client, create_user, create_team, login):
    team = create_team()
    services.add_log_entry(
        create_user(R.CLINICIAN, team=team), team, "barrier", date(2026, 11, 5), "Staff note."
    )
    login(create_user(R.RESEARCHER))
    html = client.get(f"/dashboard/teams/{team.id}/report?month=2026-11").get_data(as_text=True)
    assert 'id="report-targets"' in html
    assert "Staff note." not in html and 'id="report-log"' not in html
