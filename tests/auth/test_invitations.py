"""Invitations: who may send them, what the relative receives, and who may see them."""

import re

import pytest
from sqlalchemy import select

from react_toolkit.auth import services
from react_toolkit.auth.models import Invitation
from react_toolkit.extensions import db
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

pytestmark = pytest.mark.dates


def invite(client, **data):
    return post(client, "/invitations/new", data, token_from="/invitations/new")


def test_clinician_invites_by_code_and_sees_a_printable_code(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    response = invite(client, method="code", team_id=clinician.team_id)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    code = re.search(r'class="react-code"[^>]*>([A-Z0-9]{4}-[A-Z0-9]{4})<', page).group(1)
    invitation = db.session.scalar(select(Invitation))
    assert services.format_code(invitation.code) == code
    assert invitation.method == "code" and invitation.email is None
    event = db.session.scalar(select(UsageEvent).where(UsageEvent.name == "auth.invitation.sent"))
    assert event.user_id == clinician.id and event.object_id == str(invitation.id)
    assert event.team_id == clinician.team_id


def test_email_invitation_sends_a_link_and_the_code(client, create_user, login, outbox):
    supporter = create_user("supporter")
    login(supporter)
    response = invite(client, method="email", email="Family@Example.org", team_id=supporter.team_id)
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.email == "family@example.org"
    assert len(outbox) == 1 and outbox[0].to == "family@example.org"
    assert f"/register/{invitation.code}" in outbox[0].body
    assert services.format_code(invitation.code) in outbox[0].body
    assert "116 123" in outbox[0].body


def test_email_method_needs_an_address(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    response = invite(client, method="email", email="", team_id=clinician.team_id)
    assert response.status_code == 400
    assert "Enter their email address, or choose to give them a code" in response.get_data(as_text=True)


def test_relatives_moderators_and_researchers_cannot_invite(client, create_user, login, app):
    for role in ("relative", "moderator", "researcher"):
        person = create_user(role)
        the_client = app.test_client()
        login(person, the_client=the_client)
        assert the_client.get("/invitations/new").status_code == 403, role
        response = post(the_client, "/invitations/new", {"method": "code", "team_id": 1})
        assert response.status_code == 403, role


def test_cannot_invite_to_another_sites_team(client, create_user, create_team, login):
    clinician = create_user("clinician", no_team=True, site=None)
    other_team = create_team()
    home_team = create_team()
    clinician.site_id = home_team.site_id
    db.session.commit()
    login(clinician)
    response = invite(client, method="code", team_id=other_team.id)
    assert response.status_code == 400
    assert db.session.scalar(select(Invitation)) is None


def test_another_clinician_cannot_see_or_withdraw_my_invitation(app, create_user, login):
    mine = create_user("clinician")
    colleague = create_user("clinician", team=mine.team)
    invitation = services.create_invitation(mine, mine.team, "code")
    other = app.test_client()
    login(colleague, the_client=other)
    assert other.get(f"/invitations/{invitation.id}").status_code == 404
    assert post(other, f"/invitations/{invitation.id}/withdraw").status_code == 404
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None
    assert services.format_code(invitation.code) not in other.get("/invitations").get_data(as_text=True)


def test_site_lead_sees_own_site_invitations_only(app, create_user, create_team, login):
    clinician = create_user("clinician")
    elsewhere = create_user("clinician")
    ours = services.create_invitation(clinician, clinician.team, "code")
    theirs = services.create_invitation(elsewhere, elsewhere.team, "code")
    lead = create_user("site_lead", site=clinician.team.site, no_team=True)
    the_client = app.test_client()
    login(lead, the_client=the_client)
    assert the_client.get(f"/invitations/{ours.id}").status_code == 200
    assert the_client.get(f"/invitations/{theirs.id}").status_code == 404


def test_withdrawing_stops_the_code(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    invitation = services.create_invitation(clinician, clinician.team, "code")
    response = post(
        client, f"/invitations/{invitation.id}/withdraw", token_from=f"/invitations/{invitation.id}"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is not None
    assert "withdrawn" in client.get(f"/invitations/{invitation.id}").get_data(as_text=True)
