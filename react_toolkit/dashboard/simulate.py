"""A realistic multi-site history, written through the app's own services.

`flask react simulate` adds simulated trusts, teams and staff; clinicians invite
relatives at rates that vary by person and fade over time; relatives register
through their invitation, read modules, post in the forum and write to
supporters, who answer in service hours; moderators deal with held and risky
posts. All of that goes through the same service functions the pages use, with
the clock set to the simulated moment, so every domain event is the real one.

Page views are the exception: there are far too many to drive through HTTP, so
they are written in bulk, using the recorder's own row builder, on the visits
the simulation produced. With `--events`, extra visits are added so that the
total reaches the number asked for.

Simulated accounts use example.invalid addresses and cannot receive mail; no
mail is sent while the simulation runs.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, insert, select

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import Invitation, User
from react_toolkit.auth.services import (
    Registration,
    create_invitation,
    create_staff_account,
    register_relative,
)
from react_toolkit.core.refusal import Refusal
from react_toolkit.dashboard.rollup import add_months, month_start, next_month, refresh, starts_at
from react_toolkit.extensions import db
from react_toolkit.forum import services as forum
from react_toolkit.forum.models import ForumCategory, QueueItem, Thread
from react_toolkit.inbox import services as inbox
from react_toolkit.modules.models import Module
from react_toolkit.modules.services import complete_section, record_view
from react_toolkit.organisations.models import Site, Team
from react_toolkit.organisations.services import create_site, save_team
from react_toolkit.risk.services import check_text
from react_toolkit.timeutil import LONDON, now, simulated_time
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import PAGE_VIEWED, event_row

FORUM_TOPICS = [
    (
        "Finding the right words",
        "How do you start a conversation when your son seems far away? I never know what to say.",
    ),
    ("Sleep", "My daughter is up all night and I am worn out. What has helped you?"),
    ("First appointment", "We have our first meeting with the team next week. What should I ask?"),
    ("Looking after myself", "I forgot how to do anything for me. Small things help, I think."),
    ("Medication worries", "He says the tablets make him tired. Did anyone else see this get better?"),
]
FORUM_REPLIES = [
    "Thank you for writing this. It helped me to read it.",
    "We went through the same. It did get easier with time and with the team's help.",
    "Writing things down before the appointment helped us a lot.",
    "Please be kind to yourself. You are doing your best.",
    "Our care coordinator was really helpful when we asked.",
]
MESSAGES = [
    ("A question about the module", "Could you explain a bit more about early warning signs?"),
    ("Feeling stuck", "I am finding things hard this week and would like some advice."),
    ("Carer's assessment", "How do I ask for a carer's assessment?"),
]
# Invented wording that the shipped risk list is meant to catch; checked before use.
RISK_CANDIDATES = [
    "I can't go on like this, I want to end my life.",
    "He said he wants to kill himself.",
    "I have thought about suicide this week.",
]
ROUTE_WEIGHTS = {
    "core.home": 10,
    "modules.list_modules": 8,
    "modules.view_module": 6,
    "modules.view_section": 30,
    "forum.list_categories": 5,
    "forum.view_category": 5,
    "forum.view_thread": 15,
    "inbox.list_messages": 4,
    "inbox.view_message": 4,
    "resources.list_resources": 5,
    "modules.view_toolbox": 3,
    "auth.view_account": 1,
}
SPREAD = timedelta(days=10)  # how far from a real visit the extra visits that --events adds may fall
MAX_GAP = timedelta(minutes=5)  # the longest pause between two page views in one visit
STAFF_ROUTES = {
    "inbox.team_inbox": 6,
    "auth.list_invitations": 4,
    "core.home": 3,
    "forum.moderation_queue": 2,
}


class _NoMail:
    """Swallows the mail services send while a simulation runs."""

    def send(self, mail) -> None:
        return None


@dataclass
class Visit:
    at: datetime
    user_id: int
    roles: str
    site_id: int
    team_id: int
    device: str
    views: int
    since: datetime  # no visit before this (a relative's registration)


@dataclass
class Person:
    user: User
    team: Team
    device: str
    registered: datetime
    keen: float  # how likely they are to come back each month
    plan: list = field(default_factory=list)  # the sections they mean to read, in order


@dataclass
class Report:
    sites: int = 0
    teams: int = 0
    staff: int = 0
    invitations: int = 0
    relatives: int = 0
    posts: int = 0
    messages: int = 0
    page_views: int = 0
    events: int = 0
    extra: dict = field(default_factory=dict)


class Simulation:
    def __init__(
        self, months: int, sites: int, events: int | None, seed: int, echo: Callable[[str], None]
    ) -> None:
        self.months, self.site_count, self.target, self.echo = months, sites, events, echo
        self.rng = random.Random(seed)
        self.seq = itertools.count()
        self.queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self.report = Report()
        self.visits: list[Visit] = []
        self.people: list[Person] = []
        self.clinicians: list[tuple[User, Team, float]] = []
        self.supporters: dict[int, list[User]] = {}
        self.moderators: list[User] = []
        self.staff_visits: list[tuple[User, Team]] = []
        # The history covers the `months` months up to now, whatever the day of the month: on
        # 7 December, three months run from 7 September. Nothing is ever placed after now.
        self.stop = now()
        self.begin = _months_before(self.stop, months)
        self.first_month = month_start(self.begin)

    # The clock ----------------------------------------------------------------------------------

    def at(self, moment: datetime, action: Callable[[], None]) -> None:
        if moment < self.stop:
            heapq.heappush(self.queue, (moment, next(self.seq), action))

    def run_until(self, until: datetime) -> None:
        while self.queue and self.queue[0][0] < until:
            moment, _, action = heapq.heappop(self.queue)
            with simulated_time(moment):
                try:
                    action()
                except Refusal:
                    db.session.rollback()

    def working_time(self, after: datetime, urgent: bool = False) -> datetime:
        """When a supporter picks a message up: within hours if urgent, else the next working day."""
        if urgent:
            return after + timedelta(minutes=self.rng.randint(20, 240))
        local = after.astimezone(LONDON) + timedelta(hours=self.rng.uniform(1, 30))
        while local.weekday() >= 5 or not time(9) <= local.time() < time(17):
            local = (local + timedelta(days=1)).replace(hour=9, minute=self.rng.randint(0, 59))
            if local.weekday() < 5:
                local += timedelta(hours=self.rng.uniform(0, 7))
        return local.astimezone(after.tzinfo)

    # Set-up -------------------------------------------------------------------------------------

    def setup(self) -> None:
        taken = db.session.scalar(select(func.count()).select_from(Site).where(Site.code.like("sim-%"))) or 0
        moment = self.begin - timedelta(days=20)
        with simulated_time(moment):
            for number in range(taken + 1, taken + self.site_count + 1):
                self._site(number)
        self.categories = list(
            db.session.scalars(select(ForumCategory).where(ForumCategory.site_id.is_(None)))
        )
        self.modules = list(
            db.session.scalars(select(Module).where(Module.published.is_(True)).order_by(Module.position))
        )
        self.risk_texts = [text for text in RISK_CANDIDATES if check_text(text).is_risk]

    def _staff(self, site: Site, team: Team | None, roles: list[str], label: str) -> User:
        number = self.report.staff = self.report.staff + 1
        return create_staff_account(
            None,
            email=f"{site.code}-{label}-{number}@example.invalid",
            full_name=f"Simulated {label.replace('-', ' ')} {number}",
            roles=roles,
            site_id=site.id,
            team_id=team.id if team else None,
        )

    def _site(self, number: int) -> None:
        rng = self.rng
        site = create_site(f"Simulated NHS Trust {number}", f"sim-{number:03d}")
        self.report.sites += 1
        lead = self._staff(site, None, [R.SITE_LEAD], "site-lead")
        self.moderators.append(self._staff(site, None, [R.MODERATOR], "moderator"))
        for letter in "ABCD"[: rng.randint(2, 4)]:
            team = save_team(
                lead,
                Team(site_id=site.id),
                name=f"EIP team {letter}",
                caseload=rng.randint(80, 240),
                crisis_phone="01632 960000",
                crisis_phone_label="Simulated crisis line",
                hours=[(day, time(9), time(17)) for day in range(5)],
            )
            self.report.teams += 1
            self.supporters[team.id] = [
                self._staff(site, team, [R.SUPPORTER], "supporter") for _ in range(rng.randint(1, 2))
            ]
            for _ in range(rng.randint(4, 9)):
                clinician = self._staff(site, team, [R.CLINICIAN], "clinician")
                # A third never invite anyone; the rest at their own pace.
                rate = 0.0 if rng.random() < 0.3 else rng.uniform(0.3, 2.5)
                self.clinicians.append((clinician, team, rate))
                self.staff_visits.append((clinician, team))
            self.staff_visits.extend((supporter, team) for supporter in self.supporters[team.id])

    # Relatives ----------------------------------------------------------------------------------

    def invite(self, clinician: User, team: Team) -> None:
        method = "email" if self.rng.random() < 0.6 else "code"
        number = self.report.invitations + 1
        email = f"{team.site.code}-relative-{number}@example.invalid" if method == "email" else None
        invitation = create_invitation(clinician, team, method, email)
        self.report.invitations += 1
        if self.rng.random() < 0.45:
            delay = timedelta(days=min(13.5, self.rng.expovariate(1 / 3)))
            self.at(now() + delay, lambda: self.register(invitation.id, team, number))

    def register(self, invitation_id: int, team: Team, number: int) -> None:
        invitation = db.session.get(Invitation, invitation_id)
        user = register_relative(
            Registration(
                email=invitation.email or f"{team.site.code}-relative-{number}@example.invalid",
                forum_name=f"Carer {team.site.code[-3:]}{number:05d}",
                password=f"simulated-{number}-{self.rng.getrandbits(48):x}",
                research_consent=self.rng.random() < 0.7,
                code=invitation.code,
            ),
            f"simulated-{number}",
        )
        self.report.relatives += 1
        device = self.rng.choices(["mobile", "desktop", "tablet"], [0.6, 0.3, 0.1])[0]
        person = Person(user, team, device, now(), keen=self.rng.uniform(0.35, 0.9))
        if self.modules:
            # Most start with the first module, then pick the few that speak to them.
            chosen = self.rng.sample(self.modules[1:], k=min(len(self.modules) - 1, self.rng.randint(1, 4)))
            if self.rng.random() < 0.8:
                chosen.insert(0, self.modules[0])
            person.plan = [section for module in chosen for section in module.sections]
        self.people.append(person)
        self.visit(person, first=True)

    def visit(self, person: Person, first: bool = False) -> None:
        """One sitting: a few pages, perhaps a section read, a post or a message."""
        rng, user = self.rng, person.user
        views = rng.randint(3, 12)
        self.visits.append(
            Visit(
                now(),
                user.id,
                "relative",
                person.team.site_id,
                person.team.id,
                person.device,
                views,
                person.registered,
            )
        )
        if person.plan and (first or rng.random() < 0.7):
            section = person.plan[0]
            record_view(user, section)
            if rng.random() < 0.8:
                complete_section(user, section)
                person.plan.pop(0)
        if self.categories and rng.random() < 0.12:
            self.post(person)
        if rng.random() < 0.05:
            self.write(person)

    def post(self, person: Person) -> None:
        user, rng = person.user, self.rng
        risky = self.risk_texts and rng.random() < 0.04
        threads = list(
            db.session.scalars(select(Thread.id).where(Thread.visible).order_by(Thread.id.desc()).limit(30))
        )
        if threads and rng.random() < 0.7:
            thread = db.session.get(Thread, rng.choice(threads))
            body = rng.choice(self.risk_texts) if risky else rng.choice(FORUM_REPLIES)
            outcome = forum.reply(user, thread, body)
        else:
            title, body = rng.choice(FORUM_TOPICS)
            _, outcome = forum.create_thread(
                user, rng.choice(self.categories), title, rng.choice(self.risk_texts) if risky else body
            )
        post = getattr(outcome, "post", None)
        self.report.posts += post is not None
        if post is not None and post.status == forum.HELD and self.moderators:
            post_id = post.id
            self.at(now() + timedelta(minutes=rng.randint(10, 20 * 60)), lambda: self.moderate(post_id))

    def moderate(self, post_id: int) -> None:
        item = db.session.scalar(
            select(QueueItem).where(QueueItem.post_id == post_id, QueueItem.resolved_at.is_(None))
        )
        if item is None:
            return
        moderator = self.rng.choice(self.moderators)
        forum.claim(moderator, item)
        if item.risk:
            forum.hide(moderator, item.post, "We have hidden this post and a supporter will contact you.")
        else:
            forum.approve(moderator, item.post)

    def write(self, person: Person) -> None:
        subject, body = self.rng.choice(MESSAGES)
        urgent = bool(self.risk_texts) and self.rng.random() < 0.08
        if urgent:
            body = self.rng.choice(self.risk_texts)
        conversation, _ = inbox.start_conversation(person.user, subject, body)
        self.report.messages += 1
        conversation_id = conversation.id
        self.at(self.working_time(now(), urgent), lambda: self.answer(conversation_id))

    def answer(self, conversation_id: int) -> None:
        conversation = inbox.any_conversation(conversation_id)
        supporters = self.supporters.get(conversation.team_id)
        if not supporters:
            return
        supporter = self.rng.choice(supporters)
        inbox.staff_reply(
            supporter,
            conversation,
            "Thank you for writing. I have read your message and here is some information that may help.",
            inbox.latest_visible_id(conversation),
        )
        self.report.messages += 1

    # Months -------------------------------------------------------------------------------------

    def month(self, month_index: int) -> None:
        rng = self.rng
        month = add_months(self.first_month, month_index)
        start = max(starts_at(month), self.begin)
        end = min(starts_at(next_month(month)), self.stop)
        if end <= start:
            return
        span = (end - start).total_seconds()
        share = span / (starts_at(next_month(month)) - starts_at(month)).total_seconds()  # of a whole month

        def moment() -> datetime:
            return start + timedelta(seconds=rng.uniform(0, span))

        fade = 0.92**month_index  # inviting slows as the novelty wears off
        for clinician, team, rate in self.clinicians:
            for _ in range(_poisson(rng, rate * fade * share)):
                self.at(moment(), lambda c=clinician, t=team: self.invite(c, t))
        for person in list(self.people):
            age = (start - person.registered).days / 30
            if age >= 0 and rng.random() < share * (person.keen * (0.85 ** max(age, 0)) + 0.05):
                for _ in range(rng.randint(1, 5)):
                    self.at(moment(), lambda p=person: self.visit(p))
        for user, team in self.staff_visits:
            for _ in range(_poisson(rng, 3 * share)):
                roles = ",".join(sorted(user.roles))
                self.visits.append(
                    Visit(
                        moment(), user.id, roles, team.site_id, team.id, "desktop", rng.randint(2, 8), start
                    )
                )
        self.run_until(end)
        self.echo(f"{month:%B %Y}: {self.report.relatives} relatives, {self.report.invitations} invitations")

    # Page views ---------------------------------------------------------------------------------

    def page_views(self, domain_events: int) -> None:
        rules = {rule.endpoint: rule.rule for rule in current_app.url_map.iter_rules()}
        relative_routes = [(rules[name], weight) for name, weight in ROUTE_WEIGHTS.items() if name in rules]
        staff_routes = [(rules[name], weight) for name, weight in STAFF_ROUTES.items() if name in rules]
        natural = sum(visit.views for visit in self.visits) or 1
        wanted = (self.target - domain_events) if self.target else natural
        scale = max(wanted, 0) / natural
        batch: list[dict] = []
        written = 0
        for visit in self.visits:
            routes = relative_routes if visit.roles == "relative" else staff_routes
            paths, weights = zip(*routes, strict=True)
            # Whole extra visits (not longer ones) carry the scale, so sessions stay realistic.
            repeats = int(scale) + (self.rng.random() < scale - int(scale))
            # Every visit ends before now, so each one asked for is written in full.
            latest = self.stop - MAX_GAP * visit.views
            earliest = min(max(visit.since, visit.at - SPREAD), latest)
            window_end = min(latest, visit.at + SPREAD)
            for repeat in range(repeats):
                at = min(visit.at, latest)
                if repeat:
                    at = earliest + (window_end - earliest) * self.rng.random()
                session = hashlib.sha256(f"{visit.user_id}:{at.isoformat()}:{repeat}".encode()).hexdigest()[
                    :32
                ]
                for view in range(visit.views):
                    at += timedelta(seconds=self.rng.randint(15, MAX_GAP.seconds) if view else 0)
                    batch.append(
                        event_row(
                            PAGE_VIEWED,
                            at,
                            user_id=visit.user_id,
                            roles=visit.roles,
                            site_id=visit.site_id,
                            team_id=visit.team_id,
                            route=self.rng.choices(paths, weights)[0],
                            session_hash=session,
                            device=visit.device,
                            status=200,
                        )
                    )
                if len(batch) >= 20_000:
                    written += self._flush(batch)
                    self.echo(f"Page views written: {written:,}")
        written += self._flush(batch)
        self.report.page_views = written

    def _flush(self, batch: list[dict]) -> int:
        if batch:
            db.session.execute(insert(UsageEvent), batch)
            db.session.commit()
        count = len(batch)
        batch.clear()
        return count

    # All of it ----------------------------------------------------------------------------------

    def run(self) -> Report:
        first_id = db.session.scalar(select(func.coalesce(func.max(UsageEvent.id), 0)))
        self.setup()
        calendar_months = (self.stop.year - self.begin.year) * 12 + self.stop.month - self.begin.month + 1
        for index in range(calendar_months):
            self.month(index)
        self.run_until(self.stop)
        domain = db.session.scalar(
            select(func.count()).select_from(UsageEvent).where(UsageEvent.id > first_id)
        )
        self.page_views(domain)
        self.report.events = db.session.scalar(
            select(func.count()).select_from(UsageEvent).where(UsageEvent.id > first_id)
        )
        refresh()
        return self.report


def _months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (the month's last day if it is shorter)."""
    month = add_months(date(moment.year, moment.month, 1), -months)  # by the calendar of `moment` itself
    last_day = (next_month(month) - timedelta(days=1)).day
    return moment.replace(year=month.year, month=month.month, day=min(moment.day, last_day))


def _poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method; means here are small."""
    if mean <= 0:
        return 0
    limit, count, product = pow(2.718281828459045, -mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def simulate(
    months: int = 12,
    sites: int = 3,
    events: int | None = None,
    seed: int = 2026,
    echo: Callable[[str], None] = lambda _: None,
) -> Report:
    """Write a simulated history; returns what was made. Never for production."""
    if current_app.config.get("PRODUCTION"):
        raise RuntimeError("A simulated history is never written in production.")
    mail = current_app.extensions["mail"]
    current_app.extensions["mail"] = _NoMail()
    try:
        return Simulation(months, sites, events, seed, echo).run()
    finally:
        current_app.extensions["mail"] = mail
