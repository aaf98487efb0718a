"""Signing in with a second factor: the password first, then a code from the app or a recovery code."""

from __future__ import annotations

from datetime import timedelta
from unittest.mock import patch

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import FailedAttempt, UserSession
from react_toolkit.extensions import db
from react_toolkit.second_factor import services
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.second_factor.helpers import enter_code, set_up_at_sign_in, sign_in_with_password, totp, turn_on


def events(name: str) -> list[UsageEvent]:
    db.session.expire_all()
    return db.session.scalars(select(UsageEvent).where(UsageEvent.name == name).order_by(UsageEvent.id)).all()


@pytest.fixture
def staff(create_user):
    user = create_user(R.SUPPORTER)
    return user, turn_on(user)


def test_the_code_page_comes_after_the_password_and_a_right_code_lets_them_in(app, staff):
    user, secret = staff
    client = app.test_client()
    sign_in_with_password(client, user)
    assert client.get("/inbox").headers["Location"] == "/second-factor?next=/inbox"
    page = client.get("/second-factor?next=/inbox").get_data(as_text=True)
    assert "Enter a code to finish signing in" in page and 'autocomplete="one-time-code"' in page

    answer = post(client, "/second-factor?next=/inbox", {"code": totp(secret)}, token_from="/second-factor")

    assert answer.status_code == 302 and answer.headers["Location"] == "/inbox"
    assert client.get("/inbox").status_code == 200
    succeeded = events("second_factor.check.succeeded")[-1]
    assert (succeeded.user_id, succeeded.object_type, succeeded.object_id) == (user.id, "method", "totp")


def test_passing_the_second_factor_replaces_the_session_token(app, staff):
    user, secret = staff
    client = app.test_client()
    sign_in_with_password(client, user)
    # Someone who copied the cookie while only the password had been typed.
    copy = app.test_client()
    for cookie in client._cookies.values():
        copy.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    assert copy.get("/inbox").headers["Location"].startswith("/second-factor")

    assert (
        post(client, "/second-factor", {"code": totp(secret)}, token_from="/second-factor").status_code == 302
    )

    assert client.get("/inbox").status_code == 200
    assert copy.get("/inbox").headers["Location"].startswith("/sign-in")
    db.session.expire_all()
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    ).all()
    half, whole = rows[-2:]
    assert (half.revoked_reason, half.second_factor_at) == ("second_factor_passed", None)
    assert whole.revoked_at is None and whole.second_factor_at is not None
    assert whole.created_at == half.created_at  # the absolute limit still counts from the password


def test_the_page_asked_for_before_signing_in_is_reached_after_the_code(app, create_user):
    admin = create_user(R.ADMIN)
    secret = turn_on(admin)
    client = app.test_client()
    asked = client.get("/dashboard")
    assert asked.headers["Location"].startswith("/sign-in?next=")
    sign_in = post(
        client, asked.headers["Location"], {"email": admin.email, "password": "correct horse battery staple"},
        token_from="/sign-in",
    )  # fmt: skip
    gate = client.get(sign_in.headers["Location"])
    assert gate.headers["Location"] == "/second-factor?next=/dashboard"
    answer = post(client, gate.headers["Location"], {"code": totp(secret)}, token_from="/second-factor")
    assert answer.status_code == 302 and answer.headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200


def test_a_wrong_code_is_refused_and_the_session_stays_half_signed_in(app, staff):
    user, secret = staff
    client = app.test_client()
    sign_in_with_password(client, user)
    wrong = "123456" if totp(secret) != "123456" else "654321"
    answer = enter_code(client, wrong)
    assert answer.status_code == 401
    assert "The code is not right" in answer.get_data(as_text=True)
    assert client.get("/").headers["Location"].startswith("/second-factor")
    assert [event.object_id for event in events("second_factor.check.failed")] == ["wrong_code"]


def test_a_code_is_accepted_once_and_a_replay_is_refused_until_the_next_one(app, create_user, clock):
    user = create_user(R.MODERATOR)
    clock.set(clock() + timedelta(seconds=5))  # stand still, inside one 30-second step
    secret = turn_on(user)
    clock.advance(seconds=30)
    code = totp(secret)
    first, second = app.test_client(), app.test_client()
    sign_in_with_password(first, user)
    sign_in_with_password(second, user)

    assert enter_code(first, code).status_code == 302
    replayed = enter_code(second, code)

    assert replayed.status_code == 401
    assert "already been used" in replayed.get_data(as_text=True)
    assert events("second_factor.check.failed")[-1].object_id == "replayed_code"
    clock.advance(seconds=30)
    assert enter_code(second, totp(secret)).status_code == 302


def test_a_slow_phone_clock_is_allowed_one_step_but_no_more(app, staff, clock):
    user, secret = staff
    clock.set(clock() + timedelta(minutes=5))
    client = app.test_client()
    sign_in_with_password(client, user)
    assert enter_code(client, totp(secret, clock() - timedelta(seconds=65))).status_code == 401
    assert enter_code(client, totp(secret, clock() - timedelta(seconds=30))).status_code == 302


def test_each_recovery_code_works_once(app, create_user, clock):
    user = create_user(R.SITE_LEAD)
    _secret, codes = set_up_at_sign_in(app.test_client(), user)
    first, second, third = (app.test_client() for _ in range(3))
    for client in (first, second, third):
        sign_in_with_password(client, user)

    assert enter_code(first, codes[0]).status_code == 302
    again = enter_code(second, codes[0])
    assert again.status_code == 401 and "Each recovery code works only once" in again.get_data(as_text=True)
    # Typed without dashes and in lower case, another code still works.
    assert enter_code(third, codes[1].replace("-", "").lower()).status_code == 302
    assert services.recovery_codes_left(user) == 8
    methods = [event.object_id for event in events("second_factor.check.succeeded")]
    assert methods[-2:] == ["recovery_code", "recovery_code"]


def test_new_recovery_codes_replace_the_old_ones_and_need_the_password(app, client, create_user, clock):
    user = create_user(R.RESEARCHER)
    _secret, old = set_up_at_sign_in(client, user)
    refused = post(client, "/account/second-factor/recovery-codes", {"password": "not it"})
    assert refused.status_code == 400
    answer = post(
        client, "/account/second-factor/recovery-codes", {"password": "correct horse battery staple"}
    )
    new = [code for code in old if code in answer.get_data(as_text=True)]
    assert answer.status_code == 200 and new == []
    assert answer.get_data(as_text=True).count("<li><code>") == 10
    fresh = app.test_client()
    sign_in_with_password(fresh, user)
    assert enter_code(fresh, old[2]).status_code == 401
    assert len(events("second_factor.recovery_codes.renewed")) == 1


def test_code_entry_is_limited_per_account_across_browsers(app, staff, clock):
    user, secret = staff
    clock.set(clock() + timedelta(seconds=1))
    phone, laptop = app.test_client(), app.test_client()
    sign_in_with_password(phone, user)
    sign_in_with_password(laptop, user)
    wrong = "000000" if totp(secret) != "000000" else "999999"
    for number in range(5):
        assert enter_code(phone if number % 2 else laptop, wrong).status_code == 401

    locked = enter_code(phone, totp(secret))

    assert locked.status_code == 429
    assert "wait 15 minutes" in locked.get_data(as_text=True)
    assert events("second_factor.check.failed")[-1].object_id == "rate_limited"
    assert db.session.scalar(select(func.count()).select_from(FailedAttempt)) == 5
    clock.advance(minutes=15, seconds=1)
    assert enter_code(phone, totp(secret)).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(FailedAttempt)) == 0


def test_someone_half_signed_in_can_sign_out(app, staff):
    user, _secret = staff
    client = app.test_client()
    sign_in_with_password(client, user)
    assert post(client, "/sign-out", token_from="/second-factor").status_code == 302
    db.session.expire_all()
    newest = select(UserSession.revoked_reason).where(UserSession.user_id == user.id)
    assert db.session.scalar(newest.order_by(UserSession.id.desc()).limit(1)) == "signed_out"
    assert client.get("/second-factor").headers["Location"].startswith("/sign-in")


def test_events_say_what_happened_and_never_hold_a_secret_or_code(app, create_user, clock):
    user = create_user(R.ADMIN)
    client = app.test_client()
    secret, codes = set_up_at_sign_in(client, user)
    clock.advance(seconds=30)
    other = app.test_client()
    sign_in_with_password(other, user)
    enter_code(other, "ABCD-EFGH-JKMN")
    enter_code(other, codes[3])
    assert [event.object_id for event in events("second_factor.method.added")] == ["totp"]
    assert [event.object_id for event in events("second_factor.check.failed")] == ["wrong_code"]
    assert [event.object_id for event in events("second_factor.check.succeeded")] == ["totp", "recovery_code"]
    columns = UsageEvent.__table__.columns
    everything = " ".join(
        str(getattr(event, column.key))
        for event in db.session.scalars(select(UsageEvent))
        for column in columns
    )
    for forbidden in (secret, *codes, *(code.replace("-", "") for code in codes), "ABCDEFGHJKMN", user.email):
        assert forbidden not in everything


def test_the_crisis_page_opens_half_signed_in_even_with_the_database_down(app, staff):
    user, _secret = staff
    client = app.test_client()
    sign_in_with_password(client, user)

    def refused(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    with patch.object(services, "is_pending", refused):
        assert client.get("/crisis").status_code == 200
        assert client.get("/").status_code == 503
