"""Time helpers: store UTC, show Europe/London."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Set only by `simulated_time`, which `flask react simulate` uses to write a
# realistic history through the app's own services.
_simulated: ContextVar[datetime | None] = ContextVar("simulated_time", default=None)


def now() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return _simulated.get() or datetime.now(UTC)


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
