"""Roll raw usage events up into monthly tables, and prune raw rows once rolled up.

Everything here runs as SQL inside the database: events are never loaded into
Python. A month is recomputed whole (delete, then insert from a select), so a
refresh can be repeated safely, and two hosts running it at once take turns.

Months are UK months: a month runs from midnight on its first day in London,
so the first hour of June in British Summer Time (still May in UTC) is June's.

Sessions: a person's page views, in time order, belong to one session until a
gap of 30 minutes or more (the idle time after which the app signs people out).
Time on site is the sum of the gaps under 30 minutes, so the last page of a
session adds nothing: a deliberate under-count rather than a guess. A visit
that runs over midnight into a new month is one session, counted in the month
it began; the time between its last view before midnight and its first view
after is counted in the new month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Integer, and_, case, cast, delete, func, insert, literal, select, text

from react_toolkit.dashboard.models import MonthCount, RollupMonth, UserMonth
from react_toolkit.dashboard.sql import epoch_seconds
from react_toolkit.extensions import db
from react_toolkit.timeutil import LONDON, now
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import PAGE_VIEWED

SESSION_GAP_SECONDS = 30 * 60
FORUM_THREAD_ROUTE = "/forum/threads/<int:thread_id>"
_LOCK_KEY = 7_301_001  # any fixed number; names the roll-up lock on PostgreSQL


def month_start(moment: datetime | date) -> date:
    """The first day of the UK month `moment` falls in (a time is read on the clock in London)."""
    if isinstance(moment, datetime):
        moment = moment.astimezone(LONDON)
    return date(moment.year, moment.month, 1)


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def starts_at(month: date) -> datetime:
    """The moment, in UTC, a UK month begins: midnight on its first day in London."""
    return datetime(month.year, month.month, 1, tzinfo=LONDON).astimezone(UTC)


def _lock() -> None:
    """Let one roll-up or prune run at a time across every host (SQLite serialises writers itself)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def _user_months(month: date):
    """SELECT of one row per person for the month: views, sessions, seconds, devices, Welsh views, forum reads."""
    start, end = starts_at(month), starts_at(next_month(month))
    # Views from the half hour before the month are read too, so a visit running over midnight
    # carries on its session; they are dropped again once each view knows its gap.
    lookback = start - timedelta(seconds=SESSION_GAP_SECONDS)
    at = epoch_seconds(UsageEvent.occurred_at)
    previous = func.lag(at).over(
        partition_by=UsageEvent.user_id, order_by=(UsageEvent.occurred_at, UsageEvent.id)
    )
    is_relative = case((("," + UsageEvent.roles + ",").like("%,relative,%"), 1), else_=0)
    views = (
        select(
            UsageEvent.user_id.label("user_id"),
            UsageEvent.site_id.label("site_id"),
            UsageEvent.team_id.label("team_id"),
            UsageEvent.device.label("device"),
            UsageEvent.language.label("language"),
            UsageEvent.route.label("route"),
            is_relative.label("relative"),
            func.round(at - previous).label("gap"),  # julianday arithmetic is not exact
            case((UsageEvent.occurred_at >= start, 1), else_=0).label("in_month"),
        )
        .where(
            UsageEvent.name == PAGE_VIEWED,
            UsageEvent.user_id.is_not(None),
            UsageEvent.occurred_at >= lookback,
            UsageEvent.occurred_at < end,
        )
        .subquery()
    )
    gap = views.c.gap

    def count_if(condition):
        return func.sum(case((condition, 1), else_=0))

    return (
        select(
            literal(month).label("month"),
            views.c.user_id,
            (func.max(views.c.relative) == 1).label("relative"),
            func.max(views.c.site_id),
            func.max(views.c.team_id),
            func.count(),
            count_if(gap.is_(None) | (gap >= SESSION_GAP_SECONDS)),
            cast(func.coalesce(func.sum(case((gap < SESSION_GAP_SECONDS, gap), else_=0)), 0), Integer),
            count_if(views.c.device == "mobile"),
            count_if(views.c.device == "tablet"),
            count_if(views.c.device == "desktop"),
            count_if(views.c.language == "cy"),
            count_if(views.c.route == FORUM_THREAD_ROUTE),
        )
        .where(views.c.in_month == 1)
        .group_by(views.c.user_id)
    )


def refresh_month(month: date) -> int:
    """Recompute one month's roll-ups from its raw events; returns the number of events read."""
    start, end = starts_at(month), starts_at(next_month(month))
    in_month = and_(UsageEvent.occurred_at >= start, UsageEvent.occurred_at < end)
    db.session.execute(delete(UserMonth).where(UserMonth.month == month))
    db.session.execute(delete(MonthCount).where(MonthCount.month == month))
    db.session.execute(
        insert(UserMonth).from_select(
            [
                "month",
                "user_id",
                "relative",
                "site_id",
                "team_id",
                "page_views",
                "sessions",
                "seconds",
                "mobile_views",
                "tablet_views",
                "desktop_views",
                "welsh_views",
                "forum_views",
            ],
            _user_months(month),
        )
    )
    db.session.execute(
        insert(MonthCount).from_select(
            ["month", "name", "site_id", "team_id", "events", "users"],
            select(
                literal(month),
                UsageEvent.name,
                UsageEvent.site_id,
                UsageEvent.team_id,
                func.count(),
                func.count(UsageEvent.user_id.distinct()),
            )
            .where(in_month)
            .group_by(UsageEvent.name, UsageEvent.site_id, UsageEvent.team_id),
        )
    )
    last_id, events = db.session.execute(select(func.max(UsageEvent.id), func.count()).where(in_month)).one()
    state = db.session.get(RollupMonth, month)
    if state is None:
        state = RollupMonth(month=month)
        db.session.add(state)
    state.refreshed_at = now()
    state.last_event_id = last_id or 0
    state.events = events
    return events


@dataclass
class RefreshReport:
    months: list[date]
    events: int


def refresh(full: bool = False) -> RefreshReport:
    """Roll up every month that has events newer than the last roll-up (or every month, if `full`).

    Months whose raw rows were pruned are final and never recomputed.
    """
    _lock()
    pruned = set(db.session.scalars(select(RollupMonth.month).where(RollupMonth.raw_pruned_at.is_not(None))))
    watermark = (
        0 if full else db.session.scalar(select(func.coalesce(func.max(RollupMonth.last_event_id), 0)))
    )
    first, last = db.session.execute(
        select(func.min(UsageEvent.occurred_at), func.max(UsageEvent.occurred_at)).where(
            UsageEvent.id > watermark
        )
    ).one()
    months: list[date] = []
    if first is not None:
        month = month_start(first)
        while month <= month_start(last):
            if month not in pruned:
                months.append(month)
            month = next_month(month)
    # Months rolled up before but holding no new events keep their figures.
    events = sum(refresh_month(month) for month in months)
    db.session.commit()
    return RefreshReport(months=months, events=events)


def last_refreshed() -> datetime | None:
    return db.session.scalar(select(func.max(RollupMonth.refreshed_at)))


@dataclass
class PruneReport:
    months: list[date]
    deleted: int


def prune(older_than_months: int) -> PruneReport:
    """Roll up, then delete raw events from months wholly older than `older_than_months` ago."""
    if older_than_months < 1:
        raise ValueError("keep at least one month of raw events")
    refresh()
    _lock()
    cutoff = add_months(month_start(now()), -older_than_months)
    months = sorted(
        db.session.scalars(
            select(RollupMonth.month).where(RollupMonth.month < cutoff, RollupMonth.raw_pruned_at.is_(None))
        )
    )
    deleted = 0
    for month in months:
        # Anything that arrived after the roll-up is folded in before the rows go.
        refresh_month(month)
        result = db.session.execute(
            delete(UsageEvent).where(
                UsageEvent.occurred_at >= starts_at(month),
                UsageEvent.occurred_at < starts_at(next_month(month)),
            )
        )
        deleted += result.rowcount or 0
        db.session.get(RollupMonth, month).raw_pruned_at = now()
    db.session.commit()
    return PruneReport(months=months, deleted=deleted)
