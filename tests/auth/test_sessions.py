"""Signing in and out: rate limits, server-side sessions that logout and password changes revoke."""

import re
from datetime import timedelta

from sqlalchemy import select

from react_toolkit.auth.models import AccountToken, User, UserSession
from react_toolkit.auth.passwords import verify_password
from react_toolkit.extensions import db
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import PASSWORD, post


def sign_in(client, email, password):
    return post(client, "/sign-in", {"email": email, "password": password}, token_from="/sign-in")


def change_password(client, current, new="a brand new passphrase"):
    return post(
        client,
        "/account/password",
        {"current_password": current, "password": new},
        token_from="/account/password",
    )


def test_sign_in_and_who_am_i(client, create_user):
    clinician = create_user("clinician")
    response = sign_in(client, clinician.email.upper(), PASSWORD)
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert f"Signed in as {clinician.full_name}" in page
    assert 'action="/sign-out"' in page


def test_wrong_password_gets_a_clear_message_and_keeps_the_email(client, create_user):
    user = create_user("relative")
    response = sign_in(client, user.email, "not the password")
    page = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "The email address or password is not right" in page
    assert f'value="{user.email}"' in page
    assert 'type="password"' in page and PASSWORD not in page


def test_sixth_fast_wrong_login_is_refused_even_with_the_right_password(client, create_user):
    user = create_user("relative")
    for _ in range(5):
        assert sign_in(client, user.email, "wrong password").status_code == 401
    response = sign_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "You have tried to sign in too many times" in response.get_data(as_text=True)
    failed = db.session.scalars(select(UsageEvent).where(UsageEvent.name == "auth.login.failed")).all()
    assert len(failed) == 6 and all(event.user_id == user.id for event in failed)


def test_per_address_limit_spans_accounts(make_app, create_user):
    app = make_app(LOGIN_LIMIT_ADDRESS="3 per 15 minutes")
    client = app.test_client()
    with app.app_context():
        emails = [f"nobody{n}@example.org" for n in range(3)]
    for email in emails:
        assert sign_in(client, email, "whatever it is").status_code == 401
    assert sign_in(client, "another@example.org", "whatever it is").status_code == 429


def test_logout_revokes_the_session_on_the_server(client, create_user, login):
    user = create_user("relative")
    login(user)
    stolen_cookie = client.get_cookie("react_session").value
    assert post(client, "/sign-out").status_code == 302
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.revoked_at is not None and row.revoked_reason == "signed_out"
    client.set_cookie("react_session", stolen_cookie)  # replay the old cookie
    response = client.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_password_change_revokes_every_other_session(app, create_user, login):
    user = create_user("relative")
    phone, laptop = app.test_client(), app.test_client()
    login(user, the_client=phone)
    login(user, the_client=laptop)
    response = change_password(laptop, PASSWORD)
    assert response.status_code == 302
    assert laptop.get("/account").status_code == 200  # this browser stays signed in
    assert phone.get("/account").status_code == 302  # the other one is signed out


def test_password_change_needs_the_current_password(client, create_user, login):
    user = create_user("relative")
    login(user)
    response = change_password(client, "wrong")
    assert response.status_code == 400
    assert "Your current password is not right" in response.get_data(as_text=True)


def test_password_change_guesses_count_against_the_sign_in_limit(client, create_user, login):
    """A session left open on a shared computer cannot be used to guess the password."""
    user = create_user("relative")
    login(user)
    for _ in range(5):
        assert change_password(client, "a guess").status_code == 400
    response = change_password(client, PASSWORD)
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert re.search(r'id="current_password-error"[^>]*>.*typed a wrong password too many times', page, re.S)
    db.session.expire_all()
    assert verify_password(db.session.get(User, user.id).password_hash, PASSWORD)
    # The guesses also count against signing in.
    fresh = client.application.test_client()
    assert sign_in(fresh, user.email, PASSWORD).status_code == 429


def test_sign_out_everywhere_else(app, create_user, login):
    user = create_user("relative")
    phone, laptop = app.test_client(), app.test_client()
    login(user, the_client=phone)
    login(user, the_client=laptop)
    post(laptop, "/account/sessions/end-others", token_from="/account")
    assert phone.get("/account").status_code == 302
    assert laptop.get("/account").status_code == 200


def test_idle_session_ends_on_the_server(client, create_user, login):
    user = create_user("relative")
    login(user)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    row.last_seen_at = now() - timedelta(minutes=31)
    db.session.commit()
    assert client.get("/account").status_code == 302
    db.session.expire_all()
    assert db.session.get(UserSession, row.id).revoked_reason == "idle"


def test_keep_alive_restarts_the_idle_clock(client, create_user, login):
    user = create_user("relative")
    login(user)
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    row.last_seen_at = now() - timedelta(minutes=20)
    db.session.commit()
    token = client.get("/").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post("/session/keep-alive", headers={"X-CSRFToken": token})
    assert response.status_code == 200
    db.session.expire_all()
    assert now() - db.session.get(UserSession, row.id).last_seen_at < timedelta(minutes=1)


def test_timeout_warning_is_on_signed_in_pages(client, create_user, login):
    login(create_user("relative"))
    page = client.get("/").get_data(as_text=True)
    assert 'data-session-idle-minutes="30"' in page
    assert "You will be signed out soon" in page


def test_password_reset_link_works_once_and_for_an_hour(client, create_user, outbox):
    user = create_user("relative")
    response = post(client, "/password/forgot", {"email": user.email}, token_from="/password/forgot")
    assert "Check your email" in response.get_data(as_text=True)
    assert len(outbox) == 1 and outbox[0].to == user.email
    link = next(line for line in outbox[0].body.splitlines() if "/password/reset/" in line)
    path = "/password/reset/" + link.rsplit("/", 1)[1]
    row = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    assert timedelta(minutes=59) < row.expires_at - row.created_at <= timedelta(minutes=60)

    response = post(client, path, {"password": "my fresh passphrase"}, token_from=path)
    assert response.status_code == 302
    assert client.get(path).status_code == 410  # used once
    assert sign_in(client, user.email, "my fresh passphrase").status_code == 302


def test_expired_reset_link_refused(client, create_user, outbox):
    user = create_user("relative")
    post(client, "/password/forgot", {"email": user.email}, token_from="/password/forgot")
    token = outbox[0].body.split("/password/reset/")[1].split()[0]
    row = db.session.scalar(select(AccountToken).where(AccountToken.user_id == user.id))
    row.expires_at = now() - timedelta(seconds=1)
    db.session.commit()
    response = client.get(f"/password/reset/{token}")
    assert response.status_code == 410
    assert "This link no longer works" in response.get_data(as_text=True)


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(client, outbox):
    response = post(client, "/password/forgot", {"email": "ghost@example.org"}, token_from="/password/forgot")
    assert "Check your email" in response.get_data(as_text=True)
    assert outbox == []


def test_login_required_pages_send_anonymous_people_to_sign_in(client):
    for path in ("/account", "/invitations", "/invitations/new", "/staff", "/organisations/"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/sign-in"), path
