"""A small world with one person per role and one of each kind of thing, for the page-by-page sweeps.

Built through the services where they exist, so each page shows what it would show in use:
a forum thread with a published post and one held in the queue, a conversation with a
reply and one waiting for the team, a toolbox note, a support map, an invitation, a local resource, a saved reply and dashboard figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from react_toolkit.adoption import services as adoption_services
from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.auth.models import Invitation, User
from react_toolkit.config import BASE_DIR
from react_toolkit.dashboard import rollup
from react_toolkit.extensions import db
from react_toolkit.forum import services as forum_services
from react_toolkit.forum.models import ForumCategory, Post
from react_toolkit.inbox import services as inbox_services
from react_toolkit.inbox.models import Conversation
from react_toolkit.modules import services as module_services
from react_toolkit.modules.models import Module, ToolboxItem
from react_toolkit.network import services as network_services
from react_toolkit.network.models import MapEntry
from react_toolkit.notifications import worker
from react_toolkit.organisations.hours import seed_bank_holidays
from react_toolkit.organisations.models import Site, Team
from react_toolkit.resources import services as resource_services
from react_toolkit.resources.models import Resource
from react_toolkit.risk.models import RiskPhrase
from react_toolkit.risk.services import seed_lexicon
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import PAGE_VIEWED, event_row
from tests.conftest import PASSWORD
from tests.second_factor.helpers import totp

ROLES = (
    R.RELATIVE,
    R.CLINICIAN,
    R.SUPPORTER,
    R.MODERATOR,
    R.SITE_LEAD,
    R.RESEARCHER,
    R.ADMIN,
    R.CONTENT_REVIEWER,
)


@dataclass
class World:
    site: Site
    team: Team
    people: dict[str, User]
    other_relative: User
    module: Module
    category: ForumCategory
    thread_id: int
    own_post: Post
    others_post: Post
    held_post: Post
    conversation: Conversation
    waiting_conversation: Conversation
    note: ToolboxItem
    invitation: Invitation
    resource: Resource
    map_entry: MapEntry
    saved_reply_id: int
    phrase_id: int
    reset_token: str
    wave_id: int


def _earlier(post: Post) -> None:
    post.created_at -= timedelta(minutes=5)
    db.session.commit()


def build_world(create_user, create_team) -> World:
    """Content, forum categories and one of each thing the pages show."""
    module_services.sync_content(BASE_DIR / "content")
    forum_services.seed_categories()
    seed_lexicon()
    seed_bank_holidays()
    db.session.commit()

    team = create_team()
    site = team.site
    people = {}
    for role in ROLES:
        if role == R.SITE_LEAD:
            people[role] = create_user(role, site=site, no_team=True)
        elif role in (R.RESEARCHER, R.ADMIN):
            people[role] = create_user(role)
        else:
            people[role] = create_user(role, team=team)
    relative, moderator, supporter = people[R.RELATIVE], people[R.MODERATOR], people[R.SUPPORTER]
    other = create_user(R.RELATIVE, team=team)

    module = db.session.scalar(select(Module).order_by(Module.position))
    category = db.session.scalar(select(ForumCategory).order_by(ForumCategory.position))

    # The other relative starts a thread (held as a first post) and a moderator lets it through;
    # the relative's own reply is let through too, and the other relative's next reply waits in
    # the queue. Each post is moved five minutes back so nobody meets the new-member rate limit.
    thread, outcome = forum_services.create_thread(
        other, category, "Sleep after coming home", "How did you all manage the first weeks of nights?"
    )
    others_post = outcome.post
    forum_services.approve(moderator, others_post)
    _earlier(others_post)
    own_post = forum_services.reply(
        relative, thread, "We kept a routine of tea at ten and lights out by eleven."
    ).post
    forum_services.approve(moderator, own_post)
    _earlier(own_post)
    held_post = forum_services.reply(other, thread, "Thank you, we will try a routine too.").post
    _earlier(held_post)

    conversation, _ = inbox_services.start_conversation(
        relative, "Questions about medication", "He says the tablets make him feel slowed down."
    )
    inbox_services.staff_reply(
        supporter,
        conversation,
        "Thank you for asking. Please ask him not to stop suddenly; the doctor can often help.",
        inbox_services.latest_visible_id(conversation),
    )
    waiting, _ = inbox_services.start_conversation(
        other, "Carer's assessment", "How do I ask for a carer's assessment? I did not know I could have one."
    )
    saved = inbox_services.save_reply(
        supporter, None, "Carer's assessment", "You can ask your council for one."
    )

    note = module_services.add_note(relative, "Numbers to keep", "Care coordinator: ask at the next visit.")
    invitation = auth_services.create_invitation(people[R.CLINICIAN], team, "code")
    resource = resource_services.add_local(
        supporter,
        site.id,
        {
            "name": "Northgate Carers' Centre",
            "category": "local-groups",
            "description": "A friendly drop-in centre for anyone caring for a family member or friend.",
            "phone": "01632 960 101",
            "opening_times": "Monday to Friday, 9:30am to 4pm",
            "support_kinds": ["company", "break"],
        },
    )
    map_entry = network_services.add_entry(
        relative, {"label": "Sam", "kind": "person", "circle": 1, "gives": ["talk", "practical"]}
    )
    network_services.add_entry(relative, {"label": "Walking group", "kind": "activity", "circle": 3})
    network_services.save_needs(relative, {"helps_most": ["company"], "ways": ["phone"], "travel": "nearby"})
    phrase_id = db.session.scalar(select(RiskPhrase.id).order_by(RiskPhrase.id))

    outbox = current_app.extensions["mail"].outbox
    auth_services.request_password_reset(other.email)
    worker.deliver_due()
    reset_token = re.search(r"/password/reset/(\S+)", outbox[-1].body).group(1)

    # Dashboard figures: the relative joined through an invitation last month and has read
    # the toolkit on a phone and a computer in each month since.
    joined = auth_services.create_invitation(people[R.CLINICIAN], team, "email", relative.email)
    a_month_ago = now() - timedelta(days=31)
    joined.created_at, joined.accepted_at, joined.accepted_by_id = a_month_ago, a_month_ago, relative.id
    relative.first_login_at = a_month_ago
    db.session.execute(
        UsageEvent.__table__.insert(),
        [
            event_row(
                PAGE_VIEWED,
                moment + timedelta(minutes=minutes),
                user_id=relative.id,
                roles=R.RELATIVE,
                site_id=site.id,
                team_id=team.id,
                route="/modules",
                device=device,
                status=200,
            )
            for moment in (a_month_ago, now() - timedelta(hours=1))
            for minutes, device in ((0, "mobile"), (5, "mobile"), (12, "desktop"))
        ],
    )
    db.session.commit()
    rollup.refresh()
    db.session.commit()
    wave = adoption_services.open_wave(people[R.SITE_LEAD], site.id, "Winter 2026")
    return World(
        site=site,
        team=team,
        people=people,
        other_relative=other,
        module=module,
        category=category,
        thread_id=thread.id,
        own_post=own_post,
        others_post=others_post,
        held_post=held_post,
        conversation=conversation,
        waiting_conversation=waiting,
        note=note,
        invitation=invitation,
        resource=resource,
        map_entry=map_entry,
        saved_reply_id=saved.id,
        phrase_id=phrase_id,
        reset_token=reset_token,
        wave_id=wave.id,
    )


# The recovery codes each person saved when they set up their second factor in the browser.
RECOVERY_CODES: dict[str, list[str]] = {}


def owes_second_factor(page) -> bool:
    return urlsplit(page.url).path.startswith("/second-factor")


def second_factor_code(page, email: str) -> str:
    """What to type on the second-factor page: on set-up, the app's code for the key the page shows;
    after that, one of the recovery codes the person saved (each works once, whatever the clock)."""
    if urlsplit(page.url).path == "/second-factor/set-up":
        return totp(page.inner_text(".react-secret__key").replace(" ", ""))
    return RECOVERY_CODES[email].pop()


def keep_recovery_codes(page, email: str) -> None:
    """On the page that shows the recovery codes after set-up: save them, as the page asks, and go on."""
    page.wait_for_load_state()
    codes = page.locator("[data-recovery-codes] code")
    if codes.count():
        RECOVERY_CODES[email] = codes.all_inner_texts()
        page.click("text=I have saved my recovery codes")
        page.wait_for_load_state()


def sign_in(page, email: str) -> None:
    """Sign in with the password and, for staff, the second factor: set up on their first sign-in."""
    page.goto("/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()
    if owes_second_factor(page):
        page.fill("#code", second_factor_code(page, email))
        page.click("button:has-text('Continue')")
        keep_recovery_codes(page, email)
    page.wait_for_url("**/")
