"""The support map's section of the implementation dashboard: per team, from events and counts only.

Who made a map and what they did with suggestions come from usage events, which hold no map
contents. Which kinds of support are missing is counted from the maps themselves, as numbers per
team, so a team knows which local help to look for; the dashboard hides counts under five.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import distinct, func, select

from react_toolkit.auth.models import User
from react_toolkit.dashboard.figures import teams_in
from react_toolkit.extensions import db
from react_toolkit.network.choices import SUPPORT_KINDS
from react_toolkit.network.matching import SUPPORT_ORDER, gaps
from react_toolkit.network.models import MapEntry
from react_toolkit.usage.models import UsageEvent

MADE = "network.map.created"
SHOWN = "network.suggestion.shown"
SAVED = "network.suggestion.saved"
FOLLOWED = "network.suggestion.followed"


@dataclass
class TeamFigures:
    name: str
    site_name: str
    made_map: int = 0
    shown: int = 0
    saved: int = 0
    followed: int = 0
    with_map: int = 0  # relatives in the team whose map has something on it now
    missing: dict[str, int] = field(default_factory=dict)  # kind -> relatives whose map lacks it

    def most_missing(self) -> list[tuple[str, int]]:
        """Kinds of support missing from most maps first, leaving out those missing from none."""
        ranked = sorted(self.missing.items(), key=lambda item: (-item[1], SUPPORT_ORDER.index(item[0])))
        return [(str(SUPPORT_KINDS[kind]), count) for kind, count in ranked if count]


def _event_counts(period, team_ids: list[int]) -> dict[tuple[str, int], int]:
    """(event name, team) -> events in the period; relatives who made a map are counted once each."""
    counts: dict[tuple[str, int], int] = {}
    in_period = (UsageEvent.team_id.in_(team_ids), period.contains(UsageEvent.occurred_at))
    rows = db.session.execute(
        select(UsageEvent.name, UsageEvent.team_id, func.count())
        .where(UsageEvent.name.in_((SHOWN, SAVED, FOLLOWED)), *in_period)
        .group_by(UsageEvent.name, UsageEvent.team_id)
    )
    for name, team_id, count in rows:
        counts[(name, team_id)] = count
    rows = db.session.execute(
        select(UsageEvent.team_id, func.count(distinct(UsageEvent.user_id)))
        .where(UsageEvent.name == MADE, *in_period)
        .group_by(UsageEvent.team_id)
    )
    for team_id, count in rows:
        counts[(MADE, team_id)] = count
    return counts


def _missing(team_ids: list[int]) -> dict[int, tuple[int, Counter]]:
    """team -> (relatives with a map, how many of those maps lack each kind of support)."""
    given: dict[tuple[int, int], list[list[str]]] = {}
    rows = db.session.execute(
        select(User.team_id, MapEntry.user_id, MapEntry.gives)
        .join(User, User.id == MapEntry.user_id)
        .where(User.team_id.in_(team_ids))
    )
    for team_id, user_id, gives in rows:
        given.setdefault((team_id, user_id), []).append(gives)
    found: dict[int, tuple[int, Counter]] = {}
    for (team_id, _user_id), lists in given.items():
        people, counter = found.get(team_id, (0, Counter()))
        counter.update(gaps(lists))
        found[team_id] = (people + 1, counter)
    return found


def figures(period, scope) -> dict | None:
    """Per team in scope: maps made, suggestions shown, saved and followed, and what is missing."""
    teams = teams_in(scope)
    if not teams:
        return None
    team_ids = [team.id for team in teams]
    counts = _event_counts(period, team_ids)
    missing = _missing(team_ids)
    rows = []
    for team in teams:
        people, counter = missing.get(team.id, (0, Counter()))
        rows.append(
            TeamFigures(
                name=team.name,
                site_name=team.site.name,
                made_map=counts.get((MADE, team.id), 0),
                shown=counts.get((SHOWN, team.id), 0),
                saved=counts.get((SAVED, team.id), 0),
                followed=counts.get((FOLLOWED, team.id), 0),
                with_map=people,
                missing={kind: counter.get(kind, 0) for kind in SUPPORT_ORDER},
            )
        )
    return {"teams": rows}
