"""Each person chooses how notices reach them; unsubscribe links work once, for one purpose; and
reminders go once, at the right time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.extensions import db
from react_toolkit.notifications import kinds as K
from react_toolkit.notifications import reminders, services, worker
from react_toolkit.notifications.models import NotificationChoice
from react_toolkit.timeutil import LONDON, now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

UNSUBSCRIBE = re.compile(r"/notifications/unsubscribe/(\S+)")


def _reply_notice(person):
    notice = services.enqueue("inbox.reply", user=person, subject="You have a new message", body="Link: x")
    db.session.commit()
    return notice


def test_a_relative_chooses_text_for_replies_and_gets_fixed_words(
    app, client, create_user, login, texts, outbox
):
    relative = create_user()
    login(relative)
    page = client.get("/notifications/settings")
    assert page.status_code == 200 and "A reply from your team" in page.get_data(as_text=True)
    assert "Urgent message overdue" not in page.get_data(as_text=True)  # a staff alert

    # Text without a number is refused next to the field, keeping the choices typed.
    refused = post(
        client,
        "/notifications/settings",
        {
            "kind_inbox_reply": "sms",
            "kind_forum_reply": "none",
            "kind_outcomes_reminder": "email",
            "kind_return_nudge": "none",
            "mobile": "",
            "quiet_from": "",
            "quiet_to": "",
        },
    )
    assert refused.status_code == 400
    assert "Enter a mobile phone number to get texts" in refused.get_data(as_text=True)
    bad = post(
        client,
        "/notifications/settings",
        {
            "kind_inbox_reply": "sms",
            "kind_forum_reply": "none",
            "kind_outcomes_reminder": "email",
            "kind_return_nudge": "none",
            "mobile": "call me",
            "quiet_from": "",
            "quiet_to": "",
        },
    )
    assert bad.status_code == 400 and 'value="call me"' in bad.get_data(as_text=True)

    saved = post(
        client,
        "/notifications/settings",
        {
            "kind_inbox_reply": "sms",
            "kind_forum_reply": "none",
            "kind_outcomes_reminder": "email",
            "kind_return_nudge": "none",
            "mobile": "07700 900 982",
            "quiet_from": "",
            "quiet_to": "",
        },
    )
    assert saved.status_code == 302
    notice = _reply_notice(relative)
    assert notice.channel == K.SMS and notice.recipient == "07700900982"
    assert [t.body for t in texts] == [K.SMS_REPLY] and outbox == []
    assert services.enqueue("forum.reply", user=relative, subject="s", body="b") is None


def test_a_supporter_cannot_turn_off_the_overdue_alert_only_redirect_it(app, client, create_user, login):
    supporter = create_user(R.SUPPORTER)
    login(supporter)
    data = {
        "kind_inbox_team_notice": "none",
        "kind_inbox_urgent": "email",
        "kind_inbox_overdue": "none",
        "kind_forum_digest": "email",
        "kind_dashboard_staff_reminder": "email",
        "mobile": "",
        "quiet_from": "",
        "quiet_to": "",
    }
    refused = post(client, "/notifications/settings", data)
    assert refused.status_code == 400
    assert "cannot be turned off" in refused.get_data(
        as_text=True
    ) or "not to turn it off" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(NotificationChoice)) == 0
    data.update(kind_inbox_overdue="sms", mobile="+447700900982")
    assert post(client, "/notifications/settings", data).status_code == 302
    overdue = services.enqueue("inbox.overdue", user=supporter, subject="Overdue", body="Link")
    assert overdue.channel == K.SMS and overdue.body == K.SMS_URGENT
    assert services.enqueue("inbox.team_notice", user=supporter, subject="s", body="b") is None
    # Even a row written another way cannot silence it.
    db.session.get(NotificationChoice, (supporter.id, "inbox.overdue")).channel = K.NONE
    assert (
        services.enqueue("inbox.overdue", user=supporter, subject="Overdue", body="Link").channel == K.EMAIL
    )


def test_quiet_hours_hold_a_notice_until_they_end_but_not_an_urgent_alert(app, create_user, clock):
    relative = create_user()
    services.save_choices(relative, {}, "", 22, 7)
    clock.set(now().astimezone(LONDON).replace(hour=23, minute=30).astimezone(now().tzinfo))
    notice = _reply_notice(relative)
    assert notice.due_at.astimezone(LONDON).hour == 7 and notice.due_at > now()
    assert worker.deliver_due().sent == 0
    clock.set(notice.due_at + timedelta(seconds=1))
    assert worker.deliver_due().sent == 1

    supporter = create_user(R.SUPPORTER)
    services.save_choices(supporter, {}, "", 0, 23)
    urgent = services.enqueue("inbox.overdue", user=supporter, subject="Overdue", body="Link")
    assert urgent.due_at <= now()


def test_an_unsubscribe_link_works_once_without_signing_in_and_only_for_its_purpose(
    app, client, create_user, outbox
):
    relative = create_user()
    _reply_notice(relative)
    services.enqueue("account.password_reset", user=relative, subject="Reset", body="Reset link")
    db.session.commit()
    by_subject = {m.subject: m for m in outbox}
    assert "/notifications/unsubscribe/" not in by_subject["Reset"].body  # asked for, so no opt-out
    token = UNSUBSCRIBE.search(by_subject["You have a new message"].body).group(1)

    page = client.get(f"/notifications/unsubscribe/{token}")
    assert page.status_code == 200 and "Stop these emails" in page.get_data(as_text=True)
    assert (
        post(
            client,
            f"/notifications/unsubscribe/{token}",
            {},
            token_from=f"/notifications/unsubscribe/{token}",
        ).status_code
        == 200
    )
    assert services.channel_for(relative, "inbox.reply") == K.NONE
    assert services.channel_for(relative, "forum.reply") == K.EMAIL  # only its own purpose

    # Once only.
    assert client.get(f"/notifications/unsubscribe/{token}").status_code == 410
    services.save_choices(relative, {"inbox.reply": K.EMAIL}, "", None, None)
    assert post(client, f"/notifications/unsubscribe/{token}", {}, token_from="/sign-in").status_code == 410
    assert services.channel_for(relative, "inbox.reply") == K.EMAIL

    # A token signed for another purpose, or changed, or for a kind nobody may turn off, is not one.
    from itsdangerous import URLSafeSerializer

    other = URLSafeSerializer(app.config["SECRET_KEY"], salt="another.purpose").dumps(
        {"u": relative.id, "k": "inbox.reply", "n": "x"}
    )
    assert client.get(f"/notifications/unsubscribe/{other}").status_code == 404
    assert client.get(f"/notifications/unsubscribe/{token[:-2]}xx").status_code == 404
    safety = services.unsubscribe_token(relative.id, "inbox.overdue")
    assert client.get(f"/notifications/unsubscribe/{safety}").status_code == 404


@pytest.fixture
def invited(create_user, create_team):
    team = create_team()
    clinician = create_user(R.CLINICIAN, team=team)
    invitation = auth_services.create_invitation(clinician, team, "email", "family@example.org")
    return clinician, invitation


def test_an_invitation_reminder_goes_once_two_days_before_it_ends(app, invited, clock, outbox):
    _clinician, invitation = invited
    assert [m.to for m in outbox] == ["family@example.org"]  # the invitation itself
    outbox.clear()
    assert reminders.send_invitation_reminders() == 0  # 14 days left
    clock.set(invitation.expires_at - timedelta(days=2, minutes=1))
    assert reminders.send_invitation_reminders() == 0
    clock.advance(minutes=2)
    assert reminders.send_invitation_reminders() == 1
    assert reminders.send_invitation_reminders() == 0
    clock.advance(hours=12)
    assert reminders.send_invitation_reminders() == 0
    [mail] = outbox
    assert mail.to == "family@example.org" and f"/register/{invitation.code}" in mail.body
    events = db.session.scalars(
        select(UsageEvent).where(UsageEvent.name == "notifications.reminder.sent")
    ).all()
    assert len(events) == 1


def test_staff_can_turn_an_invitations_reminder_off(app, client, invited, login, create_user, clock, outbox):
    clinician, invitation = invited
    login(clinician)
    page = client.get(f"/invitations/{invitation.id}")
    assert "Do not send a reminder" in page.get_data(as_text=True)
    response = post(
        client,
        f"/notifications/invitations/{invitation.id}/reminder",
        {"reminder": "off"},
        token_from=f"/invitations/{invitation.id}",
    )
    assert response.status_code == 302
    stranger = login(create_user(R.CLINICIAN), the_client=app.test_client())
    assert (
        post(stranger, f"/notifications/invitations/{invitation.id}/reminder", {"reminder": "on"}).status_code
        == 404
    )
    outbox.clear()
    clock.set(invitation.expires_at - timedelta(days=1))
    assert reminders.send_invitation_reminders() == 0 and outbox == []


def test_the_nudge_is_off_by_default_and_goes_at_most_once_a_month(app, create_user, clock, outbox):
    quiet, keen = create_user(), create_user()
    for person in (quiet, keen):
        person.last_login_at = now()
    services.choose_nudge(keen, True)
    db.session.commit()
    clock.advance(days=20)
    assert reminders.send_nudges() == 0
    clock.advance(days=1, minutes=1)
    assert reminders.send_nudges() == 1
    assert reminders.send_nudges() == 0
    assert [m.to for m in outbox] == [keen.email]
    clock.advance(days=29)
    assert reminders.send_nudges() == 0
    clock.advance(days=1, minutes=1)
    assert reminders.send_nudges() == 1
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(UsageEvent)
            .where(UsageEvent.name == "notifications.reminder.sent")
        )
        == 2
    )
