"""A remembered device skips the code for up to 30 days, and only where the trust allows it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.config import from_environment
from react_toolkit.extensions import db
from react_toolkit.second_factor import services
from react_toolkit.second_factor.models import RememberedDevice
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.second_factor.helpers import enter_code, sign_in_with_password, totp, turn_on

COOKIE = services.DEVICE_COOKIE


@pytest.fixture
def staff(create_user):
    user = create_user(R.MODERATOR)
    return user, turn_on(user)


def remembered_sign_in(app, user, secret):
    """Sign in ticking the box; the browser, and the value of its device cookie."""
    client = app.test_client()
    sign_in_with_password(client, user)
    answer = enter_code(client, totp(secret), remember="y")
    assert answer.status_code == 302
    return client, answer


def lands_home(client, user) -> bool:
    sign_in_with_password(client, user)
    return client.get("/").status_code == 200


def test_the_trust_setting_is_off_unless_set_and_never_over_30_days():
    assert from_environment({})["STAFF_MFA_REMEMBER_DAYS"] == 0
    assert from_environment({"STAFF_MFA_REMEMBER_DAYS": "90"})["STAFF_MFA_REMEMBER_DAYS"] == 30


def test_off_by_default_no_box_and_no_cookie(app, staff, clock):
    user, secret = staff
    client = app.test_client()
    sign_in_with_password(client, user)
    assert 'name="remember"' not in client.get("/second-factor").get_data(as_text=True).split("<main", 1)[1]
    answer = enter_code(client, totp(secret), remember="y")
    assert answer.status_code == 302 and COOKIE not in answer.headers.get("Set-Cookie", "")
    assert db.session.scalar(select(RememberedDevice.id)) is None
    post(client, "/sign-out", token_from="/crisis")
    assert not lands_home(client, user)


def test_a_remembered_device_skips_the_code_when_the_trust_allows_it(app, staff, clock):
    app.config["STAFF_MFA_REMEMBER_DAYS"] = 30
    user, secret = staff
    client = app.test_client()
    sign_in_with_password(client, user)
    page = client.get("/second-factor").get_data(as_text=True)
    assert "Do not ask for a code on this device for 30 days" in page

    client, answer = remembered_sign_in(app, user, secret)

    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}=") and "HttpOnly" in cookie and "Max-Age=2592000" in cookie
    token = client.get_cookie(COOKIE).value
    stored = db.session.scalar(select(RememberedDevice))
    assert stored.user_id == user.id and stored.token_hash not in token
    post(client, "/sign-out", token_from="/crisis")
    assert lands_home(client, user)
    db.session.expire_all()
    method = db.session.scalars(
        select(UsageEvent.object_id)
        .where(UsageEvent.name == "second_factor.check.succeeded")
        .order_by(UsageEvent.id)
    ).all()[-1]
    assert method == "remembered_device"


def test_a_remembered_device_expires(app, staff, clock):
    app.config["STAFF_MFA_REMEMBER_DAYS"] = 30
    user, secret = staff
    client, _ = remembered_sign_in(app, user, secret)
    clock.advance(days=29, hours=23)
    post(client, "/sign-out", token_from="/crisis")
    assert lands_home(client, user)
    clock.advance(hours=2)  # the test client still sends the cookie; the server says no
    post(client, "/sign-out", token_from="/crisis")
    assert not lands_home(client, user)


def test_it_is_honoured_only_while_the_trust_allows_it(app, staff, clock):
    app.config["STAFF_MFA_REMEMBER_DAYS"] = 30
    user, secret = staff
    client, _ = remembered_sign_in(app, user, secret)
    post(client, "/sign-out", token_from="/crisis")
    app.config["STAFF_MFA_REMEMBER_DAYS"] = 0
    assert not lands_home(client, user)
    post(client, "/sign-out", token_from="/crisis")
    # A trust that shortens the time shortens it for devices already remembered.
    app.config["STAFF_MFA_REMEMBER_DAYS"] = 7
    clock.advance(days=8)
    assert not lands_home(client, user)


def test_a_device_cookie_works_only_for_its_own_person(app, staff, create_user, clock):
    app.config["STAFF_MFA_REMEMBER_DAYS"] = 30
    user, secret = staff
    client, _ = remembered_sign_in(app, user, secret)
    value = client.get_cookie(COOKIE).value
    colleague = create_user(R.MODERATOR)
    turn_on(colleague)
    theirs = app.test_client()
    theirs.set_cookie(COOKIE, value)
    assert not lands_home(theirs, colleague)
    forged = app.test_client()
    forged.set_cookie(COOKIE, value[:-3] + "abc")
    assert not lands_home(forged, user)


def test_forgetting_devices_asks_for_a_code_everywhere_again(app, staff, clock):
    app.config["STAFF_MFA_REMEMBER_DAYS"] = 30
    user, secret = staff
    client, _ = remembered_sign_in(app, user, secret)
    page = client.get("/account/second-factor").get_data(as_text=True)
    assert "1 device does not ask for a code" in page
    assert post(client, "/account/second-factor/devices/forget").status_code == 302
    post(client, "/sign-out", token_from="/crisis")
    assert not lands_home(client, user)
