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


LOCAL_RESOURCES = [
    # 01632 960xxx numbers are reserved by Ofcom for fiction: none of these will ring anyone.
    (
        "north-river",
        "Northgate Carers' Centre",
        "local-groups",
        "A friendly drop-in centre for anyone caring for a family member or friend. Staff can help with a "
        "carer's assessment, benefits forms and time off for you.",
        "01632 960 101",
        "Monday to Friday, 9:30am to 4pm",
        "Step-free entrance. Hearing loop at reception.",
    ),
    (
        "north-river",
        "Riverside Family Support Group",
        "local-groups",
        "Relatives of people with psychosis meet once a month to share what helps. A member of the EIP team "
        "comes to answer questions.",
        "01632 960 102",
        "First Tuesday of each month, 6pm to 7:30pm",
        "Upstairs room with a lift. Tea and biscuits provided.",
    ),
    (
        "southdown",
        "Southdown Carers' Hub",
        "local-groups",
        "Advice, short breaks and a listening ear for unpaid carers in the Southdown area.",
        "01632 960 201",
        "Monday to Thursday, 10am to 3pm",
        "Interpreters can be booked. British Sign Language by video call.",
    ),
]


def _local_resources() -> None:
    from react_toolkit.resources.models import Resource, ResourceChange

    for code, name, category, description, phone, hours, access in LOCAL_RESOURCES:
        site = db.session.scalar(select(Site).where(Site.code == code))
        if site is None or db.session.scalar(select(Resource.id).where(Resource.name == name)):
            continue
        resource = Resource(
            site_id=site.id,
            name=name,
            category=category,
            description=description,
            phone=phone,
            opening_times=hours,
            accessibility=access,
        )
        db.session.add(resource)
        db.session.flush()
        db.session.add(ResourceChange(resource_id=resource.id, action="added", fields="demo data"))


def _reading_history(rng: random.Random) -> None:
    """Some reading progress and a toolbox note for the demo relative, once modules are loaded."""
    from react_toolkit.modules.models import Module, SectionProgress, ToolboxItem

    relative = db.session.scalar(select(User).where(User.email == "relative@example.org"))
    modules = db.session.scalars(select(Module).order_by(Module.position).limit(2)).all()
    if relative is None or not modules:
        return
    if db.session.scalar(select(SectionProgress.id).where(SectionProgress.user_id == relative.id)):
        return
    moment = now()
    for module in modules:
        for section in module.sections[: 3 if module.position == 1 else 2]:
            seen = moment - timedelta(days=rng.randint(1, 20))
            db.session.add(
                SectionProgress(
                    user_id=relative.id,
                    module_id=module.id,
                    section_id=section.id,
                    first_viewed_at=seen,
                    last_viewed_at=seen,
                    completed_at=seen,
                )
            )
    db.session.add(
        ToolboxItem(
            user_id=relative.id,
            kind="note",
            position=1,
            note_title="Numbers to keep",
            note_text="Crisis line is on the Need help now page. Care coordinator: ask at the next visit.",
        )
    )


FORUM_THREADS = [
    (
        "introductions",
        "QuietDad",
        "Hello from a new dad here",
        "My daughter was diagnosed with psychosis two months ago. I'm still taking it all in. Glad to find this place.",
        [
            (
                "SunnyDays",
                "Welcome. The first months are the hardest. It does get easier to understand, I promise.",
            ),
            ("KeepGoing", "Hello and welcome. The module on what psychosis is helped me a lot at the start."),
        ],
    ),
    (
        "coping-day-to-day",
        "TeaAndBiscuits",
        "Getting him to eat regular meals",
        "Since starting his medication my son sleeps until the afternoon and skips breakfast. Any ideas that worked for you?",
        [
            ("Walker22", "We started a late brunch together at weekends. Small thing, but it helped."),
            (
                "HopefulMum",
                "Our care coordinator suggested keeping easy snacks in his room. Worth asking yours.",
            ),
        ],
    ),
    (
        "good-news",
        "BrightMorning",
        "She went back to college today",
        "Only two mornings a week to start with, but she went, and she came home smiling.",
        [("GardenGran", "That is wonderful news. Well done to both of you.")],
    ),
]


def _forum(rng: random.Random) -> None:
    """A few friendly threads, and one post waiting for a moderator."""
    from react_toolkit.forum.models import HELD, ForumCategory, Post, QueueItem, Thread

    if db.session.scalar(select(Thread.id).limit(1)) is not None:
        return
    categories = {c.slug: c for c in db.session.scalars(select(ForumCategory))}
    people = {u.forum_name: u for u in db.session.scalars(select(User).where(User.forum_name.is_not(None)))}
    if not categories:
        return
    moment = now()
    for slug, author, title, body, replies in FORUM_THREADS:
        started = moment - timedelta(days=rng.randint(2, 30), hours=rng.randint(0, 12))
        thread = Thread(
            category_id=categories[slug].id,
            author_id=people[author].id,
            title=title,
            created_at=started,
            last_post_at=started,
            reply_count=len(replies),
        )
        db.session.add(thread)
        db.session.flush()
        db.session.add(Post(thread_id=thread.id, author_id=people[author].id, body=body, created_at=started))
        for number, (replier, text) in enumerate(replies, start=1):
            posted = started + timedelta(hours=3 * number)
            db.session.add(
                Post(thread_id=thread.id, author_id=people[replier].id, body=text, created_at=posted)
            )
            thread.last_post_at = posted
    thread = db.session.scalar(select(Thread).where(Thread.title == "Getting him to eat regular meals"))
    held = Post(
        thread_id=thread.id,
        author_id=people["StillHere"].id,
        status=HELD,
        held_because="first-posts",
        body="First time posting. We had the same with my brother; it settled after a few months.",
        created_at=moment - timedelta(hours=2),
    )
    db.session.add(held)
    db.session.flush()
    db.session.add(QueueItem(post_id=held.id, reason="held", severity=1, created_at=held.created_at))


def _conversations() -> None:
    """A conversation the demo relative has had with the supporter, and one waiting for the team."""
    from react_toolkit.inbox.models import WAITING, Conversation, Message, SavedReply

    relative = db.session.scalar(select(User).where(User.email == "relative@example.org"))
    supporter = db.session.scalar(select(User).where(User.email == "supporter@example.org"))
    other = db.session.scalar(select(User).where(User.forum_name == "QuietDad"))
    if None in (relative, supporter, other) or db.session.scalar(select(Conversation.id).limit(1)):
        return
    moment = now()
    started = moment - timedelta(days=3)
    answered = started + timedelta(hours=2)
    first = Conversation(
        relative_id=relative.id,
        team_id=relative.team_id,
        subject="Questions about his medication",
        status=WAITING,
        assigned_to_id=supporter.id,
        created_at=started,
        last_message_at=answered,
        first_response_at=answered,
        first_response_seconds=2 * 3600,
        relative_read_at=answered,
    )
    db.session.add(first)
    db.session.flush()
    db.session.add_all(
        [
            Message(
                conversation_id=first.id,
                author_id=relative.id,
                kind="relative",
                created_at=started,
                body="He says the tablets make him feel slowed down. Should he stop taking them?",
            ),
            Message(
                conversation_id=first.id,
                author_id=supporter.id,
                kind="staff",
                created_at=answered,
                body="Thank you for asking. Please ask him not to stop suddenly. Feeling slowed down is a common "
                "side effect, and the doctor can often help by changing the dose. I will ask his care "
                "coordinator to talk this through with you both.",
            ),
        ]
    )
    waiting = Conversation(
        relative_id=other.id,
        team_id=other.team_id,
        subject="Carer's assessment",
        created_at=moment - timedelta(hours=5),
        last_message_at=moment - timedelta(hours=5),
        waiting_since=moment - timedelta(hours=5),
    )
    db.session.add(waiting)
    db.session.flush()
    db.session.add(
        Message(
            conversation_id=waiting.id,
            author_id=other.id,
            kind="relative",
            created_at=waiting.created_at,
            body="How do I ask for a carer's assessment? I did not know I could have one.",
        )
    )
    db.session.add(
        SavedReply(
            team_id=supporter.team_id,
            title="Carer's assessment",
            body="You have a right to a carer's assessment from your local council. "
            "You can ask for one by phoning their adult social care team, and we can help.",
        )
    )


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
    _local_resources()
    _reading_history(rng)
    _forum(rng)
    _conversations()
    db.session.commit()
    return {
        "sites": db.session.query(Site).count(),
        "teams": db.session.query(Team).count(),
        "users": db.session.query(User).count(),
        "invitations": db.session.query(Invitation).count(),
    }
