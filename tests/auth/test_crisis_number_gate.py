"""A team sets its local crisis number before it can invite; with no local number the crisis page gives the national route."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.auth import services
from react_toolkit.auth.models import Invitation
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from tests.conftest import post

NATIONAL_ROUTE = "Call NHS 111 and choose the mental health option."


def test_a_team_without_a_crisis_number_cannot_invite_and_is_told_who_can_set_it(
    client, create_team, create_user, login
):
    team = create_team(crisis_phone="")
    lead = create_user(R.SITE_LEAD, site=team.site)
    clinician = create_user(R.CLINICIAN, team=team)
    login(clinician)
    page = client.get("/invitations/new").get_data(as_text=True)
    assert "A local crisis number is needed first" in page
    assert f"{team.name} has no local crisis number yet" in page and lead.full_name in page
    response = post(
        client, "/invitations/new", {"method": "code", "team_id": team.id}, token_from="/invitations/new"
    )
    assert response.status_code == 409
    assert db.session.scalar(select(Invitation.id)) is None
    with pytest.raises(Refusal):
        services.create_invitation(clinician, team, "code")
    # Once the number is set, the same clinician can invite.
    team.crisis_phone = "0300 555 0101"
    db.session.commit()
    response = post(
        client, "/invitations/new", {"method": "code", "team_id": team.id}, token_from="/invitations/new"
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Invitation.team_id)) == team.id


def test_the_crisis_page_shows_the_national_route_when_no_local_number_applies(
    app, client, create_team, create_user, login
):
    signed_out = client.get("/crisis").get_data(as_text=True)
    assert NATIONAL_ROUTE in signed_out and 'href="tel:111"' in signed_out
    assert "When you sign in, we show your own team's crisis number here." in signed_out
    without = create_user(R.RELATIVE, team=create_team(crisis_phone=""))
    page = login(without, the_client=app.test_client()).get("/crisis").get_data(as_text=True)
    assert NATIONAL_ROUTE in page and "When you sign in" not in page
    with_number = create_user(R.RELATIVE, team=create_team(crisis_phone="0300 555 0202"))
    page = login(with_number, the_client=app.test_client()).get("/crisis").get_data(as_text=True)
    assert "0300 555 0202" in page and NATIONAL_ROUTE not in page
