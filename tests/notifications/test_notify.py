"""GOV.UK Notify as the backend: requests match the documented API, for email and text, and the
worker tries again after a rate limit or a server error and gives up on a refused request."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from notifications_python_client import authentication
from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.notifications import kinds as K
from react_toolkit.notifications import services, worker
from react_toolkit.notifications.models import (
    FAILED,
    PENDING,
    SENT,
    Notice,
    NotificationChoice,
    NotificationSettings,
)
from react_toolkit.timeutil import now
from tests.notifications.fake_notify import (
    API_KEY,
    EMAIL_TEMPLATE,
    SECRET,
    SERVICE_ID,
    SMS_TEMPLATE,
    FakeNotify,
)


@pytest.fixture
def notify(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeNotify]:
    # The client stamps each token with the time it is signed, and Notify refuses one more than
    # 30 seconds from its own clock: in the tests both sides read the app's clock, which they set.
    monkeypatch.setattr(authentication, "epoch_seconds", lambda: int(now().timestamp()))
    with FakeNotify() as fake:
        yield fake


def test_a_token_signed_more_than_30_seconds_away_is_refused(notify: FakeNotify, clock):
    token = authentication.create_jwt_token(SECRET, SERVICE_ID)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    clock.advance(seconds=31)
    status, answer = notify.handle("/v2/notifications/sms", headers, b"{}")
    assert status == 403 and "clock" in answer["errors"][0]["message"]
    clock.advance(seconds=-31)
    status, _answer = notify.handle("/v2/notifications/sms", headers, b"{}")
    assert status != 403


@pytest.fixture
def app(make_app, notify: FakeNotify) -> Iterator[Flask]:
    app = make_app(
        MAIL_BACKEND="notify",
        SMS_BACKEND="notify",
        NOTIFY_API_KEY=API_KEY,
        NOTIFY_BASE_URL=notify.url,
        NOTIFY_EMAIL_TEMPLATE_ID=EMAIL_TEMPLATE,
        NOTIFY_SMS_TEMPLATE_ID=SMS_TEMPLATE,
        NOTIFY_TIMEOUT=5,
    )
    with app.app_context():
        yield app


def _texting(person, mobile: str = "07700900982") -> None:
    db.session.add(NotificationSettings(user_id=person.id, mobile=mobile))
    db.session.add(NotificationChoice(user_id=person.id, kind="inbox.reply", channel=K.SMS))
    db.session.commit()


def test_an_email_goes_to_notify_as_its_api_documents(app, notify, create_user):
    person = create_user()
    notice = services.enqueue(
        "account.password_reset", user=person, subject="Reset your password", body="Link: x"
    )
    db.session.commit()
    assert worker.deliver_due().sent == 1
    assert notify.refused == []
    [request] = notify.accepted
    assert request["path"] == "/v2/notifications/email"
    assert request["body"] == {
        "email_address": person.email,
        "template_id": EMAIL_TEMPLATE,
        "personalisation": {"subject": "Reset your password", "body": "Link: x"},
        "reference": str(notice.id),
    }


def test_a_text_goes_to_notify_with_fixed_words_only(app, notify, create_user):
    relative = create_user()
    _texting(relative)
    notice = services.enqueue(
        "inbox.reply", user=relative, subject="You have a new message", body="Your team wrote: private words"
    )
    db.session.commit()
    assert notice.channel == K.SMS
    assert worker.deliver_due().sent == 1
    [request] = notify.accepted
    assert request["path"] == "/v2/notifications/sms"
    assert request["body"] == {
        "phone_number": "07700900982",
        "template_id": SMS_TEMPLATE,
        "personalisation": {"body": K.SMS_REPLY},
        "reference": str(notice.id),
    }
    assert "private" not in K.SMS_REPLY and K.SMS_REPLY.startswith("REACT toolkit:")


def test_a_rate_limit_or_server_error_is_tried_again_and_a_bad_request_fails(app, notify, create_user, clock):
    person = create_user()
    services.enqueue("account.password_reset", user=person, subject="Reset", body="Link")
    db.session.commit()
    notify.next_answers = [429, 500]
    assert worker.deliver_due().retried == 1
    notice = db.session.scalar(select(Notice))
    assert notice.status == PENDING and notice.last_error == "RuntimeError: Notify answered 429"
    clock.advance(seconds=app.config["OUTBOX_RETRY_SECONDS"] + 1)
    assert worker.deliver_due().retried == 1
    clock.advance(seconds=2 * app.config["OUTBOX_RETRY_SECONDS"] + 1)
    assert worker.deliver_due().sent == 1
    assert db.session.scalar(select(Notice.status)) == SENT
    assert [status for status, _error in notify.refused] == [429, 500]

    # A number Notify cannot use will never go: it fails at once, for an administrator to see.
    relative = create_user()
    _texting(relative, mobile="+44 7700 900982x")
    services.enqueue("inbox.reply", user=relative, subject="s", body="b")
    db.session.commit()
    assert worker.deliver_due().failed == 1
    failed = db.session.scalar(select(Notice).where(Notice.status == FAILED))
    assert failed.last_error == "PermanentError: Notify answered 400"


def test_the_fake_refuses_a_request_signed_with_another_key(app, notify, create_user):
    from notifications_python_client.notifications import NotificationsAPIClient

    wrong = API_KEY[:-36] + "00000000-0000-0000-0000-000000000000"
    client = NotificationsAPIClient(wrong, base_url=notify.url)
    with pytest.raises(Exception) as raised:
        client.send_email_notification("a@example.org", EMAIL_TEMPLATE, {"subject": "s", "body": "b"})
    assert getattr(raised.value, "status_code", None) == 403
    assert notify.accepted == []
