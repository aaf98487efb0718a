"""Teams and caseloads: who may see and change them, what is saved, and how bad input is shown."""

from __future__ import annotations

import re

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Site, Team
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

WEEK = {f"{edge}_{day}": "" for day in range(7) for edge in ("opens", "closes")}


def team_form(team: Team, **changes: str) -> dict:
    """The edit form as a browser would send it, with the team's current values."""
    data = dict(WEEK)
    data.update(
        name=team.name,
        caseload=str(team.caseload) if team.caseload is not None else "",
        crisis_phone=team.crisis_phone,
        crisis_phone_label=team.crisis_phone_label,
    )
    for slot in team.hours:
        data[f"opens_{slot.weekday}"] = slot.opens.strftime("%H:%M")
        data[f"closes_{slot.weekday}"] = slot.closes.strftime("%H:%M")
    data.update(changes)
    return data


def edit_path(team: Team) -> str:
    return f"/organisations/teams/{team.id}/edit"


def field_error(html: str, field_id: str) -> str | None:
    """The error message shown next to one field, or None."""
    match = re.search(
        rf'<span class="nhsuk-error-message" id="{field_id}-error">\s*'
        rf'<span class="nhsuk-u-visually-hidden">Error: </span>(.*?)\s*</span>',
        html,
        re.S,
    )
    return match.group(1).strip() if match else None


def field_value(html: str, field_id: str) -> str | None:
    match = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*\bvalue="([^"]*)"', html)
    return match.group(1) if match else None


def test_site_lead_lists_the_teams_at_their_site_only(client, create_site, create_team, create_user, login):
    own, other = create_site("Northshire NHS Trust"), create_site("Southmoor NHS Trust")
    mine, theirs = create_team(own), create_team(other)
    login(create_user(R.SITE_LEAD, site=own, no_team=True))

    response = client.get("/organisations/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert mine.name in html
    assert edit_path(mine) in html
    assert not re.search(rf"{re.escape(theirs.name)}\b", html)
    assert "Southmoor NHS Trust" not in html


def test_site_lead_saves_caseload_hours_and_crisis_phone(client, create_team, create_user, login):
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site, no_team=True)
    login(lead)
    data = team_form(
        team,
        caseload="137",
        crisis_phone="0300 123 9876",
        crisis_phone_label="Northshire crisis line",
        opens_0="08:30",
        closes_0="18:00",
        opens_5="10:00",
        closes_5="14:00",
        opens_4="",
        closes_4="",
    )

    response = post(client, edit_path(team), data, token_from=edit_path(team))

    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    saved = db.session.get(Team, team.id)
    assert saved.caseload == 137
    assert saved.caseload_set_by_id == lead.id
    assert saved.caseload_set_at is not None
    assert saved.crisis_phone == "0300 123 9876"
    assert saved.crisis_phone_label == "Northshire crisis line"
    hours = {
        slot.weekday: (slot.opens.strftime("%H:%M"), slot.closes.strftime("%H:%M")) for slot in saved.hours
    }
    assert hours == {
        0: ("08:30", "18:00"),
        1: ("09:00", "17:00"),
        2: ("09:00", "17:00"),
        3: ("09:00", "17:00"),
        5: ("10:00", "14:00"),
    }


def test_saved_crisis_phone_is_shown_to_the_teams_relatives(app, create_team, create_user, login):
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site, no_team=True)
    relative = create_user(R.RELATIVE, team=team)
    lead_client = login(lead, the_client=app.test_client())
    response = post(
        lead_client,
        edit_path(team),
        team_form(team, crisis_phone="0800 246 8100", crisis_phone_label="Riverside crisis team"),
        token_from=edit_path(team),
    )
    assert response.status_code == 302

    relative_client = login(relative, the_client=app.test_client())
    html = relative_client.get("/crisis").get_data(as_text=True)

    assert "0800 246 8100" in html
    assert "Riverside crisis team" in html
    assert 'href="tel:08002468100"' in html


def test_unchanged_caseload_keeps_who_set_it(client, create_team, create_user, login):
    team = create_team()
    login(create_user(R.SITE_LEAD, site=team.site, no_team=True))

    response = post(
        client, edit_path(team), team_form(team, crisis_phone="0300 000 1111"), token_from=edit_path(team)
    )

    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Team, team.id)
    assert saved.crisis_phone == "0300 000 1111"
    assert saved.caseload == 100
    assert saved.caseload_set_by_id is None
    assert saved.caseload_set_at is None


def test_site_lead_cannot_edit_another_sites_team(client, create_site, create_team, create_user, login):
    other_team = create_team(create_site())
    login(create_user(R.SITE_LEAD, site=create_site(), no_team=True))

    assert client.get(edit_path(other_team)).status_code == 404
    response = post(client, edit_path(other_team), team_form(other_team, caseload="1", name="Taken over"))

    assert response.status_code == 404
    db.session.expire_all()
    unchanged = db.session.get(Team, other_team.id)
    assert unchanged.caseload == 100
    assert unchanged.name == other_team.name


def test_site_lead_cannot_add_a_team_to_another_site(client, create_site, create_user, login):
    other = create_site()
    login(create_user(R.SITE_LEAD, site=create_site(), no_team=True))
    path = f"/organisations/sites/{other.id}/teams/new"

    assert client.get(path).status_code == 404
    response = post(client, path, dict(WEEK, name="Intruder team", caseload="10"))

    assert response.status_code == 404
    assert db.session.scalar(select(Team).where(Team.name == "Intruder team")) is None


def test_site_lead_adds_a_team_to_their_own_site(client, create_site, create_user, login):
    site = create_site()
    lead = create_user(R.SITE_LEAD, site=site, no_team=True)
    login(lead)
    path = f"/organisations/sites/{site.id}/teams/new"

    response = post(
        client,
        path,
        dict(WEEK, name="Harbour EIP", caseload="64", opens_0="09:00", closes_0="17:00"),
        token_from=path,
    )

    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    team = db.session.scalar(select(Team).where(Team.name == "Harbour EIP"))
    assert team is not None
    assert team.site_id == site.id
    assert team.caseload == 64
    assert team.caseload_set_by_id == lead.id
    assert [slot.weekday for slot in team.hours] == [0]


def test_clinician_and_relative_are_refused_the_teams_page(app, create_user, login):
    for role in (R.CLINICIAN, R.RELATIVE):
        signed_in = login(create_user(role), the_client=app.test_client())
        assert signed_in.get("/organisations/").status_code == 403, role


def test_clinician_cannot_edit_their_own_team(client, create_user, login):
    clinician = create_user(R.CLINICIAN)
    login(clinician)

    assert client.get(edit_path(clinician.team)).status_code == 404


def test_closing_before_opening_is_refused_next_to_the_field(client, create_team, create_user, login):
    team = create_team()
    login(create_user(R.SITE_LEAD, site=team.site, no_team=True))

    response = post(
        client,
        edit_path(team),
        team_form(team, opens_0="17:00", closes_0="09:00"),
        token_from=edit_path(team),
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "closes_0") == "The Monday closing time must be after the opening time"
    assert field_value(html, "opens_0") == "17:00"
    assert field_value(html, "closes_0") == "09:00"
    db.session.expire_all()
    assert db.session.get(Team, team.id).hours[0].opens.strftime("%H:%M") == "09:00"


def test_impossible_time_is_refused_and_kept_in_the_form(client, create_team, create_user, login):
    team = create_team()
    login(create_user(R.SITE_LEAD, site=team.site, no_team=True))

    response = post(
        client, edit_path(team), team_form(team, opens_2="25:00", caseload="250"), token_from=edit_path(team)
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "opens_2") == "Enter the Wednesday opening time like 09:00, or leave both blank"
    assert field_value(html, "opens_2") == "25:00"
    assert field_value(html, "caseload") == "250"
    db.session.expire_all()
    assert db.session.get(Team, team.id).caseload == 100


def test_words_for_a_phone_number_are_refused_and_kept_in_the_form(client, create_team, create_user, login):
    team = create_team()
    login(create_user(R.SITE_LEAD, site=team.site, no_team=True))

    response = post(
        client, edit_path(team), team_form(team, crisis_phone="call me"), token_from=edit_path(team)
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "crisis_phone") == "Enter a telephone number, like 0300 123 4567"
    assert field_value(html, "crisis_phone") == "call me"
    assert 'href="#crisis_phone"' in html
    db.session.expire_all()
    assert db.session.get(Team, team.id).crisis_phone == "0300 555 0000"


def test_duplicate_team_name_is_refused_with_a_message(client, create_site, create_team, create_user, login):
    site = create_site()
    first, second = create_team(site), create_team(site)
    login(create_user(R.SITE_LEAD, site=site, no_team=True))

    response = post(
        client, edit_path(second), team_form(second, name=first.name), token_from=edit_path(second)
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "name") == "This trust already has a team with this name"
    assert field_value(html, "name") == first.name
    db.session.expire_all()
    assert db.session.get(Team, second.id).name == second.name


def test_duplicate_name_is_refused_for_a_new_team_too(client, create_team, create_user, login):
    team = create_team()
    login(create_user(R.SITE_LEAD, site=team.site, no_team=True))
    path = f"/organisations/sites/{team.site_id}/teams/new"

    response = post(client, path, dict(WEEK, name=team.name, caseload="5"), token_from=path)

    assert response.status_code == 400
    assert (
        field_error(response.get_data(as_text=True), "name") == "This trust already has a team with this name"
    )
    assert len(db.session.scalars(select(Team).where(Team.site_id == team.site_id)).all()) == 1


def test_admin_adds_a_site(client, create_user, login):
    login(create_user(R.ADMIN))

    response = post(
        client,
        "/organisations/sites/new",
        {"name": "Westshire NHS Trust", "code": "westshire"},
        token_from="/organisations/sites/new",
    )

    assert response.status_code == 302
    db.session.expire_all()
    site = db.session.scalar(select(Site).where(Site.code == "westshire"))
    assert site is not None
    assert site.name == "Westshire NHS Trust"


def test_site_lead_cannot_add_a_site(client, create_user, login):
    login(create_user(R.SITE_LEAD))

    assert client.get("/organisations/sites/new").status_code == 403
    response = post(client, "/organisations/sites/new", {"name": "Rogue Trust", "code": "rogue"})

    assert response.status_code == 403
    assert db.session.scalar(select(Site).where(Site.code == "rogue")) is None


def test_caseload_change_records_a_usage_event(client, create_team, create_user, login):
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site, no_team=True)
    login(lead)

    response = post(client, edit_path(team), team_form(team, caseload="120"), token_from=edit_path(team))

    assert response.status_code == 302
    db.session.expire_all()
    events = db.session.scalars(
        select(UsageEvent).where(UsageEvent.name == "organisations.caseload.updated")
    ).all()
    assert len(events) == 1
    assert events[0].object_type == "team"
    assert events[0].object_id == str(team.id)
    assert events[0].user_id == lead.id
    assert events[0].site_id == team.site_id
