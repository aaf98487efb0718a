"""The dashboard's figures, computed with grouped SQL for one period and one scope.

Page views come from the monthly roll-ups (see rollup.py), so they survive
pruning; everything else comes from the records the service keeps anyway
(invitations, accounts, progress, posts, conversations, the moderation queue).
Python only ever sees one row per team, per month, per relative or per
conversation, never one per event.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import String, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import aliased, contains_eager

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import Invitation, User, UserRole
from react_toolkit.dashboard.models import UserMonth
from react_toolkit.dashboard.rollup import add_months, month_start, next_month, starts_at
from react_toolkit.extensions import db
from react_toolkit.forum.models import Post, QueueItem
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.modules.models import Module, ModuleCompletion, SectionProgress
from react_toolkit.organisations.models import Site, Team
from react_toolkit.timeutil import now

# Statistics ------------------------------------------------------------------------------------


def quantile(values: list[float], q: float) -> float | None:
    """The q-th quantile with linear interpolation between ranks (as numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Spread:
    """Median and interquartile range (or 90th percentile) of some values, and how many there were."""

    n: int
    median: float | None
    lower: float | None
    upper: float | None
    p90: float | None

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(
            len(values),
            quantile(values, 0.5),
            quantile(values, 0.25),
            quantile(values, 0.75),
            quantile(values, 0.9),
        )


# Period and scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Whole UK calendar months, from `start` up to but not including `end`."""

    start: date
    end: date

    @property
    def start_at(self) -> datetime:
        return starts_at(self.start)

    @property
    def end_at(self) -> datetime:
        return starts_at(self.end)

    @property
    def last(self) -> date:
        return add_months(self.end, -1)

    def months(self) -> list[date]:
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month = next_month(month)
        return months

    def contains(self, column):
        return and_(column >= self.start_at, column < self.end_at)

    @classmethod
    def parse(cls, first: str | None, last: str | None, default_start: date) -> Period:
        """From 'YYYY-MM' strings; raises MonthError with words for the person and the box to fix."""
        this_month = month_start(now())
        start = _parse_month(first, "from") if first else default_start
        end = next_month(_parse_month(last, "to")) if last else next_month(this_month)
        if start >= end:
            raise MonthError(_("The first month must be before or the same as the last month"), "to")
        return cls(start, end)


class MonthError(ValueError):
    """A month that cannot be used: the words for the person, and which box ("from" or "to") to fix."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _parse_month(value: str, field: str) -> date:
    try:
        year, month = value.split("-")
        return date(int(year), int(month), 1)
    except ValueError as error:
        message = (
            _("Enter the first month like 2026-04")
            if field == "from"
            else _("Enter the last month like 2026-04")
        )
        raise MonthError(message, field) from error


@dataclass(frozen=True)
class Scope:
    """Which sites' figures are shown. `site_ids` None means every site."""

    site_ids: tuple[int, ...] | None

    def where(self, column):
        return literal(True) if self.site_ids is None else column.in_(self.site_ids)


# Uptake ----------------------------------------------------------------------------------------


@dataclass
class Uptake:
    """The study's uptake table, for one team, a site's teams together, or everyone in scope."""

    name: str
    site_name: str = ""
    team_id: int | None = None
    caseload: int | None = 0
    clinicians: int = 0
    inviting_clinicians: int = 0
    invites: int = 0
    relatives_invited: int = 0
    invites_accepted: int = 0
    invites_expired: int = 0
    invites_withdrawn: int = 0
    invites_by_email: int = 0
    invites_by_code: int = 0
    registered: int = 0
    days_to_first_sign_in: list[float] = field(default_factory=list)

    def add(self, other: Uptake) -> None:
        for name in (
            "clinicians",
            "inviting_clinicians",
            "invites",
            "relatives_invited",
            "invites_accepted",
            "invites_expired",
            "invites_withdrawn",
            "invites_by_email",
            "invites_by_code",
            "registered",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if self.caseload is not None:
            self.caseload = None if other.caseload is None else self.caseload + other.caseload
        self.days_to_first_sign_in.extend(other.days_to_first_sign_in)

    @property
    def days(self) -> Spread:
        return Spread.of(self.days_to_first_sign_in)


def teams_in(scope: Scope) -> list[Team]:
    """The teams in scope, by trust then name, each with its trust loaded by the same query."""
    return list(
        db.session.scalars(
            select(Team)
            .join(Site)
            .options(contains_eager(Team.site))
            .where(scope.where(Team.site_id))
            .order_by(Site.name, Team.name)
        )
    )


def _has_role(role: str, user_column):
    return select(UserRole.user_id).where(UserRole.user_id == user_column, UserRole.role == role).exists()


def _relative_key(accepted_by):
    """One invited relative, so that invitations to one person count once.

    The email invited, in any case; for a code, the email of the account that took it up (so two
    codes used by one person, or a code used by someone also invited by email, are one relative);
    else the first invitation of its chain of resends, as a code sent again is for the same
    person, and nothing else links two codes that nobody has used yet.
    """
    return func.coalesce(
        func.lower(Invitation.email),
        func.lower(accepted_by.email),
        case((accepted_by.id.is_not(None), literal("account:") + cast(accepted_by.id, String))),
        literal("invitation:") + cast(func.coalesce(Invitation.resent_from_id, Invitation.id), String),
    )


def uptake(period: Period, scope: Scope) -> tuple[list[Uptake], list[Uptake], Uptake]:
    """(rows per team, rows per site, the total), each for invitations and registrations in the period."""
    teams = teams_in(scope)
    rows = {
        team.id: Uptake(name=team.name, site_name=team.site.name, team_id=team.id, caseload=team.caseload)
        for team in teams
    }
    team_ids = list(rows)
    if not team_ids:
        return [], [], Uptake(name="All teams")

    # The team's clinician accounts, and which of them invited anyone for the team in the period:
    # the second is a part of the first, so the share can never pass 100%.
    inviter = aliased(Invitation)
    invited = (
        select(inviter.id)
        .where(
            inviter.invited_by_id == User.id,
            inviter.team_id == User.team_id,
            period.contains(inviter.created_at),
        )
        .exists()
    )
    clinicians = db.session.execute(
        select(User.team_id, func.count(), func.count(case((invited, 1))))
        .where(
            User.team_id.in_(team_ids),
            _has_role(R.CLINICIAN, User.id),
            User.created_at < period.end_at,
            User.erased_at.is_(None),
        )
        .group_by(User.team_id)
    )
    for team_id, count, inviting in clinicians:
        rows[team_id].clinicians, rows[team_id].inviting_clinicians = count, inviting

    accepted_by = aliased(User)
    moment = now()
    invites = db.session.execute(
        select(
            Invitation.team_id,
            func.count(),
            func.count(_relative_key(accepted_by).distinct()),
            func.count(Invitation.accepted_at),
            func.count(
                case(
                    (
                        and_(
                            Invitation.accepted_at.is_(None),
                            Invitation.revoked_at.is_(None),
                            Invitation.expires_at <= moment,
                        ),
                        1,
                    )
                )
            ),
            func.count(case((and_(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_not(None)), 1))),
            func.count(case((Invitation.method == "email", 1))),
        )
        .outerjoin(accepted_by, accepted_by.id == Invitation.accepted_by_id)
        .where(Invitation.team_id.in_(team_ids), period.contains(Invitation.created_at))
        .group_by(Invitation.team_id)
    )
    for team_id, sent, distinct, accepted, expired, withdrawn, by_email in invites:
        row = rows[team_id]
        row.invites, row.relatives_invited, row.invites_accepted = sent, distinct, accepted
        row.invites_expired, row.invites_withdrawn = expired, withdrawn
        row.invites_by_email, row.invites_by_code = by_email, sent - by_email

    registered = db.session.execute(
        select(User.team_id, func.count())
        .where(User.team_id.in_(team_ids), _has_role(R.RELATIVE, User.id), period.contains(User.created_at))
        .group_by(User.team_id)
    )
    for team_id, count in registered:
        rows[team_id].registered = count

    first_sign_ins = db.session.execute(
        select(Invitation.team_id, Invitation.created_at, User.first_login_at)
        .join(User, User.id == Invitation.accepted_by_id)
        .where(
            Invitation.team_id.in_(team_ids),
            period.contains(Invitation.created_at),
            User.first_login_at.is_not(None),
        )
    )
    for team_id, invited_at, first_login in first_sign_ins:
        rows[team_id].days_to_first_sign_in.append(
            max(0.0, (first_login - invited_at).total_seconds() / 86400)
        )

    sites: dict[str, Uptake] = {}
    total = Uptake(name="All teams")
    for team in teams:
        row = rows[team.id]
        site = sites.setdefault(team.site.name, Uptake(name=team.site.name, site_name=team.site.name))
        site.add(row)
        total.add(row)
    return list(rows.values()), list(sites.values()), total


# Reach and adoption ----------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: date
    registrations: int = 0
    active_relatives: int = 0
    inviting_staff: int = 0
    inviting_teams: int = 0


def _month_key(value: str) -> date:
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def uk_month(column, months: list[date]):
    """'2026-11' for a stored time in one of `months`, by the clock in London (None outside them).

    Spelt out as the months' own boundaries, so SQLite, which knows no time zones, and PostgreSQL
    cut a month at the same instant.
    """
    return case(
        *[
            (and_(column >= starts_at(month), column < starts_at(next_month(month))), f"{month:%Y-%m}")
            for month in months
        ],
        else_=None,
    )


def reach(period: Period, scope: Scope) -> list[MonthRow]:
    rows = {month: MonthRow(month) for month in period.months()}
    registered_month = uk_month(User.created_at, period.months())
    for month, count in db.session.execute(
        select(registered_month, func.count())
        .where(_has_role(R.RELATIVE, User.id), period.contains(User.created_at), scope.where(User.site_id))
        .group_by(registered_month)
    ):
        rows[_month_key(month)].registrations = count
    for month, count in db.session.execute(
        select(UserMonth.month, func.count())
        .where(
            UserMonth.relative.is_(True),
            UserMonth.month >= period.start,
            UserMonth.month < period.end,
            scope.where(UserMonth.site_id),
        )
        .group_by(UserMonth.month)
    ):
        rows[month].active_relatives = count
    invited_month = uk_month(Invitation.created_at, period.months())
    for month, staff, teams in db.session.execute(
        select(
            invited_month,
            func.count(Invitation.invited_by_id.distinct()),
            func.count(Invitation.team_id.distinct()),
        )
        .where(period.contains(Invitation.created_at), scope.where(Invitation.site_id))
        .group_by(invited_month)
    ):
        rows[_month_key(month)].inviting_staff = staff
        rows[_month_key(month)].inviting_teams = teams
    return list(rows.values())


# Use ---------------------------------------------------------------------------------------------


@dataclass
class ModuleFunnel:
    title: str
    started: int = 0
    completed: int = 0


@dataclass
class Use:
    active_relatives: int
    time_on_site: Spread  # seconds per active relative over the period
    sessions: Spread  # sessions per active relative
    views: dict[str, int]  # device class -> page views by relatives
    languages: dict[str, int]  # "en" or "cy" -> page views by relatives
    forum_readers: int
    forum_posts: int
    forum_posters: int
    conversations: int
    relatives_writing: int
    modules: list[ModuleFunnel]


def _relatives_in(scope: Scope):
    return select(User.id).where(_has_role(R.RELATIVE, User.id), scope.where(User.site_id))


def use(period: Period, scope: Scope) -> Use:
    who = func.coalesce(UserMonth.user_id, -UserMonth.id)
    per_relative = db.session.execute(
        select(
            func.sum(UserMonth.seconds),
            func.sum(UserMonth.sessions),
            func.sum(UserMonth.forum_views),
            func.sum(UserMonth.mobile_views),
            func.sum(UserMonth.tablet_views),
            func.sum(UserMonth.desktop_views),
            func.sum(UserMonth.page_views),
            func.sum(UserMonth.welsh_views),
        )
        .where(
            UserMonth.relative.is_(True),
            UserMonth.month >= period.start,
            UserMonth.month < period.end,
            scope.where(UserMonth.site_id),
        )
        .group_by(who)
    ).all()
    views = {"mobile": 0, "tablet": 0, "desktop": 0}
    for row in per_relative:
        views["mobile"] += row[3]
        views["tablet"] += row[4]
        views["desktop"] += row[5]
    welsh = sum(row[7] for row in per_relative)
    languages = {"en": sum(row[6] for row in per_relative) - welsh, "cy": welsh}

    relatives = _relatives_in(scope)
    started = dict(
        db.session.execute(
            select(SectionProgress.module_id, func.count(SectionProgress.user_id.distinct()))
            .where(SectionProgress.user_id.in_(relatives), period.contains(SectionProgress.first_viewed_at))
            .group_by(SectionProgress.module_id)
        ).all()
    )
    completed = dict(
        db.session.execute(
            select(ModuleCompletion.module_id, func.count(ModuleCompletion.user_id.distinct()))
            .where(ModuleCompletion.user_id.in_(relatives), period.contains(ModuleCompletion.completed_at))
            .group_by(ModuleCompletion.module_id)
        ).all()
    )
    modules = [
        ModuleFunnel(title, started.get(module_id, 0), completed.get(module_id, 0))
        for module_id, title in db.session.execute(
            select(Module.id, Module.title).where(Module.published.is_(True)).order_by(Module.position)
        )
    ]
    posts, posters = db.session.execute(
        select(func.count(), func.count(Post.author_id.distinct())).where(
            Post.author_id.in_(relatives), period.contains(Post.created_at)
        )
    ).one()
    conversations, writers = db.session.execute(
        select(func.count(), func.count(Conversation.relative_id.distinct())).where(
            Conversation.relative_id.in_(relatives),
            Conversation.staff_only.is_(False),
            period.contains(Conversation.created_at),
        )
    ).one()
    return Use(
        active_relatives=len(per_relative),
        time_on_site=Spread.of([row[0] for row in per_relative]),
        sessions=Spread.of([row[1] for row in per_relative]),
        views=views,
        languages=languages,
        forum_readers=sum(1 for row in per_relative if row[2]),
        forum_posts=posts,
        forum_posters=posters,
        conversations=conversations,
        relatives_writing=writers,
        modules=modules,
    )


# Support and safety ----------------------------------------------------------------------------


@dataclass
class Safety:
    conversations: int
    answered: int
    first_response: Spread  # service-hours seconds
    urgent: int
    urgent_answered: int
    urgent_response: Spread  # wall-clock seconds from becoming urgent to the first reply
    risk_messages: int
    risk_flags: int
    risk_flags_actioned: int
    risk_action: Spread  # wall-clock seconds from the flag to a moderator's first action


def _seconds_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return max(0.0, (end - start).total_seconds())


def safety(period: Period, scope: Scope) -> Safety:
    team_ids = select(Team.id).where(scope.where(Team.site_id))
    conversations = db.session.execute(
        select(
            Conversation.urgent,
            Conversation.first_response_seconds,
            func.coalesce(Conversation.urgent_since, Conversation.created_at),
            Conversation.first_response_at,
        ).where(
            Conversation.team_id.in_(team_ids),
            Conversation.staff_only.is_(False),
            period.contains(Conversation.created_at),
        )
    ).all()
    answered = [row[1] for row in conversations if row[1] is not None]
    urgent = [row for row in conversations if row[0]]
    urgent_times = [t for t in (_seconds_between(row[2], row[3]) for row in urgent) if t is not None]

    risk_messages = db.session.scalar(
        select(func.count())
        .select_from(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.risk.is_(True),
            Message.kind == "relative",
            Conversation.team_id.in_(team_ids),
            period.contains(Message.created_at),
        )
    )
    authors = select(User.id).where(scope.where(User.site_id))
    first_action = case(
        (QueueItem.claimed_at.is_(None), QueueItem.resolved_at),
        (QueueItem.resolved_at.is_(None), QueueItem.claimed_at),
        (QueueItem.claimed_at < QueueItem.resolved_at, QueueItem.claimed_at),
        else_=QueueItem.resolved_at,
    )
    flags = db.session.execute(
        select(QueueItem.created_at, first_action)
        .join(Post, Post.id == QueueItem.post_id)
        .where(QueueItem.risk.is_(True), Post.author_id.in_(authors), period.contains(QueueItem.created_at))
    ).all()
    action_times = [
        t for t in (_seconds_between(created, acted) for created, acted in flags) if t is not None
    ]
    return Safety(
        conversations=len(conversations),
        answered=len(answered),
        first_response=Spread.of(answered),
        urgent=len(urgent),
        urgent_answered=len(urgent_times),
        urgent_response=Spread.of(urgent_times),
        risk_messages=risk_messages or 0,
        risk_flags=len(flags),
        risk_flags_actioned=len(action_times),
        risk_action=Spread.of(action_times),
    )


# Every forum post read by a person ---------------------------------------------------------------

READ_WITHIN_HOURS = (1, 4, 24)
CAP = timedelta(days=14)


@dataclass
class MonthReading:
    """One month's forum posts by relatives: how soon a moderator read them, and the risk among them."""

    month: date
    posts: int
    # hours -> (posts read within that many moderated hours, posts whose chance has come: read, or
    # unread with that much moderated time gone by)
    read_within: dict[int, tuple[int, int]]
    unread: int
    risk_posts: int
    risk_action: Spread  # wall-clock seconds from a risk post to a moderator's first action
    risk_waiting: int  # risk posts no moderator has acted on yet


def forum_reading(period: Period, scope: Scope) -> list[MonthReading]:
    """Per month: the share of posts read within 1, 4 and 24 moderated hours, and risk post handling.

    A post counts from when it was written. A moderator's own posts are left out: they read them as
    they wrote them. A risk post is one the detector flagged or a member reported as risk; its first
    action is the earliest of a moderator reading it, claiming it or deciding about it.
    """
    from react_toolkit.forum.models import Report
    from react_toolkit.forum.services import moderation_team
    from react_toolkit.organisations.hours import holidays_between, service_seconds

    authors = select(User.id).where(scope.where(User.site_id))
    rows = db.session.execute(
        select(Post.id, Post.created_at, Post.reviewed_at, Post.risk_categories).where(
            Post.author_id.in_(authors),
            period.contains(Post.created_at),
            or_(Post.reviewed_by_id.is_(None), Post.reviewed_by_id != Post.author_id),
        )
    ).all()
    ids = [row.id for row in rows]
    reported = set()
    acted: dict[int, datetime] = {}
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        reported.update(
            db.session.scalars(select(Report.post_id).where(Report.post_id.in_(chunk), Report.kind == "risk"))
        )
        for post_id, claimed, resolved in db.session.execute(
            select(QueueItem.post_id, QueueItem.claimed_at, QueueItem.resolved_at).where(
                QueueItem.post_id.in_(chunk)
            )
        ):
            for moment in (claimed, resolved):
                if moment is not None and (post_id not in acted or moment < acted[post_id]):
                    acted[post_id] = moment
    team, moment = moderation_team(), now()
    holidays = holidays_between(period.start, (moment + CAP).date())

    def moderated(start: datetime, end: datetime) -> int:
        # Past a fortnight, any post has had more than a day of moderated hours: stop counting there.
        return service_seconds(team, start, min(end, start + CAP), holidays)

    by_month: dict[date, list] = defaultdict(list)
    for row in rows:
        by_month[month_start(row.created_at)].append(row)
    months = []
    for month in period.months():
        posts = by_month.get(month, [])
        # Moderated seconds until each post was read, or that it has waited unread so far.
        waits = [
            (row.reviewed_at is not None, moderated(row.created_at, row.reviewed_at or moment))
            for row in posts
        ]
        read_within = {}
        for hours in READ_WITHIN_HOURS:
            limit = hours * 3600
            read = sum(1 for was_read, wait in waits if was_read and wait <= limit)
            due = sum(1 for was_read, wait in waits if was_read or wait > limit)
            read_within[hours] = (read, due)
        risk = [row for row in posts if row.risk_categories or row.id in reported]
        times = []
        for row in risk:
            first = min((t for t in (row.reviewed_at, acted.get(row.id)) if t is not None), default=None)
            if first is not None:
                times.append(max(0.0, (first - row.created_at).total_seconds()))
        months.append(
            MonthReading(
                month=month,
                posts=len(posts),
                read_within=read_within,
                unread=sum(1 for row in posts if row.reviewed_at is None),
                risk_posts=len(risk),
                risk_action=Spread.of(times),
                risk_waiting=len(risk) - len(times),
            )
        )
    return months


# Maintenance ------------------------------------------------------------------------------------


@dataclass
class Maintenance:
    team: str
    site_name: str
    first_invite: date | None
    # months after the first invite -> (active relatives, inviting staff), or None when not reached yet
    after: dict[int, tuple[int, int] | None]


MAINTENANCE_MONTHS = (6, 12)


def maintenance(scope: Scope) -> list[Maintenance]:
    """Active relatives and inviting staff 6 and 12 months after each team's first invitation."""
    teams = teams_in(scope)
    team_ids = [team.id for team in teams]
    firsts = dict(
        db.session.execute(
            select(Invitation.team_id, func.min(Invitation.created_at))
            .where(Invitation.team_id.in_(team_ids))
            .group_by(Invitation.team_id)
        ).all()
    )
    active = defaultdict(int)
    for team_id, month, count in db.session.execute(
        select(UserMonth.team_id, UserMonth.month, func.count())
        .where(UserMonth.relative.is_(True), UserMonth.team_id.in_(team_ids))
        .group_by(UserMonth.team_id, UserMonth.month)
    ):
        active[(team_id, month)] = count
    inviting = defaultdict(int)
    this_month = month_start(now())
    first_month = month_start(min(firsts.values())) if firsts else this_month
    invited_month = uk_month(Invitation.created_at, Period(first_month, next_month(this_month)).months())
    for team_id, month, count in db.session.execute(
        select(Invitation.team_id, invited_month, func.count(Invitation.invited_by_id.distinct()))
        .where(Invitation.team_id.in_(team_ids))
        .group_by(Invitation.team_id, invited_month)
    ):
        inviting[(team_id, _month_key(month))] = count
    rows = []
    for team in teams:
        first = firsts.get(team.id)
        after: dict[int, tuple[int, int] | None] = {}
        for offset in MAINTENANCE_MONTHS:
            month = add_months(month_start(first), offset) if first else None
            if month is None or month > this_month:
                after[offset] = None
            else:
                after[offset] = (active[(team.id, month)], inviting[(team.id, month)])
        rows.append(Maintenance(team.name, team.site.name, month_start(first) if first else None, after))
    return rows


def earliest_month(scope: Scope) -> date:
    """The first month worth showing: the first invitation in scope, or 11 months ago."""
    first = db.session.scalar(select(func.min(Invitation.created_at)).where(scope.where(Invitation.site_id)))
    fallback = add_months(month_start(now()), -11)
    return month_start(first) if first else fallback
