"""A small world with something owned at two trusts, so that every route has ids to try.

Trust A has teams A1 and A2, trust B has teams B1 and B2. Each role has three people:
"A" (team A1, or trust A for a site lead), "peer" (team A2: same trust, another team) and
"B" (team B1). Administrators and researchers belong to no trust. Everything owned is made
through the services, as the pages would make it: relative A (and relative B) each have a
conversation, a toolbox note, a support map with one entry and answers to its needs questions, a second factor (an app, a passkey and a remembered device) and a forum thread in their trust's own category, whose post a
moderator passed to their team (a staff-only escalation); clinician A and B each sent an
invitation; supporter A and B each keep a saved reply and a local resource.
The risk list holds one harmless phrase: nothing here is risky, and the full list is slow to apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from react_toolkit.adoption import services as adoption_services
from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.forum import services as forum_services
from react_toolkit.forum.models import Post, QueueItem
from react_toolkit.inbox import services as inbox_services
from react_toolkit.modules import services as module_services
from react_toolkit.modules.models import Exercise, Module, Section
from react_toolkit.network import services as network_services
from react_toolkit.notifications import services as notification_services
from react_toolkit.notifications.models import Notice
from react_toolkit.organisations import services as organisation_services
from react_toolkit.organisations.models import Site, Team
from react_toolkit.resources import services as resource_services
from react_toolkit.risk import services as risk_services
from react_toolkit.second_factor.models import Passkey, RememberedDevice
from react_toolkit.timeutil import now
from tests.second_factor.helpers import turn_on

SIGNED_OUT = "signed_out"
ROLES = (
    SIGNED_OUT,
    R.RELATIVE,
    R.CLINICIAN,
    R.SUPPORTER,
    R.MODERATOR,
    R.SITE_LEAD,
    R.RESEARCHER,
    R.ADMIN,
    R.CONTENT_REVIEWER,
)
ACTORS = ("A", "peer", "B")
RESET_LINK = re.compile(r"/password/reset/(\S+)")


@dataclass
class World:
    sites: dict[str, Site]
    teams: dict[str, Team]
    users: dict[tuple[str, str], User]
    # ids["A"] and ids["B"]: a value for each URL parameter, owned at that trust. A key
    # "blueprint.param" wins over "param" where one name means different things, and a key
    # "endpoint.param" (such as "inbox.view_forum_post.conversation_id") over both where one
    # route needs a thing of its own.
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)

    def user(self, role: str, actor: str = "A") -> User:
        return self.users[(role, actor)]

    def value(self, side: str, endpoint: str, param: str) -> Any:
        values = self.ids[side]
        blueprint = endpoint.split(".", 1)[0]
        return values.get(f"{endpoint}.{param}", values.get(f"{blueprint}.{param}", values.get(param)))


def _people(create_user, teams: dict[str, Team]) -> dict[tuple[str, str], User]:
    homes = {"A": teams["A1"], "peer": teams["A2"], "B": teams["B1"]}
    users = {}
    for role in ROLES[1:]:
        for actor, team in homes.items():
            if role in (R.ADMIN, R.RESEARCHER):
                users[(role, actor)] = create_user(role, no_team=True)
            else:
                users[(role, actor)] = create_user(role, team=team)
    return users


def _module(content_dir: Path) -> tuple[Module, Section, Exercise]:
    module_services.sync_content(content_dir)
    exercise, section, module = db.session.execute(
        select(Exercise, Section, Module)
        .join(Section, Section.id == Exercise.section_id)
        .join(Module, Module.id == Section.module_id)
        .order_by(Section.position, Exercise.id)
        .limit(1)
    ).one()
    return module, section, exercise


def _owned(side: str, world: World, outbox: list) -> dict[str, Any]:
    """Everything relative, clinician and supporter of one trust own there."""
    relative = world.user(R.RELATIVE, side)
    clinician = world.user(R.CLINICIAN, side)
    supporter = world.user(R.SUPPORTER, side)
    site = world.sites[side]
    team = world.teams[f"{side}1"]

    category = forum_services.add_category(f"Local {side}", "Only this trust's members.", site_code=site.code)
    thread, outcome = forum_services.create_thread(relative, category, f"Thread {side}", "Hello from here.")
    conversation, _ = inbox_services.start_conversation(relative, f"Subject {side}", "A message.")
    escalation_id = forum_services.escalate(
        world.user(R.MODERATOR, side), outcome.post, "Passed to the team to look at."
    )
    note = module_services.add_note(relative, f"Note {side}", "Something to keep.")
    invitation = auth_services.create_invitation(clinician, team, "code")
    saved = inbox_services.save_reply(supporter, None, f"Saved {side}", "A reply we use often.")
    resource = resource_services.add_local(
        supporter,
        site.id,
        {
            "name": f"Carers' centre {side}",
            "category": "carers",
            "description": "Support for carers.",
            "website": f"https://carers-{side.lower()}.example.org",
            "support_kinds": ["company", "information"],
        },
    )
    entry = network_services.add_entry(
        relative, {"label": f"Friend {side}", "kind": "person", "circle": 1, "gives": ["talk"]}
    )
    network_services.save_needs(relative, {"helps_most": ["company"], "ways": ["online"], "travel": "nearby"})
    auth_services.request_password_reset(relative.email)
    token = RESET_LINK.search(outbox[-1].body)
    # The relative chose a second factor. A passkey and a remembered device are made by a browser,
    # so the world keeps one of each as its row alone.
    turn_on(relative)
    passkey = Passkey(
        user_id=relative.id, credential_id=f"credential-{side}", public_key=b"key", name=f"Phone {side}"
    )
    device = RememberedDevice(
        user_id=relative.id, token_hash=f"{side}" * 64, expires_at=now() + timedelta(days=30)
    )
    # A notice that failed after every try, for the administrators' list.
    failed = Notice(kind="account.password_reset", channel="email", recipient=relative.email, status="failed")
    db.session.add_all([passkey, device, failed])
    db.session.commit()
    # An open NoMAD wave at the trust, answered by nobody yet.
    wave = adoption_services.open_wave(world.user(R.SITE_LEAD, side), site.id, f"Wave {side}")
    return {
        "site_id": site.id,
        "team_id": team.id,
        "wave_id": wave.id,
        "user_id": relative.id,
        "invitation_id": invitation.id,
        "code": invitation.code,
        "token": token.group(1),
        "forum.slug": category.slug,
        "thread_id": thread.id,
        "post_id": outcome.post.id,
        "conversation_id": conversation.id,
        "inbox.view_forum_post.conversation_id": escalation_id,  # an escalation from the forum
        "modules.item_id": note.id,
        "reply_id": saved.id,
        "resource_id": resource.id,
        "entry_id": entry.id,
        "passkey_id": passkey.id,
        "outcomes.instrument": "phq9",  # a questionnaire, answered by nobody but the relative
        "notifications.token": notification_services.unsubscribe_token(relative.id, "forum.reply"),
        "notice_id": failed.id,
    }


def _published_reply(author: User, thread_id: int) -> int:
    reply = Post(thread_id=thread_id, author_id=author.id, body="Thank you for writing.", status="published")
    db.session.add(reply)
    db.session.commit()
    return reply.id


def build_world(create_team, create_user, outbox: list, content_dir: Path) -> World:
    sites, teams = {}, {}
    for side in ("A", "B"):
        first = create_team()
        sites[side] = first.site
        teams[f"{side}1"] = first
        teams[f"{side}2"] = create_team(first.site)
    world = World(sites=sites, teams=teams, users=_people(create_user, teams))
    forum_services.seed_categories()
    module, section, exercise = _module(content_dir)

    shared = {
        "modules.slug": module.slug,
        "reviews.slug": module.slug,
        "adoption.slug": "inviting",
        "reviews.key": "mha-1983",
        "number": section.position,
        "key": exercise.key,
        "section_id": section.id,
        "holiday_id": organisation_services.add_bank_holiday(date(2031, 12, 25), "Christmas Day").id,
        "phrase_id": risk_services.save_phrase(
            world.user(R.MODERATOR),
            None,
            phrase="zebra crossing",
            category="allow",
            action="allow",
            message="",
        ).id,
    }
    world.ids = {side: {**shared, **_owned(side, world, outbox)} for side in ("A", "B")}
    module_services.add_section_to_toolbox(world.user(R.RELATIVE), section)  # a second item, to move
    for side in ("A", "B"):
        # A post by another member of the trust, published: the one post each person may thank.
        world.ids[side]["forum.thank_post.post_id"] = _published_reply(
            create_user(team=teams[f"{side}1"]), world.ids[side]["thread_id"]
        )

    post = db.session.get(Post, world.ids["A"]["post_id"])
    forum_services.report(world.user(R.RELATIVE, "peer"), post, "unkind", "Not kind.")
    world.ids["A"]["forum.item_id"] = db.session.scalar(
        select(QueueItem.id).where(QueueItem.post_id == post.id)
    )
    db.session.expire_all()
    return world
