"""Notification fixtures: the forum's app, people and categories (a reply is the busiest notice)."""

from __future__ import annotations

import pytest

from tests.forum.conftest import app, categories, people  # noqa: F401 - fixtures shared with the forum tests


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "forum_config(**settings): build the test's app with these settings")
