"""Passkeys: added from the account page once an app is set up, then used instead of a code at sign-in.

A software authenticator answers as a browser would; tests/browser drives Chromium's virtual one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.second_factor.models import Passkey
from react_toolkit.usage.models import UsageEvent
from tests.conftest import PASSWORD, post
from tests.second_factor.authenticator import SoftAuthenticator
from tests.second_factor.helpers import passkey_options, sign_in_with_password, totp, turn_on


@pytest.fixture
def authenticator(app) -> SoftAuthenticator:
    base = urlsplit(app.config["BASE_URL"])
    return SoftAuthenticator(f"{base.scheme}://{base.netloc}", base.hostname)


@pytest.fixture
def staff(app, create_user):
    user = create_user(R.SUPPORTER)
    secret = turn_on(user)
    client = app.test_client()
    sign_in_with_password(client, user)
    assert (
        post(client, "/second-factor", {"code": totp(secret)}, token_from="/second-factor").status_code == 302
    )
    return user, client


def add_passkey(client, authenticator, name: str = "Work laptop"):
    page = post(client, "/account/second-factor/passkeys/new", {"name": name, "password": PASSWORD})
    assert page.status_code == 200, page.get_data(as_text=True)[:1000]
    options = passkey_options(page.get_data(as_text=True))
    return post(client, "/account/second-factor/passkeys", {"credential": authenticator.create(options)})


def half_signed_in(app, user):
    client = app.test_client()
    sign_in_with_password(client, user)
    page = client.get("/second-factor").get_data(as_text=True)
    return client, passkey_options(page)


def test_a_passkey_is_added_after_the_password_and_used_instead_of_a_code(app, staff, authenticator):
    user, client = staff
    answer = add_passkey(client, authenticator)
    assert answer.status_code == 302 and answer.headers["Location"] == "/account/second-factor"
    [passkey] = db.session.scalars(select(Passkey)).all()
    assert (passkey.user_id, passkey.name) == (user.id, "Work laptop")
    assert "Work laptop" in client.get("/account/second-factor").get_data(as_text=True)

    other, options = half_signed_in(app, user)
    assert [entry["id"] for entry in options["allowCredentials"]] == [passkey.credential_id]
    used = post(
        other, "/second-factor/passkey", {"credential": authenticator.get(options)}, token_from="/crisis"
    )

    assert used.status_code == 302 and used.headers["Location"] == "/"
    assert other.get("/inbox").status_code == 200
    db.session.expire_all()
    assert db.session.get(Passkey, passkey.id).sign_count == 1
    method = db.session.scalars(
        select(UsageEvent.object_id)
        .where(UsageEvent.name == "second_factor.check.succeeded")
        .order_by(UsageEvent.id)
    ).all()[-1]
    assert method == "passkey"


def test_adding_a_passkey_needs_the_password_and_an_app_first(app, create_user, login, client, authenticator):
    supporter = create_user(R.SUPPORTER)
    login(supporter)  # through the second factor without an app: the page sends them to set one up
    assert client.get("/account/second-factor/passkeys/new").headers["Location"] == "/account/second-factor"

    turn_on(supporter)
    refused = post(client, "/account/second-factor/passkeys/new", {"name": "", "password": "not it"})
    assert refused.status_code == 400 and "Your password is not right" in refused.get_data(as_text=True)


def test_a_replayed_or_forged_answer_is_refused(app, staff, authenticator):
    user, client = staff
    add_passkey(client, authenticator)

    other, options = half_signed_in(app, user)
    forged = post(
        other,
        "/second-factor/passkey",
        {"credential": authenticator.get(options, challenge="bm90IHRoZSBjaGFsbGVuZ2U")},
        token_from="/crisis",
    )
    assert forged.status_code == 401 and "Your passkey was not accepted" in forged.get_data(as_text=True)

    other, options = half_signed_in(app, user)
    answer = authenticator.get(options)
    assert (
        post(other, "/second-factor/passkey", {"credential": answer}, token_from="/crisis").status_code == 302
    )
    third, _options = half_signed_in(app, user)
    replayed = post(third, "/second-factor/passkey", {"credential": answer}, token_from="/crisis")
    assert replayed.status_code == 401
    failures = db.session.scalars(
        select(UsageEvent.object_id).where(UsageEvent.name == "second_factor.check.failed")
    ).all()
    assert failures == ["wrong_passkey", "wrong_passkey"]


def test_another_persons_passkey_does_not_work(app, staff, create_user, authenticator):
    user, client = staff
    add_passkey(client, authenticator)
    colleague = create_user(R.SUPPORTER)
    turn_on(colleague)
    theirs = app.test_client()
    sign_in_with_password(theirs, colleague)
    page = theirs.get("/second-factor").get_data(as_text=True)
    assert "data-passkey-options" not in page  # they have none to offer
    answer = authenticator.get({"challenge": "c29tZXRoaW5n"})
    refused = post(theirs, "/second-factor/passkey", {"credential": answer}, token_from="/crisis")
    assert refused.status_code == 401
    assert theirs.get("/").headers["Location"].startswith("/second-factor")


def test_a_passkey_can_be_removed_by_its_owner_only(app, staff, create_user, authenticator, login):
    user, client = staff
    add_passkey(client, authenticator)
    passkey = db.session.scalar(select(Passkey))
    stranger = login(create_user(R.SUPPORTER), the_client=app.test_client())
    assert post(stranger, f"/account/second-factor/passkeys/{passkey.id}/remove").status_code == 404
    assert post(client, f"/account/second-factor/passkeys/{passkey.id}/remove").status_code == 302
    assert db.session.scalar(select(Passkey)) is None
    other = app.test_client()
    sign_in_with_password(other, user)
    assert "data-passkey-options" not in other.get("/second-factor").get_data(as_text=True)
