"""Forum fixtures: an app with per-test forum settings, and the seeded categories.

Mark a test with ``@pytest.mark.forum_config(FORUM_PAGE_SIZE=5, ...)`` to build its app
(and so `client`, `login`, the factories and `outbox`) with those settings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.forum import services
from react_toolkit.forum.models import ForumCategory


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "forum_config(**settings): build the test's app with these settings")


@pytest.fixture
def app(make_app: Callable[..., Flask], request: pytest.FixtureRequest) -> Iterator[Flask]:
    marker = request.node.get_closest_marker("forum_config")
    app = make_app(**(marker.kwargs if marker else {}))
    with app.app_context():
        yield app


@pytest.fixture
def categories(app: Flask) -> dict[str, ForumCategory]:
    services.seed_categories()
    db.session.commit()
    return {c.slug: c for c in db.session.scalars(select(ForumCategory))}


@pytest.fixture
def people(app: Flask, create_user, login, categories) -> dict:
    """An author, another relative and a moderator, each with their own signed-in client."""
    author, other, moderator = create_user(), create_user(), create_user("moderator")
    return {
        "author": author,
        "other": other,
        "moderator": moderator,
        "author_client": login(author, the_client=app.test_client()),
        "other_client": login(other, the_client=app.test_client()),
        "moderator_client": login(moderator, the_client=app.test_client()),
    }
