"""`flask react simulate` writes a history through the services; its figures agree with what it made."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import Invitation, User, UserRole
from react_toolkit.config import BASE_DIR
from react_toolkit.dashboard import figures
from react_toolkit.dashboard.models import RollupMonth
from react_toolkit.dashboard.simulate import simulate
from react_toolkit.extensions import db
from react_toolkit.forum.models import Post
from react_toolkit.forum.services import seed_categories
from react_toolkit.modules.services import sync_content
from react_toolkit.organisations.models import Site
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import PAGE_VIEWED

pytestmark = pytest.mark.dates


def count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def test_simulation_goes_through_the_services(app):
    sync_content(BASE_DIR / "content")
    seed_categories()
    db.session.commit()
    report = simulate(months=3, sites=1, seed=7)
    relatives = select(User.id).where(
        select(UserRole).where(UserRole.user_id == User.id, UserRole.role == R.RELATIVE).exists()
    )
    assert report.relatives == count(relatives) > 0
    # Every relative joined through an invitation that a clinician sent.
    assert count(select(Invitation.id).where(Invitation.accepted_by_id.is_not(None))) == report.relatives
    assert report.invitations == count(select(Invitation.id))
    # The domain events are the services' own.
    names = set(db.session.scalars(select(UsageEvent.name).distinct()))
    assert {
        "auth.invitation.sent",
        "auth.registration.completed",
        "modules.section.viewed",
        PAGE_VIEWED,
    } <= names
    assert report.page_views == count(select(UsageEvent.id).where(UsageEvent.name == PAGE_VIEWED))
    assert report.events == count(select(UsageEvent.id))
    assert report.posts == count(select(Post.id)) > 0
    # It leaves the roll-ups fresh, and the dashboard agrees with what was made.
    assert count(select(RollupMonth.month)) >= 3
    scope = figures.Scope(None)
    period = figures.Period.parse(None, None, figures.earliest_month(scope))
    _, _, total = figures.uptake(period, scope)
    assert total.registered == report.relatives
    assert total.invites == report.invitations
    # Page views carry ids and route templates only.
    routes = set(
        db.session.scalars(select(UsageEvent.route).where(UsageEvent.name == PAGE_VIEWED).distinct())
    )
    assert routes and all(route.startswith("/") and "?" not in route for route in routes)


def test_simulation_reaches_the_number_of_events_asked_for(app):
    report = simulate(months=2, sites=1, events=15_000, seed=3)
    assert abs(report.events - 15_000) / 15_000 < 0.05
    assert report.events == count(select(UsageEvent.id))


def test_simulation_never_runs_in_production(app):
    app.config["PRODUCTION"] = True
    result = app.test_cli_runner().invoke(args=["react", "simulate", "--months", "1"])
    assert result.exit_code != 0 and "never" in result.output


def test_once_adds_a_simulated_history_only_the_first_time(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["react", "simulate", "--months", "1", "--sites", "1", "--once"])
    assert first.exit_code == 0 and "Added 1 trusts" in first.output
    second = runner.invoke(args=["react", "simulate", "--months", "1", "--sites", "1", "--once"])
    assert second.exit_code == 0 and "nothing added" in second.output
    assert db.session.scalar(select(func.count()).select_from(Site)) == 1
