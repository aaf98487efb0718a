"""The reminders' section of the implementation dashboard: did reminders bring people back?

Per team, for the months chosen: invitation reminders sent and how many of those invitations
were then used within a week; return nudges sent and how many of those relatives came back (any
page or sign-in) within a week. Counted from usage events and invitations only; the dashboard
hides counts under five.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from react_toolkit.auth.models import Invitation
from react_toolkit.dashboard.figures import teams_in
from react_toolkit.extensions import db
from react_toolkit.usage.models import UsageEvent

REMINDER = "notifications.reminder.sent"
WITHIN = timedelta(days=7)
# What counts as coming back: a page seen or a sign-in, not another notice sent to them.
VISITS = ("usage.page.viewed", "auth.login.succeeded")


@dataclass
class TeamReminders:
    name: str
    site_name: str
    invitation_reminders: int = 0
    joined_after: int = 0  # invitations used within a week of their reminder
    nudges: int = 0
    back_after: int = 0  # nudges followed by a visit within a week


def _reminders(period, team_ids: list[int]) -> list[tuple]:
    """(object type, object id, person, team, when) of each reminder; a nudge is the person's own
    event, so it names them by its user id (events never hold a person's id as their object)."""
    return list(
        db.session.execute(
            select(
                UsageEvent.object_type,
                UsageEvent.object_id,
                UsageEvent.user_id,
                UsageEvent.team_id,
                UsageEvent.occurred_at,
            )
            .where(
                UsageEvent.name == REMINDER,
                UsageEvent.team_id.in_(team_ids),
                period.contains(UsageEvent.occurred_at),
            )
            .order_by(UsageEvent.id)
        )
    )


def _joined(invitation_sent: dict[int, object]) -> set[int]:
    """Invitations among these that were used within a week after their reminder."""
    if not invitation_sent:
        return set()
    rows = db.session.execute(
        select(Invitation.id, Invitation.accepted_at).where(
            Invitation.id.in_(invitation_sent), Invitation.accepted_at.is_not(None)
        )
    )
    return {
        invitation_id
        for invitation_id, accepted_at in rows
        if invitation_sent[invitation_id] <= accepted_at <= invitation_sent[invitation_id] + WITHIN
    }


def _came_back(nudged: list[tuple[int, object]]) -> set[tuple[int, object]]:
    """(person, nudge time) pairs followed by a visit of theirs within a week."""
    if not nudged:
        return set()
    visits: dict[int, list] = defaultdict(list)
    rows = db.session.execute(
        select(UsageEvent.user_id, UsageEvent.occurred_at).where(
            UsageEvent.name.in_(VISITS),
            UsageEvent.user_id.in_({user_id for user_id, _ in nudged}),
            UsageEvent.occurred_at > min(sent_at for _, sent_at in nudged),
            UsageEvent.occurred_at <= max(sent_at for _, sent_at in nudged) + WITHIN,
        )
    )
    for user_id, occurred_at in rows:
        visits[user_id].append(occurred_at)
    return {
        (user_id, sent_at)
        for user_id, sent_at in nudged
        if any(sent_at < at <= sent_at + WITHIN for at in visits[user_id])
    }


def figures(period, scope) -> dict | None:
    """Per team in scope: reminders sent in the period, and how many were followed within a week."""
    teams = teams_in(scope)
    if not teams:
        return None
    rows = {team.id: TeamReminders(name=team.name, site_name=team.site.name) for team in teams}
    events = _reminders(period, list(rows))
    invitation_sent: dict[int, object] = {}
    invitation_team: dict[int, int] = {}
    nudged: list[tuple[int, object]] = []
    nudge_team: dict[tuple[int, object], int] = {}
    for object_type, object_id, user_id, team_id, occurred_at in events:
        if object_type == "invitation" and object_id and object_id.isdigit():
            invitation_sent[int(object_id)] = occurred_at
            invitation_team[int(object_id)] = team_id
            rows[team_id].invitation_reminders += 1
        elif object_type == "user" and user_id is not None:
            nudged.append((user_id, occurred_at))
            nudge_team[(user_id, occurred_at)] = team_id
            rows[team_id].nudges += 1
    for invitation_id in _joined(invitation_sent):
        rows[invitation_team[invitation_id]].joined_after += 1
    for pair in _came_back(nudged):
        rows[nudge_team[pair]].back_after += 1
    return {"teams": list(rows.values())}
