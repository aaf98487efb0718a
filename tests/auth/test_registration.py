"""Registration through an invitation: codes that are wrong, used, expired or withdrawn are refused."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from react_toolkit.auth import services
from react_toolkit.auth.models import Invitation, User
from react_toolkit.extensions import db
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

GOOD = {
    "email": "newcomer@example.org",
    "forum_name": "Steady Sister",
    "password": "tea and toast at dawn",
    "terms": "y",
}


@pytest.fixture
def invitation(app, create_user):
    clinician = create_user("clinician")
    invitation = services.create_invitation(clinician, clinician.team, "code")
    return invitation


def register(client, **changes):
    data = dict(GOOD)
    data.update(changes)
    return post(client, "/register", data, token_from="/register")


def test_valid_code_creates_a_relative_in_the_inviting_team(client, invitation):
    response = register(client, code=services.format_code(invitation.code).lower())
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == GOOD["email"]))
    assert user.roles == {"relative"}
    assert user.team_id == invitation.team_id and user.site_id == invitation.site_id
    assert user.terms_accepted_at is not None
    assert user.research_consent is False and user.research_consent_at is None
    accepted = db.session.get(Invitation, invitation.id)
    assert accepted.accepted_by_id == user.id
    names = set(db.session.scalars(select(UsageEvent.name).where(UsageEvent.user_id == user.id)))
    assert {"auth.invitation.accepted", "auth.registration.completed", "auth.login.succeeded"} <= names
    assert "Steady Sister" in client.get("/").get_data(as_text=True)


def test_research_consent_is_separate_and_recorded(client, invitation):
    register(client, code=invitation.code, research_consent="y")
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == GOOD["email"]))
    assert user.research_consent is True and user.research_consent_at is not None


def test_wrong_code_refused_and_typed_values_kept(client, invitation):
    response = register(client, code="ZZZZ-ZZZZ")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "We cannot find this code" in page
    assert 'value="newcomer@example.org"' in page and 'value="Steady Sister"' in page
    assert db.session.scalar(select(User).where(User.email == GOOD["email"])) is None


def test_used_code_refused(client, invitation, app):
    assert register(client, code=invitation.code).status_code == 302
    other = app.test_client()
    response = register(other, code=invitation.code, email="second@example.org", forum_name="Another One")
    assert response.status_code == 400
    assert "already been used" in response.get_data(as_text=True)


def test_expired_code_refused(client, invitation):
    invitation.expires_at = now() - timedelta(minutes=1)
    db.session.commit()
    response = register(client, code=invitation.code)
    assert response.status_code == 400
    assert "This code has expired. Codes last 14 days" in response.get_data(as_text=True)


def test_code_lasts_fourteen_days(invitation):
    lifetime = invitation.expires_at - invitation.created_at
    assert timedelta(days=14) - timedelta(seconds=5) < lifetime <= timedelta(days=14)


def test_withdrawn_code_refused(client, invitation, create_user):
    services.revoke_invitation(invitation.invited_by, invitation)
    response = register(client, code=invitation.code)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_codes_avoid_ambiguous_characters(invitation, create_user):
    clinician = create_user("clinician")
    codes = [services.create_invitation(clinician, clinician.team, "code").code for _ in range(30)]
    joined = "".join(codes)
    assert len(set(codes)) == 30
    assert all(len(code) == 8 for code in codes)
    assert not set(joined) & set("01OIL")


def test_forum_name_with_an_email_refused_with_message_by_the_field(client, invitation):
    response = register(client, code=invitation.code, forum_name="me@example.org")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="forum_name-error"' in page
    assert "must not contain an email address" in page
    assert 'value="me@example.org"' in page  # what was typed is kept
    assert 'href="#forum_name"' in page  # error summary links to the field


@pytest.mark.parametrize("name", ["Former member", "former-MEMBER", "Moderator", "REACT team", "admin"])
def test_names_the_service_uses_are_refused(client, invitation, name):
    """Erased accounts' posts show as "Former member"; nobody may pass for them, or for staff."""
    response = register(client, code=invitation.code, forum_name=name)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="forum_name-error"' in page
    assert "kept for the service&#39;s own use" in page or "kept for the service's own use" in page
    assert db.session.scalar(select(User).where(User.email == GOOD["email"])) is None


def test_forum_name_must_be_unique_ignoring_case_and_spaces(client, invitation, create_user, app):
    clinician = create_user("clinician")
    second = services.create_invitation(clinician, clinician.team, "code")
    assert register(client, code=invitation.code).status_code == 302
    other = app.test_client()
    response = register(other, code=second.code, email="two@example.org", forum_name="steady  SISTER")
    assert response.status_code == 400
    assert "already using this forum name" in response.get_data(as_text=True)


def test_common_password_refused(client, invitation):
    response = register(client, code=invitation.code, password="password123")
    assert response.status_code == 400
    assert "too common" in response.get_data(as_text=True)


def test_terms_must_be_accepted(client, invitation):
    response = register(client, code=invitation.code, terms="")
    assert response.status_code == 400
    assert "agree to the terms of use" in response.get_data(as_text=True)


def test_existing_email_refused(client, invitation, create_user):
    create_user("relative", email=GOOD["email"])
    response = register(client, code=invitation.code)
    assert response.status_code == 400
    assert "already an account with this email address" in response.get_data(as_text=True)


def test_code_required_unless_self_registration_is_on(client, invitation, make_app):
    response = register(client, code="")
    assert response.status_code == 400
    assert "Enter the code from your invitation" in response.get_data(as_text=True)

    open_app = make_app(ALLOW_SELF_REGISTRATION=True)
    open_client = open_app.test_client()
    response = register(open_client, code="", email="selfmade@example.org", forum_name="Self Made")
    assert response.status_code == 302
    with open_app.app_context():
        user = db.session.scalar(select(User).where(User.email == "selfmade@example.org"))
        assert user.team_id is None and user.site_id is None  # the national scope


def test_email_link_prefills_the_code(client, invitation):
    page = client.get(f"/register/{invitation.code}").get_data(as_text=True)
    assert services.format_code(invitation.code) in page


def test_email_link_fills_in_the_address_the_invitation_was_sent_to(client, create_user):
    clinician = create_user("clinician")
    invitation = services.create_invitation(clinician, clinician.team, "email", "invited.person@example.org")
    page = client.get(f"/register/{invitation.code}").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="email"[^>]*value="invited.person@example.org"', page)


def test_no_address_is_filled_in_for_a_printed_code_or_one_that_has_expired(client, create_user, clock):
    clinician = create_user("clinician")
    printed = services.create_invitation(clinician, clinician.team, "code")
    page = client.get(f"/register/{printed.code}").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="email"[^>]*value=""', page)
    emailed = services.create_invitation(clinician, clinician.team, "email", "late.person@example.org")
    clock.advance(timedelta(days=30))
    assert "late.person@example.org" not in client.get(f"/register/{emailed.code}").get_data(as_text=True)
