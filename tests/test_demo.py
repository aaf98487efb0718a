"""Demo data: one login per role, safe to load twice, never in production."""

from sqlalchemy import func, select

from react_toolkit.auth.models import Invitation, User
from react_toolkit.demo import DEMO_PASSWORD, ROLE_LOGINS
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Site, Team
from tests.conftest import post


def counts():
    return tuple(
        db.session.scalar(select(func.count()).select_from(model)) for model in (Site, Team, User, Invitation)
    )


def test_demo_loads_once_and_every_role_can_sign_in(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["react", "demo"]).exit_code == 0
    first = counts()
    assert runner.invoke(args=["react", "demo"]).exit_code == 0
    assert counts() == first
    sites, teams, users, invitations = first
    assert (sites, teams) == (2, 4)
    assert users >= 20 and invitations >= 10
    for email, _name, _roles, _forum in ROLE_LOGINS:
        client = app.test_client()
        response = post(
            client, "/sign-in", {"email": email, "password": DEMO_PASSWORD}, token_from="/sign-in"
        )
        assert response.status_code == 302, email


def test_demo_refused_in_production(app):
    app.config["PRODUCTION"] = True
    result = app.test_cli_runner().invoke(args=["react", "demo"])
    assert result.exit_code != 0
    assert "never loaded in production" in result.output
    assert counts()[0] == 0
