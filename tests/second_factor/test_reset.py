"""An administrator resets a colleague's second factor: with a reason, in the audit log, with an email."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import UserSession
from react_toolkit.extensions import db
from react_toolkit.second_factor import services
from react_toolkit.second_factor.models import RecoveryCode, SecondFactor, SecondFactorReset
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.second_factor.helpers import set_up_at_sign_in, sign_in_with_password

REASON = "Lost her phone on the train; I called her back on the team's number to check."


@pytest.fixture
def colleague(app, create_user):
    user = create_user(R.SUPPORTER)
    client = app.test_client()
    set_up_at_sign_in(client, user)
    return user, client


def reset_page(user) -> str:
    return f"/admin/second-factor/{user.id}/reset"


def test_an_admin_resets_a_colleague_with_a_reason(app, create_user, login, client, colleague, outbox):
    person, their_browser = colleague
    admin = create_user(R.ADMIN)
    login(admin)
    overview = client.get("/admin/second-factor").get_data(as_text=True)
    assert reset_page(person) in overview and "Set up" in overview
    page = client.get(reset_page(person)).get_data(as_text=True)
    assert person.full_name in page and "will stop working" in page
    sent_before = len(outbox)

    answer = post(client, reset_page(person), {"reason": REASON})

    assert answer.status_code == 302 and answer.headers["Location"] == "/admin/second-factor"
    db.session.expire_all()
    assert db.session.get(SecondFactor, person.id) is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    [entry] = db.session.scalars(select(SecondFactorReset)).all()
    assert (entry.user_id, entry.reset_by_id, entry.reason) == (person.id, admin.id, REASON)
    # Signed out everywhere, told by email (without the reason), and set up again at the next sign-in.
    assert their_browser.get("/account").headers["Location"].startswith("/sign-in")
    reasons = db.session.scalars(select(UserSession.revoked_reason).where(UserSession.user_id == person.id))
    # Sessions that passed the second factor were ended then, for new tokens; the rest end now.
    assert set(reasons) - {"second_factor_passed"} == {"second_factor_reset"}
    [mail] = outbox[sent_before:]
    assert mail.to == person.email and "second factor was reset" in mail.subject
    assert "Lost her phone" not in mail.body and "/sign-in" in mail.body
    fresh = app.test_client()
    sign_in_with_password(fresh, person)
    assert fresh.get("/").headers["Location"].startswith("/second-factor/set-up")
    # The audit log shows it; the usage event names who, never why.
    log = client.get("/admin/second-factor").get_data(as_text=True)
    assert "Lost her phone on the train" in log
    event = db.session.scalar(select(UsageEvent).where(UsageEvent.name == "second_factor.account.reset"))
    # Who was reset is in the audit log only: a person is never an event's object id.
    assert (event.user_id, event.object_type, event.object_id) == (admin.id, "user", None)
    assert "phone" not in " ".join(str(getattr(event, c.key)) for c in UsageEvent.__table__.columns)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_the_reason_is_required_and_nothing_changes_without_it(
    create_user, login, client, colleague, outbox, reason
):
    person, their_browser = colleague
    login(create_user(R.ADMIN))
    sent_before = len(outbox)
    answer = post(client, reset_page(person), {"reason": reason})
    assert answer.status_code == 400
    text = answer.get_data(as_text=True)
    assert "Say why you are resetting their second factor" in text or "2,000 characters" in text
    assert services.is_on(person)
    assert db.session.scalar(select(func.count()).select_from(SecondFactorReset)) == 0
    assert len(outbox) == sent_before
    assert their_browser.get("/account").status_code == 200


@pytest.mark.parametrize(
    "role", [R.SITE_LEAD, R.SUPPORTER, R.MODERATOR, R.RESEARCHER, R.CLINICIAN, R.RELATIVE]
)
def test_only_administrators_may_reset(create_user, login, client, colleague, role):
    person, _browser = colleague
    login(create_user(role))
    assert client.get(reset_page(person)).status_code == 403
    assert post(client, reset_page(person), {"reason": REASON}).status_code == 403
    assert client.get("/admin/second-factor").status_code == 403
    assert services.is_on(person)


def test_an_administrator_cannot_reset_their_own(create_user, login, client):
    admin = create_user(R.ADMIN)
    login(admin)
    assert client.get(reset_page(admin)).status_code == 404
    with pytest.raises(services.SecondFactorError):
        services.reset(admin, admin, REASON)


def test_the_staff_list_leads_admins_to_resets(create_user, login, client):
    login(create_user(R.ADMIN))
    assert 'href="/admin/second-factor"' in client.get("/staff").get_data(as_text=True)


def test_the_command_resets_when_no_administrator_can(app, colleague, outbox):
    person, _browser = colleague
    result = app.test_cli_runner().invoke(
        args=[
            "react",
            "reset-second-factor",
            "--email",
            person.email.upper(),
            "--reason",
            "The only admin's phone",
        ]
    )
    assert result.exit_code == 0, result.output
    assert not services.is_on(person)
    entry = db.session.scalar(select(SecondFactorReset))
    assert entry.reset_by_id is None and entry.reason == "The only admin's phone"
    assert outbox[-1].to == person.email
    missing = app.test_cli_runner().invoke(
        args=["react", "reset-second-factor", "--email", "nobody@example.org", "--reason", "x"]
    )
    assert missing.exit_code != 0


def test_the_email_is_in_the_colleagues_language(create_user, login, client, colleague, outbox):
    person, _browser = colleague
    person.language = "cy"
    db.session.commit()
    login(create_user(R.ADMIN))
    post(client, reset_page(person), {"reason": REASON})
    assert "ail ffactor" in outbox[-1].subject.lower()
