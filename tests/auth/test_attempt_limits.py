"""The per-account limit on wrong passwords holds across worker processes; a split per-address count is warned of.

Wrong passwords per account are counted in the database. Two apps built on one database stand
for two gunicorn workers, and the in-memory store of the per-address counts is emptied before
every attempt, as if each went to a worker that had counted nothing.
"""

from __future__ import annotations

import logging

import react_toolkit
from react_toolkit.auth import roles as R
from react_toolkit.extensions import limiter
from tests.conftest import PASSWORD, post


def sign_in(client, email: str, password: str, number: int):
    return post(
        client,
        "/sign-in",
        {"email": email, "password": password},
        token_from="/sign-in",
        environ_base={"REMOTE_ADDR": f"198.51.100.{number}"},
    )


def test_the_account_limit_holds_whichever_worker_answers(app, make_app, create_user):
    user = create_user(R.RELATIVE)
    workers = [app.test_client(), make_app().test_client()]
    for number in range(5):
        limiter.reset()
        assert sign_in(workers[number % 2], user.email, "a wrong guess", number).status_code == 401
    for number, worker in enumerate(workers, start=5):
        limiter.reset()
        refused = sign_in(worker, user.email, PASSWORD, number)
        assert refused.status_code == 429
        assert "You have tried to sign in too many times" in refused.get_data(as_text=True)
        assert worker.get("/account").status_code == 302


def test_memory_counts_split_between_worker_processes_are_warned_of(make_app, monkeypatch, caplog):
    monkeypatch.setattr(react_toolkit.log, "disabled", False)  # building the schema with Alembic turns it off
    with caplog.at_level(logging.WARNING, logger="react_toolkit"):
        make_app(WORKER_PROCESSES=1)
        make_app(WORKER_PROCESSES=3, RATELIMIT_STORAGE_URI="memory://")
    warnings = [record.getMessage() for record in caplog.records if record.name == "react_toolkit"]
    assert len(warnings) == 1
    assert "memory:// and 3 worker processes" in warnings[0]
    assert "redis://" in warnings[0]
