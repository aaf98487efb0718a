"""Audit and feedback: a monthly report per team, and reminders to staff who have stopped inviting.

The report sets a team's uptake beside the other teams of its trust and the
national figures, for one month and since the start. Reminders go by email to
staff who can invite relatives and have not done so in the last 30 days, at
most once a calendar month each, however many hosts run the command.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from react_toolkit import signals
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import Invitation, User, UserRole
from react_toolkit.dashboard.figures import Period, Scope, Uptake, earliest_month, uptake
from react_toolkit.dashboard.models import StaffReminder
from react_toolkit.dashboard.rollup import month_start, next_month
from react_toolkit.extensions import db
from react_toolkit.i18n import language_of
from react_toolkit.notifications import services as notifications
from react_toolkit.organisations.models import Team
from react_toolkit.timeutil import now

log = logging.getLogger(__name__)

QUIET_DAYS = 30


@dataclass
class Comparison:
    """One period's uptake: this team, each other team of its trust, the trust and the nation."""

    period: Period
    team: Uptake
    others: list[Uptake]
    trust: Uptake
    national: Uptake


@dataclass
class TeamReport:
    team: Team
    month: date
    this_month: Comparison
    to_date: Comparison


def last_full_month() -> date:
    this_month = month_start(now())
    return month_start(this_month - timedelta(days=1))


def _compare(team: Team, period: Period) -> Comparison:
    # One pass over every trust: the team's own trust is a part of the national figures.
    every_team, sites, national = uptake(period, Scope(None))
    national.name = "All trusts"
    teams = [row for row in every_team if row.site_name == team.site.name]
    mine = next(row for row in teams if row.team_id == team.id)
    trust = next((row for row in sites if row.name == team.site.name), Uptake(name=team.site.name))
    return Comparison(period, mine, [row for row in teams if row.team_id != team.id], trust, national)


def team_report(team: Team, month: date) -> TeamReport:
    start = min(earliest_month(Scope(None)), month)
    return TeamReport(
        team=team,
        month=month,
        this_month=_compare(team, Period(month, next_month(month))),
        to_date=_compare(team, Period(start, next_month(month))),
    )


def _inviters():
    """Active, unerased staff who may invite relatives."""
    return select(User).where(
        User.active.is_(True),
        User.erased_at.is_(None),
        User.site_id.is_not(None),
        select(UserRole.user_id).where(UserRole.user_id == User.id, UserRole.role.in_(R.INVITERS)).exists(),
    )


def _last_invited():
    return (
        select(Invitation.invited_by_id, func.max(Invitation.created_at).label("last"))
        .group_by(Invitation.invited_by_id)
        .subquery()
    )


def quiet_staff(team: Team) -> list[tuple[User, object]]:
    """Staff of the team who have not invited anyone in the last 30 days, with when they last did."""
    last = _last_invited()
    cutoff = now() - timedelta(days=QUIET_DAYS)
    rows = db.session.execute(
        _inviters()
        .add_columns(last.c.last)
        .outerjoin(last, last.c.invited_by_id == User.id)
        .where(User.team_id == team.id, (last.c.last.is_(None)) | (last.c.last < cutoff))
        .order_by(User.full_name)
    ).all()
    return [(user, last_at) for user, last_at in rows]


def send_reminders() -> int:
    """Email each quiet member of staff once this calendar month; returns how many were sent."""
    last = _last_invited()
    cutoff = now() - timedelta(days=QUIET_DAYS)
    this_month = f"{now():%Y-%m}"
    already = select(StaffReminder.user_id).where(StaffReminder.month == this_month)
    candidates = db.session.scalars(
        _inviters()
        .outerjoin(last, last.c.invited_by_id == User.id)
        .where((last.c.last.is_(None)) | (last.c.last < cutoff), User.id.not_in(already))
        .order_by(User.id)
    ).all()
    config = current_app.config
    sent = 0
    for user in candidates:
        # Claim this month's reminder first: the unique (user, month) row lets one host win.
        # Its notice is written in the same transaction, so it exists once or not at all.
        try:
            db.session.add(StaffReminder(user_id=user.id, month=this_month, sent_at=now()))
            signals.staff_reminder_sent.send(None, object_type="user", object_id=user.id)
            with language_of(user):
                notifications.enqueue(
                    "dashboard.staff_reminder",
                    user=user,
                    subject=_("Inviting relatives to the %(service)s", service=config["SERVICE_NAME"]),
                    body=render_template(
                        "dashboard/email/reminder.txt",
                        user=user,
                        link=f"{config['BASE_URL']}/invitations/new",
                        days=QUIET_DAYS,
                    ),
                )
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        sent += 1
    return sent
