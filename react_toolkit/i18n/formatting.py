"""Dates and times in UK time, worded for the page's language: '21 November 2026 at 9:05pm'."""

from __future__ import annotations

from datetime import date, datetime

from babel import dates
from flask_babel import get_locale, gettext

from react_toolkit.timeutil import local, now

# Welsh writes the wide forms of the day periods (9:05yh); English the abbreviated ones (9:05pm).
TIME_PATTERNS = {"cy": "h:mmaaaa"}


def _locale() -> str:
    return str(get_locale() or "en")


def format_date(value: date | datetime | None) -> str:
    """'21 November 2026' ('21 Tachwedd 2026' in Welsh)."""
    shown = local(value) if isinstance(value, datetime) else value
    return dates.format_date(shown, "d MMMM y", locale=_locale()) if shown else ""


def format_datetime(value: datetime | None) -> str:
    """'21 November 2026 at 9:05pm', the NHS style ('21 Tachwedd 2026 am 9:05yh' in Welsh)."""
    shown = local(value)
    if shown is None:
        return ""
    locale = _locale()
    time = dates.format_time(shown, TIME_PATTERNS.get(locale, "h:mma"), locale=locale).lower()
    return gettext("%(date)s at %(time)s", date=format_date(shown), time=time)


def format_short_time(value: datetime | None) -> str:
    """'9am' on the hour, '2:14am' otherwise, in UK time ('9yb', '2:14yb' in Welsh)."""
    shown = local(value)
    if shown is None:
        return ""
    locale = _locale()
    pattern = TIME_PATTERNS.get(locale, "h:mma")
    if shown.minute == 0:
        pattern = pattern.replace(":mm", "")
    return dates.format_time(shown, pattern, locale=locale).lower()


def format_weekday_date(value: datetime | None) -> str:
    """'Saturday 5 December' in UK time, with the year only when it is not this year."""
    shown = local(value)
    if shown is None:
        return ""
    pattern = "EEEE d MMMM" if shown.year == local(now()).year else "EEEE d MMMM y"
    return dates.format_date(shown, pattern, locale=_locale())


def format_month(value: date | None) -> str:
    """'November 2026'."""
    return dates.format_date(value, "MMMM y", locale=_locale()) if value else ""


def format_short_month(value: date | None) -> str:
    """'Nov 2026', for chart labels."""
    return dates.format_date(value, "MMM y", locale=_locale()) if value else ""


def format_long_date(value: date | None) -> str:
    """'Friday 25 December 2026'."""
    return dates.format_date(value, "EEEE d MMMM y", locale=_locale()) if value else ""
