"""One clock: the app reads the time only through `timeutil`, and tests set it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from react_toolkit import timeutil
from react_toolkit.dashboard.simulate import _months_before
from tests.conftest import SUITE_NOW, TEST_DATES, suite_now

pytestmark = pytest.mark.dates

PACKAGE = Path(timeutil.__file__).parent
# Reading the system clock anywhere else would slip past the clock that tests set.
SYSTEM_CLOCK = re.compile(r"datetime\.now\(|datetime\.utcnow\(|date\.today\(|time\.time\(")


def test_only_timeutil_reads_the_system_clock():
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "timeutil.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if SYSTEM_CLOCK.search(line)
    ]
    assert offenders == []


def test_the_suite_runs_on_its_own_clock(clock):
    started = timeutil.now()
    assert timedelta(0) <= started - clock.start < timedelta(minutes=5)
    if not TEST_DATES and suite_now() == SUITE_NOW:
        assert started.date() == SUITE_NOW.date()


def test_a_set_clock_stands_still_until_moved(clock):
    moment = datetime(2027, 3, 28, 0, 59, tzinfo=UTC)
    clock.set(moment)
    assert timeutil.now() == moment
    assert timeutil.today().isoformat() == "2027-03-28"
    clock.advance(minutes=2)
    assert timeutil.now() == moment + timedelta(minutes=2)
    # 01:01 UTC is 02:01 in London: the clocks have gone forward.
    assert timeutil.local(timeutil.now()).hour == 2


def test_today_is_the_date_in_london(clock):
    clock.set(datetime(2027, 5, 31, 23, 30, tzinfo=UTC))  # half past midnight on 1 June in London
    assert timeutil.today().isoformat() == "2027-06-01"


def test_simulated_time_wins_over_the_set_clock(clock):
    clock.set(datetime(2027, 1, 1, tzinfo=UTC))
    inside = datetime(2026, 6, 1, 12, tzinfo=UTC)
    with timeutil.simulated_time(inside):
        assert timeutil.now() == inside
    assert timeutil.now() == datetime(2027, 1, 1, tzinfo=UTC)


def test_the_clock_needs_a_time_zone():
    with pytest.raises(ValueError):
        timeutil.set_clock(datetime(2027, 1, 1))


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        ("2026-12-07 10:00", 2, "2026-10-07 10:00"),
        ("2027-03-31 23:59", 1, "2027-02-28 23:59"),
        ("2028-03-30 12:00", 1, "2028-02-29 12:00"),
        ("2027-01-01 00:00", 12, "2026-01-01 00:00"),
    ],
)
def test_a_simulated_history_reaches_back_whole_months(moment, months, expected):
    start = datetime.fromisoformat(moment).replace(tzinfo=UTC)
    assert _months_before(start, months) == datetime.fromisoformat(expected).replace(tzinfo=UTC)
