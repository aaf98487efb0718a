"""The dashboard's outcome figures: who was offered and answered each time point, and the change since joining.

Counted for relatives who registered in the period, per team and for everyone in scope. A time
point counts as offered once its window has opened, and as completed when every routine
questionnaire was answered at it. The mean change from the first answers to those at 12 and 24
weeks, with its 95% confidence interval (t distribution, from `scipy.special`: `scipy.stats` would
hold about 100 MB in every worker), is shown only when at least MIN_PEOPLE
relatives answered both: no figure ever rests on one person's score.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import User, UserRole
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Site, Team
from react_toolkit.outcomes import instruments, schedule
from react_toolkit.outcomes.models import MeasureAnswer
from react_toolkit.timeutil import today

MIN_PEOPLE = 5


@dataclass(frozen=True)
class Change:
    n: int
    mean: float | None = None
    lower: float | None = None
    upper: float | None = None

    @classmethod
    def of(cls, differences: list[int]) -> Change:
        n = len(differences)
        if n < MIN_PEOPLE:
            return cls(n)
        from scipy.special import stdtrit  # about 30 MB, so loaded by the first figure that needs it

        mean = sum(differences) / n
        sd = math.sqrt(sum((d - mean) ** 2 for d in differences) / (n - 1))
        half = float(stdtrit(n - 1, 0.975)) * sd / math.sqrt(n)
        return cls(n, mean, mean - half, mean + half)


@dataclass
class Row:
    name: str
    site_name: str = ""
    offered: dict[str, int] = field(default_factory=dict)
    completed: dict[str, int] = field(default_factory=dict)
    changes: dict[tuple[str, str], Change] = field(default_factory=dict)  # (instrument, time point)


def _row(name: str, site_name: str, people: list[tuple[int, object]], answers: dict, routine: list) -> Row:
    """Figures for a group of relatives, each (id, registered_at); `answers` maps id -> {(instrument, tp): total}."""
    on = today()
    row = Row(name, site_name)
    keys = [instrument.key for instrument in routine]
    for point in schedule.TIME_POINTS:
        opened = [
            uid
            for uid, registered in people
            if schedule.registration_day(registered) + timedelta(days=point.opens) <= on
        ]
        row.offered[point.key] = len(opened)
        row.completed[point.key] = sum(
            1 for uid in opened if keys and all((key, point.key) in answers.get(uid, {}) for key in keys)
        )
    for instrument in routine:
        for point in schedule.FOLLOW_UPS:
            differences = [
                scores[(instrument.key, point.key)] - scores[(instrument.key, "baseline")]
                for uid, _registered in people
                if (scores := answers.get(uid, {}))
                and (instrument.key, "baseline") in scores
                and (instrument.key, point.key) in scores
            ]
            row.changes[(instrument.key, point.key)] = Change.of(differences)
    return row


def figures(period, scope) -> dict | None:
    """The section's figures for relatives who registered in the period, in the sites in scope."""
    routine = instruments.routine()
    if not routine:
        return None
    relatives = select(UserRole.user_id).where(UserRole.role == R.RELATIVE)
    people = db.session.execute(
        select(User.id, User.created_at, User.team_id, User.site_id).where(
            User.id.in_(relatives), period.contains(User.created_at), scope.where(User.site_id)
        )
    ).all()
    answers: dict[int, dict[tuple[str, str], int]] = {}
    ids = [person.id for person in people]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for uid, instrument, time_point, total in db.session.execute(
            select(
                MeasureAnswer.user_id,
                MeasureAnswer.instrument,
                MeasureAnswer.time_point,
                MeasureAnswer.total,
            )
            .where(MeasureAnswer.user_id.in_(chunk), MeasureAnswer.time_point != schedule.EXTRA)
            .order_by(MeasureAnswer.completed_at, MeasureAnswer.id)
        ):
            answers.setdefault(uid, {}).setdefault((instrument, time_point), total)  # the first answer counts
    teams = db.session.execute(
        select(Team.id, Team.name, Site.name)
        .join(Site)
        .where(scope.where(Team.site_id))
        .order_by(Site.name, Team.name)
    ).all()
    rows = []
    for team_id, team_name, site_name in teams:
        members = [(p.id, p.created_at) for p in people if p.team_id == team_id]
        rows.append(_row(team_name, site_name, members, answers, routine))
    sites = db.session.execute(
        select(Site.id, Site.name).where(scope.where(Site.id)).order_by(Site.name)
    ).all()
    site_rows = [
        _row(site_name, "", [(p.id, p.created_at) for p in people if p.site_id == site_id], answers, routine)
        for site_id, site_name in sites
    ]
    total = _row("", "", [(p.id, p.created_at) for p in people], answers, routine)
    return {
        "instruments": routine,
        "time_points": schedule.TIME_POINTS,
        "follow_ups": schedule.FOLLOW_UPS,
        "teams": rows,
        "sites": site_rows if len(site_rows) > 1 else [],
        "total": total,
        "min_people": MIN_PEOPLE,
    }
