"""The test suite's own database settings: cheaper commits for a throwaway PostgreSQL database only."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from react_toolkit.config import for_tests, from_environment
from react_toolkit.extensions import db

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def test_only_the_test_settings_let_postgresql_commit_without_waiting_for_the_disk():
    assert for_tests(POSTGRES)["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {
        "options": "-c synchronous_commit=off"
    }
    assert "connect_args" not in for_tests("sqlite:///test.sqlite3")["SQLALCHEMY_ENGINE_OPTIONS"]
    served = from_environment({"DATABASE_URL": POSTGRES, "REACT_ENV": "production"})
    assert "connect_args" not in served["SQLALCHEMY_ENGINE_OPTIONS"]


def test_the_test_database_on_postgresql_has_it(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL setting; SQLite has its own (WAL, synchronous=NORMAL)")
    with app.app_context():
        assert db.session.execute(text("SHOW synchronous_commit")).scalar() == "off"
