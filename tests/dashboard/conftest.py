"""A small hand-built history whose dashboard figures are known and written in the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import count

import pytest

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import Invitation, User
from react_toolkit.dashboard.figures import Period
from react_toolkit.extensions import db
from react_toolkit.forum.models import ForumCategory, Post, QueueItem, Thread
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.modules.models import Module, ModuleCompletion, Section, SectionProgress
from react_toolkit.organisations.models import Site, Team
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import PAGE_VIEWED, event_row

PERIOD = Period(date(2026, 3, 1), date(2026, 6, 1))  # March to May 2026
THREAD_ROUTE = "/forum/threads/<int:thread_id>"
_codes = count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class History:
    site_a: Site
    site_b: Site
    a1: Team
    a2: Team
    b1: Team
    r1: User
    r2: User
    rb: User
    c1: User
    c2: User
    c3: User


def views(
    user: User | None, *moments: str, device: str = "mobile", route: str = "/modules", roles: str = "relative"
):
    rows = [
        event_row(
            PAGE_VIEWED,
            at(moment),
            user_id=user.id if user else None,
            roles=roles,
            site_id=user.site_id if user else None,
            team_id=user.team_id if user else None,
            route=route,
            device=device,
            status=200,
        )
        for moment in moments
    ]
    db.session.execute(UsageEvent.__table__.insert(), rows)
    db.session.commit()


def invite(inviter: User, team: Team, when: str, email: str | None) -> Invitation:
    invitation = Invitation(
        code=f"TEST{next(_codes):08d}",
        method="email" if email else "code",
        email=email,
        site_id=team.site_id,
        team_id=team.id,
        invited_by_id=inviter.id,
        created_at=at(when),
        expires_at=at(when) + timedelta(days=14),
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


@pytest.fixture
def history(app, create_site, create_team, create_user) -> History:
    site_a, site_b = create_site("Trust A"), create_site("Trust B")
    a1, a2, b1 = create_team(site_a), create_team(site_a), create_team(site_b)
    a2.caseload = 40
    c1, c2, c3 = (create_user(R.CLINICIAN, team=a1) for _ in range(3))
    cb = create_user(R.CLINICIAN, team=b1)
    r1, r2 = create_user(R.RELATIVE, team=a1), create_user(R.RELATIVE, team=a1)
    rb = create_user(R.RELATIVE, team=b1)
    for user, created in ((c1, "2026-01-05"), (c2, "2026-01-05"), (c3, "2026-01-05"), (cb, "2026-01-05")):
        user.created_at = at(created)
    r1.created_at, r1.first_login_at = at("2026-03-14 09:00"), at("2026-03-14 09:00")
    r2.created_at, r2.first_login_at = at("2026-04-03 12:00"), at("2026-04-03 12:00")
    rb.created_at, rb.first_login_at = at("2026-05-02 08:00"), at("2026-05-02 08:00")

    # Team A1: c3 invited before the period; in it, c1 invited x twice and y once, c2 gave a code.
    invite(c3, a1, "2026-02-10 10:00", "old@example.org")
    invite(c1, a1, "2026-03-02 10:00", "x@example.org")
    accepted_x = invite(c1, a1, "2026-03-10 09:00", "X@example.org")
    invite(c1, a1, "2026-03-11 09:00", "y@example.org")
    by_code = invite(c2, a1, "2026-04-01 00:00", None)
    accepted_x.accepted_at, accepted_x.accepted_by_id = r1.created_at, r1.id
    by_code.accepted_at, by_code.accepted_by_id = r2.created_at, r2.id
    # Team B1: one invitation, taken up.
    accepted_b = invite(cb, b1, "2026-05-01 08:00", "b@example.org")
    accepted_b.accepted_at, accepted_b.accepted_by_id = rb.created_at, rb.id

    # Reading: r1 starts and finishes the module, r2 starts it, a clinician's reading never counts.
    module = Module(
        slug="test-module",
        title="A test module",
        summary="",
        position=1,
        estimated_minutes=10,
        author_role="Health information writer",
        written=date(2026, 1, 1),
        law_applies="not applicable",
        lived_experience="Not yet.",
        source_hash="x",
    )
    module.sections = [
        Section(position=n, slug=f"s{n}", title=f"Section {n}", parts=[], minutes=5) for n in (1, 2)
    ]
    db.session.add(module)
    db.session.flush()
    first = module.sections[0]
    for user, when in ((r1, "2026-03-15 10:00"), (r2, "2026-04-04 10:00"), (c1, "2026-03-15 10:00")):
        db.session.add(
            SectionProgress(
                user_id=user.id,
                module_id=module.id,
                section_id=first.id,
                first_viewed_at=at(when),
                last_viewed_at=at(when),
            )
        )
    db.session.add(ModuleCompletion(user_id=r1.id, module_id=module.id, completed_at=at("2026-03-16 10:00")))

    # Forum: r1 starts a thread whose post is flagged for risk; r2 replies.
    category = ForumCategory(slug="test", name="Test", position=1)
    db.session.add(category)
    db.session.flush()
    thread = Thread(
        category_id=category.id, author_id=r1.id, title="Hello", created_at=at("2026-03-21 12:00")
    )
    db.session.add(thread)
    db.session.flush()
    risky = Post(thread_id=thread.id, author_id=r1.id, body="text", created_at=at("2026-03-21 12:00"))
    reply = Post(thread_id=thread.id, author_id=r2.id, body="text", created_at=at("2026-04-06 12:00"))
    db.session.add_all([risky, reply])
    db.session.flush()
    db.session.add(
        QueueItem(
            post_id=risky.id,
            reason="risk",
            severity=3,
            risk=True,
            created_at=at("2026-03-21 12:00"),
            claimed_at=at("2026-03-21 12:15"),
            resolved_at=at("2026-03-21 13:00"),
        )
    )

    # Inbox: r1 waits an hour of service time; r2's urgent message is answered in 30 minutes.
    first_conversation = Conversation(
        relative_id=r1.id,
        team_id=a1.id,
        subject="s",
        created_at=at("2026-03-20 10:00"),
        first_response_at=at("2026-03-20 12:00"),
        first_response_seconds=3600,
    )
    urgent = Conversation(
        relative_id=r2.id,
        team_id=a1.id,
        subject="s",
        urgent=True,
        urgent_since=at("2026-04-05 10:00"),
        created_at=at("2026-04-05 10:00"),
        first_response_at=at("2026-04-05 10:30"),
        first_response_seconds=1800,
    )
    db.session.add_all([first_conversation, urgent])
    db.session.flush()
    db.session.add(Message(conversation_id=urgent.id, author_id=r2.id, kind="relative", body="x", risk=True))
    urgent_message = db.session.scalars(db.select(Message)).one()
    urgent_message.created_at = at("2026-04-05 10:00")
    db.session.commit()

    # Page views. r1 in March: 10:00, 10:05, 10:20 (one visit, 20 minutes), then 11:00 and
    # 11:10 (a new visit after a 40-minute gap, 10 minutes). r1 in April: one view.
    # r2 in April: 09:00 and 09:10 on a computer. A clinician's views never count as a relative's.
    views(r1, "2026-03-16 10:00", "2026-03-16 10:05", "2026-03-16 10:20", "2026-03-16 11:00")
    views(r1, "2026-03-16 11:10", route=THREAD_ROUTE)
    views(r1, "2026-04-02 08:00")
    views(r2, "2026-04-04 09:00", "2026-04-04 09:10", device="desktop")
    views(c1, "2026-03-16 10:00", "2026-03-16 10:01", device="desktop", roles="clinician")
    views(rb, "2026-05-03 09:00", device="tablet")
    return History(site_a, site_b, a1, a2, b1, r1, r2, rb, c1, c2, c3)
