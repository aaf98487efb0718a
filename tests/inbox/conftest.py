"""The inbox tests move the suite's clock on by hours between one person's requests."""

from __future__ import annotations

import pytest


@pytest.fixture
def clock(clock, app):
    """The suite's clock, with sessions kept from idling out while it jumps.

    tests/auth/test_sessions.py tests that sessions do end; here they only get in the way.
    """
    app.config.update(SESSION_IDLE_MINUTES=7 * 24 * 60, SESSION_ABSOLUTE_HOURS=7 * 24)
    return clock
