"""Every sign-in attempt and every reset request does the same work whether or not the account exists.

Counted, never timed: each path's argon2 checks and hashes, the reset tokens hashed and the
messages written. `bench/login_timing.py` measures the time itself.
"""

from __future__ import annotations

import logging
from collections import Counter

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import select

from react_toolkit.auth import passwords, services
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import AccountToken
from react_toolkit.extensions import db
from react_toolkit.notifications import worker
from react_toolkit.usage.models import UsageEvent
from tests.conftest import PASSWORD, post

ADDRESS = "192.0.2.10"


@pytest.fixture
def counted(monkeypatch) -> Counter:
    """How many times argon2 hashed or checked a password, and how many reset tokens and messages were made."""
    counts: Counter = Counter()

    def spy(name: str, original):
        def counting(*args, **kwargs):
            counts[name] += 1
            return original(*args, **kwargs)

        return counting

    monkeypatch.setattr(PasswordHasher, "hash", spy("argon2 hash", PasswordHasher.hash))
    monkeypatch.setattr(PasswordHasher, "verify", spy("argon2 verify", PasswordHasher.verify))
    monkeypatch.setattr(services, "_token_hash", spy("token hash", services._token_hash))
    monkeypatch.setattr(services, "render_template", spy("message written", services.render_template))
    return counts


def attempt(email: str, password: str = "a wrong guess") -> None:
    with pytest.raises(services.ServiceError) as refused:
        services.sign_in(email, password, ADDRESS)
    assert refused.value.status == 401


def test_every_refused_sign_in_checks_one_password_hash(app, create_user, counted):
    real = create_user(R.RELATIVE)
    inactive = create_user(R.RELATIVE)
    inactive.active = False
    no_password = create_user(R.CLINICIAN)  # a new member of staff who has not set one yet
    no_password.password_hash = None
    db.session.commit()
    attempt("warm-up@example.org")  # the stand-in hash is made once per process, on first use

    work = {}
    for name, email, password in (
        ("no account", "nobody-here@example.org", "a wrong guess"),
        ("inactive account, right password", inactive.email, PASSWORD),
        ("account without a password", no_password.email, "a wrong guess"),
        ("real account, wrong password", real.email, "a wrong guess"),
    ):
        counted.clear()
        attempt(email, password)
        work[name] = dict(counted)

    assert work == dict.fromkeys(work, {"argon2 verify": 1})


def test_the_stand_in_hash_has_the_same_parameters_as_real_ones(make_app):
    for fast in (True, False):
        with make_app(ARGON2_FAST=fast).app_context():
            real = passwords.hash_password("a perfectly fine password")
            stand_in = passwords._stand_in(passwords._hasher())
            assert not passwords.verify_password(None, "a perfectly fine password")
        assert stand_in.rsplit("$", 2)[0] == real.rsplit("$", 2)[0]  # $argon2id$v=19$m=...,t=...,p=...


def test_a_reset_request_does_the_same_work_with_or_without_an_account(app, create_user, counted, outbox):
    user = create_user(R.RELATIVE)
    inactive = create_user(R.RELATIVE)
    inactive.active = False
    db.session.commit()

    work = {}
    for name, email in (
        ("account", user.email),
        ("no account", "nobody-here@example.org"),
        ("inactive account", inactive.email),
    ):
        counted.clear()
        services.request_password_reset(email)
        work[name] = dict(counted)

    assert work == dict.fromkeys(work, {"token hash": 1, "message written": 1})
    assert [message.to for message in outbox] == [user.email]
    assert db.session.scalars(select(AccountToken.user_id)).all() == [user.id]
    # Each request writes its event: the account's own, and two asked by nobody.
    events = select(UsageEvent.user_id).where(UsageEvent.name == "auth.password_reset.requested")
    assert db.session.scalars(events.order_by(UsageEvent.id)).all() == [user.id, None, None]


@pytest.fixture
def mail_dir(tmp_path, make_app) -> tuple[Flask, object]:
    app = make_app(MAIL_BACKEND="file", MAIL_FILE_DIR=str(tmp_path))
    return app, tmp_path


def test_the_reset_email_goes_through_the_outbox_after_the_response(mail_dir, create_user):
    app, directory = mail_dir
    with app.app_context():
        email = create_user(R.RELATIVE).email
    for asked, sent in (("nobody-here@example.org", 0), (email, 1)):
        client = app.test_client()
        response = post(client, "/password/forgot", {"email": asked}, token_from="/password/forgot")
        assert "Check your email" in response.get_data(as_text=True)
        response.close()
        assert list(directory.glob("*.eml")) == []  # the request sends nothing: the worker does
        with app.app_context():
            worker.deliver_due()
        assert len(list(directory.glob("*.eml"))) == sent
        for found in directory.glob("*.eml"):
            found.unlink()


def test_a_mail_server_failure_is_logged_by_the_worker_without_the_address(
    mail_dir, create_user, monkeypatch, caplog
):
    app, _directory = mail_dir
    with app.app_context():
        email = create_user(R.RELATIVE).email

    def fail(self, message):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(type(app.extensions["mail"]), "send", fail)
    # building the schema with Alembic's fileConfig turns it off
    monkeypatch.setattr(worker.log, "disabled", False)
    client = app.test_client()
    response = post(client, "/password/forgot", {"email": email}, token_from="/password/forgot")
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    response.close()
    with caplog.at_level(logging.WARNING, logger="react_toolkit.notifications.worker"), app.app_context():
        assert worker.deliver_due().retried == 1
    assert "not delivered (ConnectionRefusedError)" in caplog.text
    assert email not in caplog.text
