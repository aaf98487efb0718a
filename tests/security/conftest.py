"""Fixtures for the security sweep: an app with settings that let a test reach every route, and a world.

The app turns on site-only forum categories (so a slug can belong to one trust) and lifts the forum's
posting limits and first-post hold (so posts are published at once). Mark a test with
``@pytest.mark.security_config(SETTING=value, ...)`` to build its app with more settings.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from react_toolkit.config import BASE_DIR
from tests.security.world import World, build_world

SETTINGS = {
    "FORUM_SITE_CATEGORIES": True,
    "FORUM_FIRST_POSTS_HELD": 0,
    "FORUM_POST_INTERVAL_SECONDS": 0,
    "FORUM_NEW_MEMBER_INTERVAL_SECONDS": 0,
    "FORUM_DAILY_POSTS": 10_000,
    "FORUM_NEW_MEMBER_DAILY_POSTS": 10_000,
    "REGISTRATION_LIMIT_ADDRESS": "10000 per hour",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "security_config(**settings): build the security test's app with these settings"
    )


@pytest.fixture
def app(make_app: Callable[..., Flask], request: pytest.FixtureRequest) -> Iterator[Flask]:
    marker = request.node.get_closest_marker("security_config")
    app = make_app(**{**SETTINGS, **(marker.kwargs if marker else {})})
    with app.app_context():
        yield app


@pytest.fixture(scope="session")
def content_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real module (with exercises) is enough for every module route, and loads in a blink."""
    directory = tmp_path_factory.mktemp("content")
    (directory / "modules").mkdir()
    shutil.copy(BASE_DIR / "content/modules/01-how-to-use-the-toolkit.md", directory / "modules")
    return directory


@pytest.fixture
def world(app: Flask, create_team, create_user, outbox, content_dir: Path) -> World:
    return build_world(create_team, create_user, outbox, content_dir)


@pytest.fixture
def sqlite_only(database_url: str) -> None:
    """Skips a test on PostgreSQL: for checks of rendering, which does not depend on the database."""
    if not database_url.startswith("sqlite"):
        pytest.skip("rendering does not depend on the database: the corpus runs once, on SQLite")
