"""A database connection that dies during a request (a restart, a failover) never turns into a bare 500."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from react_toolkit.extensions import db

# Each test adds a route of its own.
pytestmark = pytest.mark.fresh_app


@pytest.fixture
def postgres_only(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("terminating a server connection needs PostgreSQL")


def test_a_connection_dropped_after_the_page_is_made_still_sends_the_page(app, postgres_only):
    url = db.engine.url

    def page_then_drop():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        other = create_engine(url)
        with other.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.dispose()
        return "<p>Your page</p>"

    app.add_url_rule("/test/page-then-drop", view_func=page_then_drop)
    client = app.test_client()

    response = client.get("/test/page-then-drop")

    assert response.status_code == 200
    assert "Your page" in response.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200


def test_a_connection_dropped_mid_request_gives_the_service_503_page(app, postgres_only):
    url = db.engine.url

    def drop_then_query():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        other = create_engine(url)
        with other.begin() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.dispose()
        db.session.execute(text("SELECT 1"))
        return "<p>Never shown</p>"

    app.add_url_rule("/test/drop-then-query", view_func=drop_then_query)
    client = app.test_client()

    response = client.get("/test/drop-then-query")

    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in page and "Traceback" not in page
    assert client.get("/healthz").status_code == 200
