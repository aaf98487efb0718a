"""Relatives are never made to use a second factor, but may turn one on from their account page."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.auth.erasure import erase_account
from react_toolkit.extensions import db
from react_toolkit.second_factor import services
from react_toolkit.second_factor.models import RecoveryCode, SecondFactor
from tests.conftest import PASSWORD, post
from tests.second_factor.helpers import RECOVERY_CODE, enter_code, key_on, sign_in_with_password, totp


def turn_on_from_the_account_page(client) -> tuple[str, list[str]]:
    account = client.get("/account").get_data(as_text=True)
    assert 'href="/account/second-factor"' in account
    manage = client.get("/account/second-factor").get_data(as_text=True)
    assert "You do not have to use one" in manage
    secret = key_on(client.get("/second-factor/set-up").get_data(as_text=True))
    answer = post(client, "/second-factor/set-up", {"code": totp(secret), "password": PASSWORD})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:1000]
    return secret, RECOVERY_CODE.findall(answer.get_data(as_text=True))


def test_relatives_sign_in_with_their_password_alone(client, create_user):
    relative = create_user(R.RELATIVE)
    sign_in_with_password(client, relative)
    assert client.get("/").status_code == 200
    assert client.get("/modules").status_code == 200


def test_a_relative_turns_it_on_and_is_then_asked_for_a_code_everywhere(app, client, create_user, clock):
    relative = create_user(R.RELATIVE)
    sign_in_with_password(client, relative)
    other_phone = app.test_client()
    sign_in_with_password(other_phone, relative)
    secret = key_on(client.get("/second-factor/set-up").get_data(as_text=True))

    wrong_password = post(client, "/second-factor/set-up", {"code": totp(secret), "password": "not mine"})
    assert wrong_password.status_code == 400 and not services.is_on(relative)

    answer = post(client, "/second-factor/set-up", {"code": totp(secret), "password": PASSWORD})
    assert answer.status_code == 200 and answer.get_data(as_text=True).count("<li><code>") == 10
    assert client.get("/modules").status_code == 200  # this browser has just typed a code
    # The browser that was already signed in with the password alone now owes the code too.
    assert other_phone.get("/modules").headers["Location"].startswith("/second-factor?")
    clock.advance(seconds=30)
    assert enter_code(other_phone, totp(secret)).status_code == 302
    assert other_phone.get("/modules").status_code == 200


def test_a_relative_may_turn_it_off_again_with_their_password(app, client, create_user, clock):
    relative = create_user(R.RELATIVE)
    sign_in_with_password(client, relative)
    turn_on_from_the_account_page(client)
    assert post(client, "/account/second-factor/turn-off", {"password": "not mine"}).status_code == 400
    assert services.is_on(relative)
    answer = post(client, "/account/second-factor/turn-off", {"password": PASSWORD})
    assert answer.status_code == 302
    assert not services.is_on(relative)
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    fresh = app.test_client()
    sign_in_with_password(fresh, relative)
    assert fresh.get("/modules").status_code == 200


def test_staff_who_must_use_one_cannot_turn_it_off(create_user, login, client):
    supporter = create_user(R.SUPPORTER)
    login(supporter)
    assert client.get("/account/second-factor/turn-off").status_code == 403
    assert post(client, "/account/second-factor/turn-off", {"password": PASSWORD}).status_code == 403
    with pytest.raises(services.SecondFactorError):
        services.turn_off(supporter, PASSWORD)


def test_the_data_download_says_when_but_never_the_secret_or_codes(client, create_user):
    relative = create_user(R.RELATIVE)
    sign_in_with_password(client, relative)
    secret, codes = turn_on_from_the_account_page(client)
    assert len(codes) == 10
    response = client.get("/account/data")
    data = json.loads(response.get_data(as_text=True))
    section = data["second_factor"]
    assert section["authenticator_app_set_up_at"]
    assert len(section["recovery_codes"]) == 10 and all(row["made_at"] for row in section["recovery_codes"])
    text = response.get_data(as_text=True)
    assert secret not in text and not any(code in text for code in codes)
    assert "v1." not in text
    assert data["sign_ins"][-1]["second_factor_at"]


def test_erasing_a_relative_removes_their_second_factor(client, create_user):
    relative = create_user(R.RELATIVE)
    sign_in_with_password(client, relative)
    turn_on_from_the_account_page(client)
    erase_account(relative)
    assert db.session.get(SecondFactor, relative.id) is None
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
