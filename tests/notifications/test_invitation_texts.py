"""A code sent by text: fixed words, the number kept only while the invitation waits, and the
return nudge offered when a relative signs up."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.auth.models import Invitation, User
from react_toolkit.extensions import db
from react_toolkit.notifications import reminders, services
from react_toolkit.notifications.models import InvitationReminder, Notice
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

NUMBER = "+447700900982"


def _invite(client, team, **fields):
    data = {"method": "code", "team_id": str(team.id), "mobile": "", "label": "", **fields}
    return post(client, "/invitations/new", data, token_from="/invitations/new")


def test_a_clinician_texts_the_code_and_the_text_says_nothing_else(
    app, client, create_user, login, texts, outbox
):
    clinician = create_user(R.CLINICIAN)
    login(clinician)

    response = _invite(client, clinician.team, mobile="07700 900 982", label="JS Tuesday")

    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    [text] = texts
    assert text.to == "07700900982"
    code = auth_services.format_code(invitation.code)
    assert text.body.startswith("REACT toolkit:") and code in text.body
    assert "JS Tuesday" not in text.body and clinician.team.name not in text.body
    assert list(outbox) == []  # a code invitation sends no email
    assert invitation.method == "code"  # counted with the codes on the dashboard
    # Nothing of the number reaches usage events; the sent notice keeps no words.
    for event in db.session.scalars(select(UsageEvent)):
        assert "07700" not in repr(event.__dict__)
    assert db.session.scalar(select(Notice.body).where(Notice.recipient == "07700900982")) == ""


def test_a_number_that_is_not_a_mobile_is_refused_next_to_the_field_and_kept(
    app, client, create_user, login, texts
):
    clinician = create_user(R.CLINICIAN)
    login(clinician)

    response = _invite(client, clinician.team, mobile="call me maybe")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter a mobile phone number" in page
    assert 'value="call me maybe"' in page
    assert db.session.scalar(select(Invitation)) is None and list(texts) == []


def test_the_reminder_goes_by_text_and_the_number_goes_when_the_code_is_used(
    app, client, create_user, clock, texts
):
    clinician = create_user(R.CLINICIAN)
    invitation = auth_services.create_invitation(clinician, clinician.team, "code", mobile=NUMBER)
    assert [t.to for t in texts] == [NUMBER]
    texts.clear()

    clock.set(invitation.expires_at - timedelta(days=1))
    assert reminders.send_invitation_reminders() == 1
    [reminder] = texts
    assert reminder.to == NUMBER and auth_services.format_code(invitation.code) in reminder.body

    data = {
        "code": invitation.code,
        "email": "texted@example.org",
        "forum_name": "Kind Cousin",
        "password": "tea and toast at dawn",
        "terms": "y",
    }
    assert post(client, "/register", data, token_from="/register").status_code == 302
    db.session.expire_all()
    assert db.session.get(InvitationReminder, invitation.id).mobile is None


def test_a_resent_code_goes_to_the_same_number_and_ended_invitations_forget_it(
    app, create_user, clock, texts
):
    clinician = create_user(R.CLINICIAN)
    first = auth_services.create_invitation(clinician, clinician.team, "code", mobile=NUMBER)
    again = auth_services.resend_invitation(clinician, first)
    assert [t.to for t in texts] == [NUMBER, NUMBER]
    assert auth_services.format_code(again.code) in texts[1].body

    assert reminders.forget_finished_mobiles() == 1  # the withdrawn first invitation
    assert reminders.invitation_mobile(first) is None and reminders.invitation_mobile(again) == NUMBER
    clock.set(again.expires_at + timedelta(minutes=1))
    assert reminders.forget_finished_mobiles() == 1
    assert reminders.invitation_mobile(again) is None


def test_the_return_nudge_is_offered_at_sign_up_and_off_unless_ticked(app, client, create_user):
    clinician = create_user(R.CLINICIAN)
    page = client.get("/register").get_data(as_text=True)
    assert 'name="return_nudge"' in page
    for email, ticked in (("keen@example.org", True), ("quiet@example.org", False)):
        invitation = auth_services.create_invitation(clinician, clinician.team, "code")
        data = {
            "code": invitation.code,
            "email": email,
            "forum_name": email.split("@")[0].title() + " Person",
            "password": "tea and toast at dawn",
            "terms": "y",
        }
        if ticked:
            data["return_nudge"] = "y"
        fresh = app.test_client()
        assert post(fresh, "/register", data, token_from="/register").status_code == 302
    keen = db.session.scalar(select(User).where(User.email == "keen@example.org"))
    quiet = db.session.scalar(select(User).where(User.email == "quiet@example.org"))
    assert services.channel_for(keen, "return.nudge") == "email"
    assert services.channel_for(quiet, "return.nudge") == "none"
