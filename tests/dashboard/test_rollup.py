"""Monthly roll-ups: sessions from raw page views, incremental refresh, pruning that keeps the monthly figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from react_toolkit.dashboard import figures, rollup
from react_toolkit.dashboard.models import MonthCount, RollupMonth, UserMonth
from react_toolkit.extensions import db
from react_toolkit.timeutil import simulated_time
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import PAGE_VIEWED, event_row

from .conftest import PERIOD, THREAD_ROUTE, at, views

pytestmark = pytest.mark.dates

ALL = figures.Scope(None)
NOW = "2026-11-22 12:00"


def user_month(user, month: date) -> UserMonth:
    return db.session.scalars(
        select(UserMonth).where(UserMonth.user_id == user.id, UserMonth.month == month)
    ).one()


def test_sessions_seconds_devices_and_forum_reads_per_person_month(history):
    report = rollup.refresh()
    assert report.months == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    march = user_month(history.r1, date(2026, 3, 1))
    assert (march.page_views, march.sessions, march.seconds) == (5, 2, 1800)
    assert (march.mobile_views, march.desktop_views, march.forum_views, march.relative) == (5, 0, 1, True)
    clinician = user_month(history.c1, date(2026, 3, 1))
    assert (clinician.relative, clinician.sessions, clinician.seconds) == (False, 1, 60)
    counts = db.session.execute(
        select(MonthCount.events, MonthCount.users).where(
            MonthCount.month == date(2026, 3, 1),
            MonthCount.name == PAGE_VIEWED,
            MonthCount.team_id == history.a1.id,
        )
    ).one()
    assert tuple(counts) == (7, 2)  # r1's five views and the clinician's two


def test_page_views_are_counted_by_language(history):
    r1 = history.r1
    db.session.execute(
        UsageEvent.__table__.insert(),
        [
            event_row(
                PAGE_VIEWED,
                at(moment),
                user_id=r1.id,
                roles="relative",
                site_id=r1.site_id,
                team_id=r1.team_id,
                route="/modules",
                device="mobile",
                language="cy",
                status=200,
            )
            for moment in ("2026-03-20 10:00", "2026-03-20 10:05")
        ],
    )
    db.session.commit()
    rollup.refresh()
    assert user_month(r1, date(2026, 3, 1)).welsh_views == 2
    languages = figures.use(PERIOD, ALL).languages
    assert languages["cy"] == 2
    assert languages["en"] + languages["cy"] == sum(figures.use(PERIOD, ALL).views.values())


def test_refresh_is_repeatable_and_picks_up_late_events(history):
    rollup.refresh()
    rollup.refresh()
    assert (
        db.session.scalar(select(func.count()).select_from(UserMonth)) == 5
    )  # r1 in March and April, r2, rb, c1
    assert rollup.refresh().months == []  # nothing new
    views(history.r1, "2026-03-30 10:00", "2026-03-30 10:10", route=THREAD_ROUTE)
    report = rollup.refresh()
    assert report.months == [date(2026, 3, 1)]
    march = user_month(history.r1, date(2026, 3, 1))
    assert (march.page_views, march.sessions, march.seconds, march.forum_views) == (7, 3, 2400, 3)


def test_prune_deletes_raw_rows_and_keeps_the_monthly_figures(history):
    rollup.refresh()
    before = (figures.reach(PERIOD, ALL), figures.use(PERIOD, ALL))
    with simulated_time(at(NOW)):
        report = rollup.prune(older_than_months=3)
    assert report.months == [date(2026, 3, 1), date(2026, 4, 1), date(2026, 5, 1)]
    assert report.deleted == 11
    assert db.session.scalar(select(func.count()).select_from(UsageEvent)) == 0
    assert (figures.reach(PERIOD, ALL), figures.use(PERIOD, ALL)) == before
    # A later full refresh never recomputes a pruned month from the (now missing) raw rows.
    rollup.refresh(full=True)
    assert (figures.reach(PERIOD, ALL), figures.use(PERIOD, ALL)) == before
    assert all(state.raw_pruned_at for state in db.session.scalars(select(RollupMonth)))


def test_prune_keeps_recent_months_raw(history):
    # On 22 November, "older than 1 month" means whole months that ended over a month ago:
    # September goes; October (ended 3 weeks ago) and November stay raw.
    views(history.r1, "2026-09-30 22:00", "2026-10-01 00:30", "2026-11-05 10:00")  # 23:00 BST: September
    with simulated_time(at(NOW)):
        report = rollup.prune(older_than_months=1)
    assert report.months[-1] == date(2026, 9, 1)
    remaining = sorted(moment.month for moment in db.session.scalars(select(UsageEvent.occurred_at)))
    assert remaining == [10, 11]
    september = user_month(history.r1, date(2026, 9, 1))
    assert september.page_views == 1


def test_prune_refuses_to_delete_everything(history):
    with pytest.raises(ValueError):
        rollup.prune(older_than_months=0)


def test_commands(history, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["react", "refresh-dashboard"])
    assert result.exit_code == 0 and "Recounted 3 month(s)" in result.output
    with simulated_time(at(NOW)):
        result = runner.invoke(args=["react", "prune-events", "--older-than", "3"])
    assert result.exit_code == 0, result.output
    assert "Deleted 11 raw events" in result.output and "March 2026" in result.output
    assert runner.invoke(args=["react", "prune-events", "--older-than", "0"]).exit_code != 0


def test_months_are_cut_at_midnight_in_london_not_utc(history):
    # 23:30 UTC on 31 May 2027 is 00:30 on 1 June in London (summer time); in January the clocks agree.
    views(history.r1, "2027-05-31 22:30", "2027-05-31 23:30", "2027-01-31 23:30")
    rollup.refresh()
    assert user_month(history.r1, date(2027, 5, 1)).page_views == 1
    assert user_month(history.r1, date(2027, 6, 1)).page_views == 1
    assert user_month(history.r1, date(2027, 1, 1)).page_views == 1
    assert rollup.starts_at(date(2027, 6, 1)).isoformat() == "2027-05-31T23:00:00+00:00"
    assert rollup.starts_at(date(2027, 1, 1)).isoformat() == "2027-01-01T00:00:00+00:00"


def test_a_visit_over_midnight_at_the_end_of_a_month_is_one_session_and_keeps_its_time(history):
    # Saturday 31 October 2026 is in winter time, so UTC is London time.
    views(history.r1, "2026-10-31 23:50", "2026-10-31 23:55", "2026-11-01 00:05", "2026-11-01 00:10")
    rollup.refresh()
    october = user_month(history.r1, date(2026, 10, 1))
    november = user_month(history.r1, date(2026, 11, 1))
    assert (october.page_views, october.sessions, october.seconds) == (2, 1, 300)
    assert (november.page_views, november.sessions, november.seconds) == (2, 0, 900)
    # A visit that starts after a real break is a new session, at either side of midnight.
    views(history.r2, "2026-10-31 23:00", "2026-11-01 00:05")
    rollup.refresh(full=True)
    assert user_month(history.r2, date(2026, 11, 1)).sessions == 1
