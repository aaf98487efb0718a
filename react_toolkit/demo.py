"""Demonstration data: two trusts, one login per role, and enough relatives to look alive.

Safe to run again: everything is looked up before it is created.
"""

from __future__ import annotations

import random
from datetime import time, timedelta

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.auth.forum_names import forum_name_key
from react_toolkit.auth.models import Invitation, User, UserRole
from react_toolkit.auth.passwords import hash_password
from react_toolkit.auth.services import CODE_ALPHABET, CODE_LENGTH
from react_toolkit.extensions import db
from react_toolkit.organisations.models import ServiceHours, Site, Team
from react_toolkit.timeutil import now

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published in the README; never loaded in production

SITES = [
    (
        "North River NHS Foundation Trust",
        "north-river",
        [
            ("Northgate EIP team", 180, "0300 555 0101"),
            ("Riverside EIP team", 140, "0300 555 0102"),
        ],
    ),
    (
        "Southdown Partnership NHS Trust",
        "southdown",
        [
            ("Downs EIP team", 160, "0300 555 0201"),
            ("Harbour EIP team", 120, "0300 555 0202"),
        ],
    ),
]

ROLE_LOGINS = [
    ("relative@example.org", "", [R.RELATIVE], "HopefulMum"),
    ("clinician@example.org", "Dr Priya Shah", [R.CLINICIAN], None),
    ("supporter@example.org", "Sam Okafor", [R.SUPPORTER], None),
    ("moderator@example.org", "Jo Whitfield", [R.MODERATOR], None),
    ("lead@example.org", "Helen Marsh", [R.SITE_LEAD], None),
    ("researcher@example.org", "Dr Tom Reid", [R.RESEARCHER], None),
    ("admin@example.org", "Alex Morgan", [R.ADMIN], None),
]

EXTRA_STAFF = [
    ("c.evans@example.org", "Chris Evans", [R.CLINICIAN], 1),
    ("m.ali@example.org", "Maryam Ali", [R.CLINICIAN, R.SUPPORTER], 1),
    ("r.jones@example.org", "Rhys Jones", [R.CLINICIAN], 2),
    ("k.brown@example.org", "Kerry Brown", [R.SUPPORTER, R.MODERATOR], 2),
    ("d.patel@example.org", "Dev Patel", [R.CLINICIAN], 3),
    ("l.green@example.org", "Lucy Green", [R.SITE_LEAD], 2),
]

RELATIVE_NAMES = [
    "QuietDad",
    "SunnyDays",
    "KeepGoing",
    "TeaAndBiscuits",
    "Walker22",
    "BrightMorning",
    "GardenGran",
    "StillHere",
    "Rainbow Sister",
    "Steady Hand",
    "OwlAtNight",
    "HopeSprings",
]


def _user(
    email: str,
    full_name: str,
    roles: list[str],
    site: Site | None,
    team: Team | None,
    forum_name: str | None,
    password_hash: str,
) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None:
        return user
    moment = now()
    user = User(
        email=email,
        full_name=full_name,
        password_hash=password_hash,
        forum_name=forum_name,
        forum_name_key=forum_name_key(forum_name) if forum_name else None,
        site_id=site.id if site else None,
        team_id=team.id if team else None,
        terms_accepted_at=moment if forum_name else None,
        password_changed_at=moment,
    )
    user.role_rows.extend(UserRole(role=role) for role in roles)
    db.session.add(user)
    db.session.flush()
    return user


def _sites() -> list[Team]:
    teams: list[Team] = []
    for site_name, code, team_specs in SITES:
        site = db.session.scalar(select(Site).where(Site.code == code))
        if site is None:
            site = Site(name=site_name, code=code)
            db.session.add(site)
            db.session.flush()
        for team_name, caseload, phone in team_specs:
            team = db.session.scalar(select(Team).where(Team.site_id == site.id, Team.name == team_name))
            if team is None:
                team = Team(
                    site_id=site.id,
                    name=team_name,
                    caseload=caseload,
                    caseload_set_at=now(),
                    crisis_phone=phone,
                    crisis_phone_label=f"{site_name} crisis line",
                )
                team.hours = [ServiceHours(weekday=d, opens=time(9), closes=time(17)) for d in range(5)]
                db.session.add(team)
                db.session.flush()
            teams.append(team)
    return teams


def load_demo(seed: int = 2026) -> dict[str, int]:
    """Create the demo data if it is not there yet; returns counts of what exists."""
    rng = random.Random(seed)
    password_hash = hash_password(DEMO_PASSWORD)
    teams = _sites()
    first_team = teams[0]
    staff: list[User] = []
    for email, name, roles, forum_name in ROLE_LOGINS:
        site = None if R.ADMIN in roles or R.RESEARCHER in roles else first_team.site
        team = first_team if roles[0] in (R.RELATIVE, R.CLINICIAN, R.SUPPORTER, R.MODERATOR) else None
        user = _user(email, name, roles, site, team, forum_name, password_hash)
        if R.CLINICIAN in roles or R.SUPPORTER in roles:
            staff.append(user)
    for email, name, roles, team_index in EXTRA_STAFF:
        team = teams[team_index]
        user = _user(
            email, name, roles, team.site, team if R.SITE_LEAD not in roles else None, None, password_hash
        )
        if R.CLINICIAN in roles or R.SUPPORTER in roles:
            staff.append(user)

    if db.session.scalar(select(Invitation.id).limit(1)) is None:
        moment = now()
        for index, forum_name in enumerate(RELATIVE_NAMES):
            inviter = staff[index % len(staff)]
            team = db.session.get(Team, inviter.team_id)
            sent = moment - timedelta(days=rng.randint(3, 200))
            invitation = Invitation(
                code="".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
                method="email" if index % 2 else "code",
                email=f"family{index + 1}@example.org" if index % 2 else None,
                site_id=team.site_id,
                team_id=team.id,
                invited_by_id=inviter.id,
                created_at=sent,
                expires_at=sent + timedelta(days=14),
            )
            db.session.add(invitation)
            if index < 9:
                relative = _user(
                    f"family{index + 1}@example.org",
                    "",
                    [R.RELATIVE],
                    team.site,
                    team,
                    forum_name,
                    password_hash,
                )
                relative.research_consent = index % 3 != 0
                invitation.accepted_at = sent + timedelta(days=rng.randint(0, 10))
                invitation.accepted_by_id = relative.id
        # Invitations still waiting, so the lists and codes have something current to show.
        for index, inviter in enumerate(staff[:3]):
            team = db.session.get(Team, inviter.team_id)
            db.session.add(
                Invitation(
                    code="".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
                    method="code",
                    site_id=team.site_id,
                    team_id=team.id,
                    invited_by_id=inviter.id,
                    created_at=moment - timedelta(days=index + 1),
                    expires_at=moment + timedelta(days=13 - index),
                )
            )
    db.session.commit()
    return {
        "sites": db.session.query(Site).count(),
        "teams": db.session.query(Team).count(),
        "users": db.session.query(User).count(),
        "invitations": db.session.query(Invitation).count(),
    }
