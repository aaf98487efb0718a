"""Setting up an authenticator app: at first sign-in for staff, from the account page for anyone."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import UserSession
from react_toolkit.config import ConfigError, check_production, from_environment
from react_toolkit.extensions import db
from react_toolkit.second_factor import services
from react_toolkit.second_factor.models import RecoveryCode, SecondFactor
from react_toolkit.usage.models import UsageEvent
from tests.conftest import PASSWORD, post
from tests.second_factor.helpers import (
    enter_code,
    key_on,
    set_up_at_sign_in,
    sign_in_with_password,
    totp,
    turn_on,
)

STAFF_WHO_MUST = (R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER, R.ADMIN)


def newest_session(user) -> UserSession:
    db.session.expire_all()
    return db.session.scalar(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id.desc()).limit(1)
    )


@pytest.mark.parametrize("role", STAFF_WHO_MUST)
def test_staff_set_up_an_app_after_their_password_before_any_page(client, create_user, role):
    user = create_user(role)
    sign_in_with_password(client, user)

    home = client.get("/")
    assert home.status_code == 302 and home.headers["Location"] == "/second-factor/set-up?next=/"
    page = client.get(home.headers["Location"])
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in html
    assert "<img" not in html.split("<main", 1)[1]  # drawn in the page, not fetched from anywhere
    secret = key_on(html)
    assert len(secret) == 32 and 'name="password"' not in html  # they have just typed it
    assert "nhsuk-header__navigation-link" not in html  # no menu of pages they cannot open yet
    assert newest_session(user).second_factor_at is None

    answer = post(
        client, "/second-factor/set-up?next=/", {"code": totp(secret)}, token_from=home.headers["Location"]
    )
    shown = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Save your recovery codes" in shown
    assert shown.count("<li><code>") == services.RECOVERY_CODE_COUNT
    assert 'href="/"' in shown
    home = client.get("/")
    assert home.status_code == 200 and "nhsuk-header__navigation-link" in home.get_data(as_text=True)
    assert newest_session(user).second_factor_at is not None


def test_clinicians_set_one_up_only_where_the_trust_asks_all_staff(app, client, create_user):
    clinician = create_user(R.CLINICIAN)
    sign_in_with_password(client, clinician)
    assert client.get("/").status_code == 200

    app.config["STAFF_MFA"] = "all"
    other = app.test_client()
    sign_in_with_password(other, clinician)
    assert other.get("/").headers["Location"].startswith("/second-factor/set-up")


def test_the_set_up_page_keeps_its_key_until_it_is_proved_and_writes_nothing(client, create_user):
    user = create_user(R.SUPPORTER)
    sign_in_with_password(client, user)
    first = key_on(client.get("/second-factor/set-up").get_data(as_text=True))
    again = key_on(client.get("/second-factor/set-up").get_data(as_text=True))
    assert first == again
    assert db.session.scalar(select(func.count()).select_from(SecondFactor)) == 0
    # Another browser gets a key of its own.
    other = client.application.test_client()
    sign_in_with_password(other, user)
    assert key_on(other.get("/second-factor/set-up").get_data(as_text=True)) != first


def test_a_wrong_code_at_set_up_is_refused_counted_and_changes_nothing(client, create_user, clock):
    user = create_user(R.MODERATOR)
    sign_in_with_password(client, user)
    secret = key_on(client.get("/second-factor/set-up").get_data(as_text=True))
    wrong = "000000" if totp(secret) != "000000" else "111111"

    answer = post(client, "/second-factor/set-up", {"code": wrong}, token_from="/second-factor/set-up")

    assert answer.status_code == 401
    assert "The code is not right" in answer.get_data(as_text=True)
    assert not services.is_on(user)
    assert client.get("/").headers["Location"].startswith("/second-factor/set-up")
    reasons = db.session.scalars(
        select(UsageEvent.object_id).where(UsageEvent.name == "second_factor.check.failed")
    ).all()
    assert reasons == ["wrong_code"]


def test_the_secret_is_kept_encrypted_for_its_account_and_the_codes_as_hashes(app, client, create_user):
    user, other = create_user(R.ADMIN), create_user(R.ADMIN)
    secret, codes = set_up_at_sign_in(client, user)
    turn_on(other)
    db.session.expire_all()
    row = db.session.get(SecondFactor, user.id)
    assert secret not in row.totp_secret and row.totp_secret.startswith("v1.")
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not {code.replace("-", "") for code in codes} & set(stored)

    # The sealed secret copied onto another account opens for neither.
    db.session.get(SecondFactor, other.id).totp_secret = row.totp_secret
    db.session.commit()
    assert services._open(other.id, row.totp_secret) is None
    assert services._open(user.id, row.totp_secret) == secret


def test_after_the_secret_key_changes_recovery_codes_still_work(app, client, create_user, clock):
    user = create_user(R.SITE_LEAD)
    secret, codes = set_up_at_sign_in(client, user)
    clock.advance(seconds=60)
    app.config["SECRET_KEY"] = "a new secret key for the whole service"
    with pytest.raises(services.SecondFactorError):
        services.check_code(user, totp(secret))
    assert services.check_code(user, codes[0]) == "recovery_code"


def test_the_key_is_never_shown_again_once_set_up(client, create_user):
    user = create_user(R.RESEARCHER)
    secret, codes = set_up_at_sign_in(client, user)
    for path in ("/account", "/account/second-factor", "/second-factor", "/second-factor/set-up"):
        page = client.get(path, follow_redirects=True).get_data(as_text=True)
        assert secret not in page.replace(" ", "") and codes[0] not in page, path


def test_moving_to_a_new_app_needs_the_password_and_a_code_from_the_new_one(client, create_user, clock):
    user = create_user(R.SUPPORTER)
    old, _codes = set_up_at_sign_in(client, user)
    page = client.get("/second-factor/set-up").get_data(as_text=True)
    assert 'name="password"' in page
    new = key_on(page)
    assert new != old

    clock.advance(seconds=30)
    refused = post(client, "/second-factor/set-up", {"code": totp(new), "password": "not my password"})
    assert refused.status_code == 400 and "Your password is not right" in refused.get_data(as_text=True)
    assert services.check_code(user, totp(old)) == "totp"  # the old app still works meanwhile

    clock.advance(seconds=30)
    moved = post(client, "/second-factor/set-up", {"code": totp(new), "password": PASSWORD})
    assert moved.status_code == 302 and moved.headers["Location"] == "/account/second-factor"
    assert services.recovery_codes_left(user) == 10  # the codes they saved still work

    clock.advance(seconds=30)
    fresh = client.application.test_client()
    sign_in_with_password(fresh, user)
    assert enter_code(fresh, totp(old)).status_code == 401
    assert enter_code(fresh, totp(new)).status_code == 302


def test_only_outside_production_can_the_second_factor_be_switched_off(app, client, create_user):
    settings = {
        "REACT_ENV": "production",
        "SECRET_KEY": "k" * 40,
        "USAGE_PSEUDONYM_KEY": "p" * 40,
        "DATABASE_URL": "postgresql+psycopg://react@db/react",
    }
    check_production(from_environment({**settings, "STAFF_MFA": "all"}))
    with pytest.raises(ConfigError, match="STAFF_MFA"):
        check_production(from_environment({**settings, "STAFF_MFA": "off"}))

    app.config["STAFF_MFA"] = "off"
    sign_in_with_password(client, create_user(R.ADMIN))
    assert client.get("/").status_code == 200
