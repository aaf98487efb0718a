"""When the routine questionnaires are offered: at registration, then at 12 and 24 weeks.

Each later time point has a window of two weeks either side; the baseline is open for the first
two weeks after registration. Days are counted in UK days from the day the relative registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from react_toolkit.timeutil import local, today

WINDOW_DAYS = 14
EXTRA = "extra"  # answered when no time point was open or left to answer


@dataclass(frozen=True)
class TimePoint:
    key: str
    label: str
    day: int  # days after registration it falls due
    opens: int  # first day of its window
    closes: int  # last day of its window

    def window(self, registered: date) -> tuple[date, date]:
        return registered + timedelta(days=self.opens), registered + timedelta(days=self.closes)


TIME_POINTS: tuple[TimePoint, ...] = (
    TimePoint("baseline", _l("When you joined"), 0, 0, WINDOW_DAYS),
    TimePoint("week12", _l("12 weeks"), 84, 84 - WINDOW_DAYS, 84 + WINDOW_DAYS),
    TimePoint("week24", _l("24 weeks"), 168, 168 - WINDOW_DAYS, 168 + WINDOW_DAYS),
)
BY_KEY = {point.key: point for point in TIME_POINTS}
FOLLOW_UPS = tuple(point for point in TIME_POINTS if point.key != "baseline")


def label(key: str) -> str:
    point = BY_KEY.get(key)
    return str(point.label) if point else str(_l("Between time points"))


def registration_day(registered_at: datetime) -> date:
    return local(registered_at).date()


def days_since(registered_at: datetime, on: date | None = None) -> int:
    return ((on or today()) - registration_day(registered_at)).days


def open_now(registered_at: datetime, on: date | None = None) -> TimePoint | None:
    """The time point whose window is open on this day, if any."""
    days = days_since(registered_at, on)
    return next((point for point in TIME_POINTS if point.opens <= days <= point.closes), None)


def placing(registered_at: datetime, answered: set[str], on: date | None = None) -> tuple[str, bool]:
    """Which time point an answer given today belongs to, and whether it falls in that point's window.

    An answer in an open window belongs to that time point. Otherwise it belongs to the latest
    time point already past that has not been answered (late, out of its window), or, when every
    one so far is answered, to none ("extra").
    """
    days = days_since(registered_at, on)
    point = open_now(registered_at, on)
    if point is not None and point.key not in answered:
        return point.key, True
    started = [point for point in TIME_POINTS if point.opens <= days and point.key not in answered]
    if started:
        return started[-1].key, False
    return EXTRA, False


def next_due(
    registered_at: datetime, answered: set[str], on: date | None = None
) -> tuple[TimePoint, date] | None:
    """The next time point not answered whose window has not closed, with the day its window opens."""
    registered = registration_day(registered_at)
    days = days_since(registered_at, on)
    for point in TIME_POINTS:
        if point.key not in answered and days <= point.closes:
            return point, registered + timedelta(days=point.opens)
    return None
