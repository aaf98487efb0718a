"""Staff accounts: site leads add staff at their own site, who set a password from an emailed link."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from tests.conftest import post
from tests.second_factor.helpers import key_on, totp

NEW_PASSWORD = "lanterns over the quiet harbour"
LINK = re.compile(r"https?://[^\s]+/password/reset/([A-Za-z0-9_-]+)")


def staff_form(site_id: int, **changes) -> dict:
    data = {
        "full_name": "Dr Ada Okafor",
        "email": "ada.okafor@nhs.example",
        "roles": [R.CLINICIAN, R.SUPPORTER],
        "site_id": str(site_id),
        "team_id": "0",
    }
    data.update(changes)
    return data


def users_with_email(email: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(User.id)).where(User.email == email))


def field_error(html: str, field_id: str) -> str | None:
    match = re.search(
        rf'<span class="nhsuk-error-message" id="{field_id}-error">\s*'
        rf'<span class="nhsuk-u-visually-hidden">Error: </span>(.*?)\s*</span>',
        html,
        re.S,
    )
    return match.group(1).strip() if match else None


def test_site_lead_creates_a_staff_account_at_their_site(client, create_team, create_user, login, outbox):
    team = create_team()
    login(create_user(R.SITE_LEAD, site=team.site, no_team=True))

    response = post(
        client, "/staff/new", staff_form(team.site_id, team_id=str(team.id)), token_from="/staff/new"
    )

    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ada.okafor@nhs.example"))
    assert user is not None
    assert user.roles == {R.CLINICIAN, R.SUPPORTER}
    assert user.site_id == team.site_id
    assert user.team_id == team.id
    assert user.full_name == "Dr Ada Okafor"
    assert user.password_hash is None
    assert [mail.to for mail in outbox] == ["ada.okafor@nhs.example"]
    assert LINK.search(outbox[0].body)


def test_new_staff_member_sets_a_password_from_the_email_and_signs_in(
    app, client, create_user, login, outbox
):
    lead = create_user(R.SITE_LEAD)
    login(lead)
    assert post(client, "/staff/new", staff_form(lead.site_id), token_from="/staff/new").status_code == 302
    token = LINK.search(outbox[-1].body).group(1)
    newcomer = app.test_client()
    link = f"/password/reset/{token}"

    page = newcomer.get(link)
    assert page.status_code == 200
    assert "Set your password" in page.get_data(as_text=True)
    response = post(newcomer, link, {"password": NEW_PASSWORD}, token_from=link)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sign-in")
    assert newcomer.get(link).status_code == 410
    signed_in = post(
        newcomer,
        "/sign-in",
        {"email": "ada.okafor@nhs.example", "password": NEW_PASSWORD},
        token_from="/sign-in",
    )
    assert signed_in.status_code == 302
    # Their first sign-in sets up the second factor their roles need, before any other page.
    home = newcomer.get("/")
    assert home.headers["Location"] == "/second-factor/set-up?next=/"
    key = key_on(newcomer.get(home.headers["Location"]).get_data(as_text=True))
    assert (
        post(newcomer, home.headers["Location"], {"code": totp(key)}, token_from="/crisis").status_code == 200
    )
    assert "Signed in as Dr Ada Okafor" in newcomer.get("/").get_data(as_text=True)


def test_site_lead_is_not_offered_admin_or_researcher(client, create_user, login):
    login(create_user(R.SITE_LEAD))

    html = client.get("/staff/new").get_data(as_text=True)

    assert 'value="clinician"' in html
    assert 'value="site_lead"' in html
    assert 'value="admin"' not in html
    assert 'value="researcher"' not in html


def test_site_lead_cannot_grant_admin_or_researcher(client, create_user, login, outbox):
    lead = create_user(R.SITE_LEAD)
    login(lead)

    for role in (R.ADMIN, R.RESEARCHER):
        email = f"{role}@nhs.example"
        response = post(
            client, "/staff/new", staff_form(lead.site_id, email=email, roles=[R.CLINICIAN, role])
        )
        assert response.status_code == 400, role
        assert field_error(response.get_data(as_text=True), "roles"), role
        assert users_with_email(email) == 0, role
    assert outbox == []


def test_admin_may_grant_any_staff_role(client, create_site, create_user, login):
    site = create_site()
    login(create_user(R.ADMIN))

    response = post(
        client, "/staff/new", staff_form(site.id, roles=[R.RESEARCHER, R.ADMIN]), token_from="/staff/new"
    )

    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ada.okafor@nhs.example"))
    assert user.roles == {R.RESEARCHER, R.ADMIN}


def test_site_lead_cannot_create_staff_at_another_site(client, create_site, create_user, login, outbox):
    other = create_site("Southmoor NHS Trust")
    login(create_user(R.SITE_LEAD))

    assert "Southmoor NHS Trust" not in client.get("/staff/new").get_data(as_text=True)
    response = post(client, "/staff/new", staff_form(other.id))

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "site_id")
    assert users_with_email("ada.okafor@nhs.example") == 0
    assert outbox == []


def test_site_lead_cannot_put_staff_in_another_sites_team(
    client, create_site, create_team, create_user, login
):
    lead = create_user(R.SITE_LEAD)
    other_team = create_team(create_site())
    login(lead)

    response = post(
        client, "/staff/new", staff_form(lead.site_id, team_id=str(other_team.id)), token_from="/staff/new"
    )

    assert response.status_code == 400
    assert users_with_email("ada.okafor@nhs.example") == 0


def test_admin_creates_staff_at_any_site(client, create_site, create_team, create_user, login, outbox):
    create_site()
    team = create_team(create_site())
    login(create_user(R.ADMIN))

    response = post(
        client, "/staff/new", staff_form(team.site_id, team_id=str(team.id)), token_from="/staff/new"
    )

    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ada.okafor@nhs.example"))
    assert user.site_id == team.site_id
    assert user.team_id == team.id
    assert len(outbox) == 1


def test_admin_cannot_put_staff_in_a_team_at_a_different_site(
    client, create_site, create_team, create_user, login
):
    site = create_site()
    other_team = create_team(create_site())
    login(create_user(R.ADMIN))

    response = post(
        client, "/staff/new", staff_form(site.id, team_id=str(other_team.id)), token_from="/staff/new"
    )

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), "team_id") == "Choose a team at the site you chose"
    assert users_with_email("ada.okafor@nhs.example") == 0


def test_duplicate_email_is_refused_next_to_the_field(client, create_user, login, outbox):
    lead = create_user(R.SITE_LEAD)
    existing = create_user(R.CLINICIAN, email="taken@nhs.example")
    login(lead)

    response = post(
        client, "/staff/new", staff_form(lead.site_id, email="Taken@NHS.example"), token_from="/staff/new"
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "email") == "There is already an account with this email address"
    assert 'value="Dr Ada Okafor"' in html
    assert users_with_email(existing.email) == 1
    assert outbox == []


def test_clinician_is_refused_the_staff_pages(client, create_user, login):
    login(create_user(R.CLINICIAN))

    assert client.get("/staff").status_code == 403
    assert client.get("/staff/new").status_code == 403
    response = post(client, "/staff/new", staff_form(1))
    assert response.status_code == 403
    assert users_with_email("ada.okafor@nhs.example") == 0


def test_staff_list_shows_only_the_site_leads_own_site(client, create_site, create_team, create_user, login):
    own, other = create_site(), create_site()
    colleague = create_user(R.CLINICIAN, team=create_team(own))
    stranger = create_user(R.CLINICIAN, team=create_team(other))
    relative = create_user(R.RELATIVE, team=colleague.team)
    login(create_user(R.SITE_LEAD, site=own, no_team=True))

    response = client.get("/staff")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(rf"{re.escape(colleague.full_name)}\b", html)
    assert not re.search(rf"{re.escape(stranger.full_name)}\b", html)
    assert not re.search(rf"{re.escape(relative.forum_name)}\b", html)
