"""Adoption figures: training beside invitations, progress against targets, and NoMAD results.

NoMAD results are means of answers, per team and per trust, for each wave. A mean, and the
count of people who answered, follow the dashboard's small-number rule: fewer than 5 people are
shown as "<5" and their mean is not shown, and a team's count is hidden beside a small one when the
trust's total would give it away (Presenter.protect).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from react_toolkit.adoption import learning, nomad, services
from react_toolkit.adoption.models import NomadResponse, NomadWave, StaffModuleCompletion, TeamTarget
from react_toolkit.adoption.permissions import may_keep_team_log
from react_toolkit.dashboard.figures import Period, Scope, earliest_month, uptake
from react_toolkit.dashboard.permissions import SMALL_COUNT
from react_toolkit.dashboard.rollup import month_start, next_month
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Site, Team
from react_toolkit.timeutil import now

# Training ---------------------------------------------------------------------------------------


@dataclass
class Training:
    """A team's staff and how many finished the staff modules, beside its clinicians' invitations."""

    name: str
    site_name: str = ""
    team_id: int | None = None
    staff: int = 0
    trained_any: int = 0
    trained_all: int = 0
    clinicians: int = 0
    inviting_clinicians: int = 0
    invites: int = 0
    champions: list[str] = field(default_factory=list)

    def add(self, other: Training) -> None:
        for name in ("staff", "trained_any", "trained_all", "clinicians", "inviting_clinicians", "invites"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


TRAINING_COUNTS = ("staff", "trained_any", "trained_all", "clinicians", "inviting_clinicians", "invites")


def _completions(user_ids: list[int]) -> dict[int, int]:
    """How many of today's staff modules each person has finished."""
    slugs = [module.slug for module in learning.all_modules()]
    if not user_ids or not slugs:
        return {}
    rows = db.session.execute(
        select(StaffModuleCompletion.user_id, func.count())
        .where(StaffModuleCompletion.user_id.in_(user_ids), StaffModuleCompletion.module_slug.in_(slugs))
        .group_by(StaffModuleCompletion.user_id)
    ).all()
    return dict(rows)


def training(period: Period, scope: Scope) -> tuple[list[Training], list[Training], Training]:
    """(rows per team, rows per trust, the total): staff trained to date, and invitations in the period."""
    teams, sites, _total = uptake(period, scope)
    module_count = len(learning.all_modules())
    rows = []
    for row in teams:
        staff = services.team_staff(row.team_id)
        done = _completions([user.id for user in staff])
        rows.append(
            Training(
                name=row.name,
                site_name=row.site_name,
                team_id=row.team_id,
                staff=len(staff),
                trained_any=sum(1 for user in staff if done.get(user.id)),
                trained_all=sum(1 for user in staff if module_count and done.get(user.id) == module_count),
                clinicians=row.clinicians,
                inviting_clinicians=row.inviting_clinicians,
                invites=row.invites,
                champions=[user.full_name for user in services.champions_of(row.team_id)],
            )
        )
    site_rows = []
    for site in sites:
        total = Training(name=site.name)
        for row in rows:
            if row.site_name == site.name:
                total.add(row)
        site_rows.append(total)
    everyone = Training(name="")
    for row in rows:
        everyone.add(row)
    return rows, site_rows, everyone


def protect_training(show: Any, teams: list[Training], sites: list[Training], total: Training) -> None:
    if sites:
        groups = [(site, [team for team in teams if team.site_name == site.name]) for site in sites]
        groups.append((total, sites))
    else:
        groups = [(total, teams)]
    show.protect(groups, TRAINING_COUNTS)


def dashboard_figures(period: Period, scope: Scope) -> dict | None:
    """The dashboard's adoption section: training beside invitations, per team and trust."""
    teams, sites, total = training(period, scope)
    if not teams:
        return None
    return {
        "teams": teams,
        "sites": sites if len(sites) > 1 else [],
        "total": total,
        "modules": len(learning.all_modules()),
    }


# Targets ----------------------------------------------------------------------------------------


@dataclass
class Progress:
    """A team's offers and registrations to date as shares of its caseload, beside its targets."""

    team: Team
    target: TeamTarget | None
    caseload: int | None
    relatives_invited: int
    registered: int

    def _share(self, count: int) -> float | None:
        return None if not self.caseload else 100 * count / self.caseload

    @property
    def offered_percent(self) -> float | None:
        return self._share(self.relatives_invited)

    @property
    def registered_percent(self) -> float | None:
        return self._share(self.registered)

    def met(self, name: str) -> bool | None:
        """Whether the share reached its target; None without a target or a caseload."""
        goal = getattr(self.target, f"{name}_percent", None) if self.target else None
        share = getattr(self, f"{name}_percent")
        if goal is None or share is None:
            return None
        return share >= goal


def progress(teams: list[Team], last_day: date | None = None) -> list[Progress]:
    """Each team's progress since the start, to the end of the month containing `last_day` (today)."""
    if not teams:
        return []
    month = month_start(last_day or now())
    scope = Scope(tuple(sorted({team.site_id for team in teams})))
    period = Period(min(earliest_month(scope), month), next_month(month))
    rows = {row.team_id: row for row in uptake(period, scope)[0]}
    found = []
    for team in teams:
        row = rows.get(team.id)
        found.append(
            Progress(
                team=team,
                target=services.target_of(team.id),
                caseload=team.caseload,
                relatives_invited=row.relatives_invited if row else 0,
                registered=row.registered if row else 0,
            )
        )
    return found


# NoMAD results ----------------------------------------------------------------------------------


@dataclass
class Result:
    """The answers of one group (a team or a trust) in one wave."""

    name: str
    respondents: int = 0
    construct_means: dict[str, float | None] = field(default_factory=dict)
    item_means: dict[str, float | None] = field(default_factory=dict)
    item_counts: dict[str, int] = field(default_factory=dict)


def _mean(values: list[int]) -> float | None:
    """A mean of at least SMALL_COUNT answers; None otherwise, so no figure rests on a few people."""
    return sum(values) / len(values) if len(values) >= SMALL_COUNT else None


def _result(name: str, answer_sets: list[dict]) -> Result:
    survey = nomad.survey()
    result = Result(name, respondents=len(answer_sets))
    for item in survey.items:
        values = [
            nomad.scored(item, answers[item.key])
            for answers in answer_sets
            if answers.get(item.key, nomad.NOT_RELEVANT) != nomad.NOT_RELEVANT
        ]
        result.item_counts[item.key] = len(values)
        result.item_means[item.key] = _mean(values)
    for construct in survey.constructs:
        # A person's construct score is the mean of their relevant answers to its statements.
        scores = []
        for answers in answer_sets:
            values = [
                nomad.scored(item, answers[item.key])
                for item in survey.items_of(construct.key)
                if answers.get(item.key, nomad.NOT_RELEVANT) != nomad.NOT_RELEVANT
            ]
            if values:
                scores.append(sum(values) / len(values))
        result.construct_means[construct.key] = (
            sum(scores) / len(scores)
            if len(scores) >= SMALL_COUNT and result.respondents >= SMALL_COUNT
            else None
        )
    if result.respondents < SMALL_COUNT:
        result.item_means = dict.fromkeys(result.item_means)
    return result


@dataclass
class WaveResults:
    wave: NomadWave
    teams: list[Result]
    trust: Result


def nomad_results(site: Site) -> list[WaveResults]:
    """Every wave of a trust, oldest first, with each team's results and the trust's."""
    teams = list(
        db.session.scalars(
            select(Team).where(Team.site_id == site.id, Team.national.is_(False)).order_by(Team.name)
        )
    )
    found = []
    for wave in services.waves_of(site.id):
        responses = db.session.execute(
            select(NomadResponse.team_id, NomadResponse.answers).where(NomadResponse.wave_id == wave.id)
        ).all()
        team_results = [
            _result(team.name, [answers for team_id, answers in responses if team_id == team.id])
            for team in teams
        ]
        found.append(
            WaveResults(wave, team_results, _result(site.name, [answers for _t, answers in responses]))
        )
    return found


def protect_results(show: Any, results: list[WaveResults]) -> None:
    """Hide team counts beside a small one where the trust's count would give it away."""
    show.protect([(wave.trust, wave.teams) for wave in results], ("respondents",))


def respondents(wave: NomadWave) -> int:
    return db.session.scalar(select(func.count()).where(NomadResponse.wave_id == wave.id)) or 0


# The monthly team report ------------------------------------------------------------------------


def report_part(team: Team, month: date, viewer: Any) -> dict | None:
    """What the team's monthly report adds: targets and progress, champions, and the month's log."""
    return {
        "progress": progress([team], month)[0],
        "champions": services.champions_of(team.id),
        "log": services.log_of(team.id, month, next_month(month))
        if may_keep_team_log(viewer, team)
        else None,
        "team": team,
    }
