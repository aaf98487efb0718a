"""Time helpers: store UTC, show Europe/London.

Everything in the app that needs "now" asks `now()` (or `today()`), never the system
clock directly, so one setting moves the whole app in time: `simulated_time` for
`flask react simulate`, and `set_clock` for the test suite.
"""

from __future__ import annotations

import time as _time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Set only by `simulated_time`, which `flask react simulate` uses to write a
# realistic history through the app's own services.
_simulated: ContextVar[datetime | None] = ContextVar("simulated_time", default=None)


@dataclass(frozen=True)
class _SetClock:
    moment: datetime
    ticking: bool
    since: float  # monotonic seconds when it was set


# Set by `set_clock`: a process-wide clock (threads included, such as a test's live server).
_set_clock: _SetClock | None = None


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    simulated = _simulated.get()
    if simulated is not None:
        return simulated
    clock = _set_clock
    if clock is None:
        return datetime.now(UTC)
    if clock.ticking:
        return clock.moment + timedelta(seconds=_time.monotonic() - clock.since)
    return clock.moment


def today() -> date:
    """Today's date in UK time."""
    return now().astimezone(LONDON).date()


def set_clock(moment: datetime | None, *, ticking: bool = False) -> None:
    """Make `now()` answer `moment` from here on (ticking forward from it if asked); None undoes it."""
    global _set_clock
    if moment is None:
        _set_clock = None
        return
    if moment.tzinfo is None:
        raise ValueError("the clock must be set to a timezone-aware time")
    _set_clock = _SetClock(moment.astimezone(UTC), ticking, _time.monotonic())


@contextmanager
def simulated_time(moment: datetime) -> Iterator[None]:
    """Within the block, `now()` answers `moment` (for building simulated histories)."""
    if moment.tzinfo is None:
        raise ValueError("simulated time must be timezone-aware")
    token = _simulated.set(moment.astimezone(UTC))
    try:
        yield
    finally:
        _simulated.reset(token)


def local(value: datetime | None, zone: ZoneInfo = LONDON) -> datetime | None:
    """A stored UTC time converted for display."""
    return value.astimezone(zone) if value else None


def format_datetime(value: datetime | None) -> str:
    """'21 November 2026 at 9:05pm', the NHS style for dates and times."""
    shown = local(value)
    if shown is None:
        return ""
    hour = shown.strftime("%I").lstrip("0")
    return f"{shown.day} {shown:%B %Y} at {hour}:{shown:%M}{shown:%p}".replace("AM", "am").replace("PM", "pm")


def format_date(value: datetime | None) -> str:
    """'21 November 2026'."""
    shown = local(value) if isinstance(value, datetime) else value
    return f"{shown.day} {shown:%B %Y}" if shown else ""
