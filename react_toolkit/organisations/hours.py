"""Service-hours arithmetic: time counts only while a team's service is open.

Weekends (or any day without opening hours), bank holidays and the hours
outside the opening window do not count. Days are worked out in the team's own
timezone, so clock changes are handled.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from react_toolkit.core.content import load_yaml
from react_toolkit.extensions import db
from react_toolkit.organisations.models import BankHoliday, Team

HOLIDAYS_FILE = Path(__file__).parent / "data" / "bank-holidays.yaml"


def holidays_between(start: date, end: date) -> set[date]:
    return set(db.session.scalars(select(BankHoliday.day).where(BankHoliday.day.between(start, end))))


def _windows(team: Team, day: date, holidays: set[date]) -> list[tuple[datetime, datetime]]:
    if day in holidays:
        return []
    zone = team.zone
    return [
        (datetime.combine(day, slot.opens, zone), datetime.combine(day, slot.closes, zone))
        for slot in team.hours
        if slot.weekday == day.weekday()
    ]


def service_seconds(team: Team, start: datetime, end: datetime, holidays: set[date] | None = None) -> int:
    """Seconds of open service between two moments (0 if end is not after start)."""
    if end <= start:
        return 0
    zone = team.zone
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    if holidays is None:
        holidays = holidays_between(first, last)
    total = 0.0
    day = first
    while day <= last:
        for opens, closes in _windows(team, day, holidays):
            overlap = (min(closes, end) - max(opens, start)).total_seconds()
            if overlap > 0:
                total += overlap
        day += timedelta(days=1)
    return int(total)


def is_open(team: Team, moment: datetime, holidays: set[date] | None = None) -> bool:
    day = moment.astimezone(team.zone).date()
    if holidays is None:
        holidays = holidays_between(day, day)
    return any(opens <= moment < closes for opens, closes in _windows(team, day, holidays))


def next_opening(team: Team, moment: datetime, horizon_days: int = 21) -> datetime | None:
    """When the service next opens (now, if it is open), or None if it has no hours at all."""
    start = moment.astimezone(team.zone).date()
    holidays = holidays_between(start, start + timedelta(days=horizon_days))
    for offset in range(horizon_days + 1):
        for opens, closes in _windows(team, start + timedelta(days=offset), holidays):
            if closes > moment:
                return max(opens, moment)
    return None


def seed_bank_holidays(path: Path = HOLIDAYS_FILE) -> int:
    """Add the listed bank holidays the database does not have yet."""
    known = set(db.session.scalars(select(BankHoliday.day)))
    added = 0
    for entry in load_yaml(path.read_text(encoding="utf-8")) or []:
        if entry["day"] not in known:
            db.session.add(BankHoliday(day=entry["day"], name=entry["name"]))
            added += 1
    return added
