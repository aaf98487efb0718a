"""Use cases for the support-network map: the map and its history, needs, matched help, the review prompt.

Every query filters by the relative who owns the rows; nothing here takes a staff member.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from react_toolkit import signals
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.modules import services as module_services
from react_toolkit.network.choices import CIRCLES, INTERESTS, KINDS, SUPPORT_KINDS, TIMES, TRAVEL, WAYS
from react_toolkit.network.matching import Candidate, Match, Person, gaps, rank
from react_toolkit.network.models import MapEntry, MapVersion, Needs, Suggestion
from react_toolkit.resources import services as resource_services
from react_toolkit.resources.areas import clean_place, is_place
from react_toolkit.resources.models import Resource
from react_toolkit.timeutil import LONDON, now, today

LABEL_MAX = 40
ENTRIES_MAX = 60
SUGGESTIONS_SHOWN = 10
REVIEW_WEEKS = (12, 24)
REVIEW_WINDOW = timedelta(days=14)
# A run of digits like a phone number, or an email address: the map holds no contact details.
CONTACT = re.compile(r"@|\d[\d\s-]{4,}\d")


class NetworkError(Refusal):
    """Refused by the map's rules."""


# The map -------------------------------------------------------------------------------------


def entries(user) -> list[MapEntry]:
    """The relative's own map, closest first, then in the order they were added."""
    return list(
        db.session.scalars(
            select(MapEntry).where(MapEntry.user_id == user.id).order_by(MapEntry.circle, MapEntry.id)
        )
    )


def entry(user, entry_id: int) -> MapEntry | None:
    """One entry of the relative's own map; None for anyone else's."""
    return db.session.scalar(select(MapEntry).where(MapEntry.id == entry_id, MapEntry.user_id == user.id))


def _check(values: dict) -> dict:
    label = " ".join(str(values.get("label") or "").split())
    if not label:
        raise NetworkError(_l("Enter a first name or a label"), field="label")
    if len(label) > LABEL_MAX:
        raise NetworkError(
            _l("The name or label must be %(max)s characters or fewer", max=LABEL_MAX), field="label"
        )
    if CONTACT.search(label):
        raise NetworkError(
            _l("Use a first name or a label only. Do not put phone numbers or email addresses on your map"),
            field="label",
        )
    kind = values.get("kind")
    if kind not in KINDS:
        raise NetworkError(
            _l("Choose what this is: a person, a group, a service, a pet or an activity"), "kind"
        )
    try:
        circle = int(values.get("circle"))
    except (TypeError, ValueError):
        circle = 0
    if circle not in CIRCLES:
        raise NetworkError(_l("Choose how close they are to you"), field="circle")
    gives = [kind for kind in SUPPORT_KINDS if kind in (values.get("gives") or ())]
    return {"label": label, "kind": kind, "circle": circle, "gives": gives}


def _free_angle(user, circle: int, leave_out: int | None = None) -> int:
    """A place on the circle as far as can be from the entries already on it."""
    taken = [
        e.angle for e in entries(user) if e.circle == circle and e.id != leave_out and e.angle is not None
    ]
    if not taken:
        return 270 - 30 * circle  # the first on each circle starts at a different place
    candidates = range(0, 360, 15)

    def distance(angle: int) -> int:
        return min(min(abs(angle - t) % 360, 360 - abs(angle - t) % 360) for t in taken)

    return max(candidates, key=lambda angle: (distance(angle), -angle))


def _snapshot(user, change: str) -> None:
    """Keep the whole map as it now stands, and say (without its contents) that it was made or changed."""
    db.session.flush()
    made_before = db.session.scalar(select(func.count()).where(MapVersion.user_id == user.id))
    db.session.add(
        MapVersion(
            user_id=user.id,
            saved_at=now(),
            change=change,
            entries=[
                {"id": e.id, "label": e.label, "kind": e.kind, "circle": e.circle, "gives": list(e.gives)}
                for e in entries(user)
            ],
        )
    )
    if change == "reviewed":
        signals.network_map_reviewed.send(user, object_type="network_map", object_id=None)
    elif made_before:
        signals.network_map_changed.send(user, object_type="network_map", object_id=None)
    else:
        signals.network_map_created.send(user, object_type="network_map", object_id=None)


def add_entry(user, values: dict) -> MapEntry:
    """Place someone or something on the map."""
    checked = _check(values)
    count = db.session.scalar(select(func.count()).where(MapEntry.user_id == user.id))
    if count >= ENTRIES_MAX:
        raise NetworkError(
            _l("Your map has %(max)s entries, which is as many as it can hold", max=ENTRIES_MAX)
        )
    added = MapEntry(user_id=user.id, angle=_free_angle(user, checked["circle"]), **checked)
    added.created_at = added.updated_at = now()
    db.session.add(added)
    _snapshot(user, "added")
    db.session.commit()
    return added


def edit_entry(user, changed: MapEntry, values: dict) -> bool:
    """Change an entry's name, kind, circle or what it gives; False when nothing changed."""
    checked = _check(values)
    if all(getattr(changed, name) == value for name, value in checked.items()):
        return False
    if checked["circle"] != changed.circle:
        changed.angle = _free_angle(user, checked["circle"], leave_out=changed.id)
    for name, value in checked.items():
        setattr(changed, name, value)
    changed.updated_at = now()
    _snapshot(user, "edited")
    db.session.commit()
    return True


def move_entry(user, moved: MapEntry, circle: int, angle: int | None = None) -> bool:
    """Move an entry to another circle, or to another place on its circle; False when it stayed put."""
    if circle not in CIRCLES:
        raise NetworkError(_l("Choose how close they are to you"), field="circle")
    if angle is not None and not 0 <= angle < 360:
        raise NetworkError(_l("Choose how close they are to you"), field="circle")
    if circle == moved.circle and (angle is None or angle == moved.angle):
        return False
    if angle is None:
        angle = _free_angle(user, circle, leave_out=moved.id)
    moved.circle, moved.angle, moved.updated_at = circle, angle, now()
    _snapshot(user, "moved")
    db.session.commit()
    return True


def remove_entry(user, removed: MapEntry) -> None:
    """Take an entry off the map; the history keeps how the map looked before."""
    db.session.delete(removed)
    _snapshot(user, "removed")
    db.session.commit()


def confirm_map(user) -> None:
    """The relative looked over their map and it is still right: a review, kept in the history."""
    if not entries(user):
        raise NetworkError(_l("Add someone or something to your map first"))
    _snapshot(user, "reviewed")
    db.session.commit()


@dataclass
class HistoryStep:
    saved_at: datetime
    change: str
    total: int
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    moved: list[tuple[str, int, int]] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)
    by_circle: dict[int, list[str]] = field(default_factory=dict)


def history(user) -> list[HistoryStep]:
    """How the map has changed, newest first: each version compared with the one before it."""
    versions = list(
        db.session.scalars(
            select(MapVersion)
            .where(MapVersion.user_id == user.id)
            .order_by(MapVersion.saved_at, MapVersion.id)
        )
    )
    steps, before = [], {}
    for version in versions:
        after = {item["id"]: item for item in version.entries}
        step = HistoryStep(version.saved_at, version.change, len(after))
        step.added = [after[i]["label"] for i in after if i not in before]
        step.removed = [before[i]["label"] for i in before if i not in after]
        for i in after.keys() & before.keys():
            old, new = before[i], after[i]
            if old["circle"] != new["circle"]:
                step.moved.append((new["label"], old["circle"], new["circle"]))
            elif (old["label"], old["kind"], old["gives"]) != (new["label"], new["kind"], new["gives"]):
                step.edited.append(new["label"])
        step.by_circle = {
            c: [item["label"] for item in after.values() if item["circle"] == c] for c in CIRCLES
        }
        steps.append(step)
        before = after
    return list(reversed(steps))


# Needs and preferences -------------------------------------------------------------------------


def needs(user) -> Needs | None:
    return db.session.scalar(select(Needs).where(Needs.user_id == user.id))


def save_needs(user, values: dict) -> Needs:
    """Keep the relative's answers about what would help and how; choices only, never free text."""

    def chosen(name: str, allowed: dict) -> list[str]:
        return [key for key in allowed if key in (values.get(name) or ())]

    travel = values.get("travel") or ""
    if travel not in TRAVEL:
        raise NetworkError(_l("Choose how far you can travel"), field="travel")
    place = clean_place(values.get("place") or "")
    if place and not is_place(place):
        raise NetworkError(
            _l("Enter the first part of your postcode, like NG7, or the letters of your area, like NG"),
            field="place",
        )
    answers = needs(user) or Needs(user_id=user.id)
    answers.helps_most = chosen("helps_most", SUPPORT_KINDS)
    answers.ways = chosen("ways", WAYS)
    answers.times = chosen("times", TIMES)
    answers.travel = travel
    answers.interests = chosen("interests", INTERESTS)
    answers.place = place
    answers.updated_at = now()
    db.session.add(answers)
    db.session.flush()
    signals.network_needs_saved.send(user, object_type="network_needs", object_id=None)
    db.session.commit()
    return answers


# Matched help --------------------------------------------------------------------------------


def person(user) -> Person:
    """What ranking knows of the relative: what their map lacks, and their answers."""
    answers = needs(user)
    missing = gaps(e.gives for e in entries(user))
    if answers is None:
        return Person(gaps=missing)
    return Person(
        gaps=missing,
        wants=frozenset(answers.helps_most),
        ways=frozenset(answers.ways),
        times=frozenset(answers.times),
        travel=answers.travel,
        interests=frozenset(answers.interests),
        place=answers.place,
    )


def _candidate(resource: Resource) -> Candidate:
    return Candidate(
        id=resource.id,
        name=resource.name,
        local=not resource.is_national,
        areas=tuple(resource.area_list),
        support=tuple(resource.support_list),
        phone=bool(resource.phone or resource.text_number),
        online=bool(resource.website or resource.email),
        text=f"{resource.name} {resource.description}",
        opening_times=resource.opening_times,
    )


@dataclass
class Suggested:
    resource: Resource
    match: Match
    suggestion: Suggestion


def _responses(user) -> dict[int, Suggestion]:
    return {
        s.resource_id: s for s in db.session.scalars(select(Suggestion).where(Suggestion.user_id == user.id))
    }


def suggestions(user) -> tuple[list[Suggested], list[Resource]]:
    """The directory entries best suited to the relative, with reasons; and those they said were not for them.

    An entry is recorded as shown the first time it is suggested, so a team can count suggestions.
    """
    resources = {r.id: r for r in resource_services.search(user)}
    responses = _responses(user)
    declined = [resources[i] for i, s in responses.items() if s.declined_at and i in resources]
    ranked = [
        m
        for m in rank(map(_candidate, resources.values()), person(user))
        if m.candidate.id not in {r.id for r in declined}
    ][:SUGGESTIONS_SHOWN]
    shown = []
    for match in ranked:
        suggestion = responses.get(match.candidate.id)
        if suggestion is None:
            suggestion = Suggestion(user_id=user.id, resource_id=match.candidate.id, shown_at=now())
            db.session.add(suggestion)
            db.session.flush()
            signals.network_suggestion_shown.send(
                user, object_type="network_suggestion", object_id=suggestion.id
            )
        shown.append(Suggested(resources[match.candidate.id], match, suggestion))
    db.session.commit()
    return shown, sorted(declined, key=lambda r: r.name.lower())


RESPONSES = ("save", "decline", "followed", "restore")


def respond(user, resource: Resource, action: str) -> Suggestion:
    """What the relative made of a suggestion: saved it to their toolbox, not for them, contacted or went."""
    if action not in RESPONSES:
        raise NetworkError(_l("Choose what you want to do with this suggestion"))
    suggestion = db.session.scalar(
        select(Suggestion).where(Suggestion.user_id == user.id, Suggestion.resource_id == resource.id)
    )
    if suggestion is None:
        suggestion = Suggestion(user_id=user.id, resource_id=resource.id, shown_at=now())
        db.session.add(suggestion)
        db.session.flush()
    at = now()
    if action == "save":
        suggestion.saved_at = suggestion.saved_at or at
        suggestion.declined_at = None
        signals.network_suggestion_saved.send(user, object_type="network_suggestion", object_id=suggestion.id)
        module_services.add_resource_to_toolbox(user, resource)  # commits this action with the toolbox item
        return suggestion
    if action == "decline":
        suggestion.declined_at = at
        signals.network_suggestion_declined.send(
            user, object_type="network_suggestion", object_id=suggestion.id
        )
    elif action == "followed":
        suggestion.followed_at = suggestion.followed_at or at
        suggestion.declined_at = None
        signals.network_suggestion_followed.send(
            user, object_type="network_suggestion", object_id=suggestion.id
        )
    else:
        suggestion.declined_at = None
    db.session.commit()
    return suggestion


# The review prompt ---------------------------------------------------------------------------


def review_due(user, on: date | None = None) -> dict | None:
    """At 12 and 24 weeks from joining, give or take two weeks: the week it is, and whether a map exists.

    None outside those windows, or once the map has been changed or looked over in the window.
    """
    on = on or today()
    joined = user.created_at.astimezone(LONDON).date()
    for weeks in REVIEW_WEEKS:
        point = joined + timedelta(weeks=weeks)
        if abs((on - point).days) > REVIEW_WINDOW.days:
            continue
        since = point - REVIEW_WINDOW
        last = db.session.scalar(select(func.max(MapVersion.saved_at)).where(MapVersion.user_id == user.id))
        if last is not None and last.astimezone(LONDON).date() >= since:
            return None
        has_map = db.session.scalar(select(func.count()).where(MapEntry.user_id == user.id)) > 0
        return {"weeks": weeks, "has_map": has_map}
    return None


# A person's rows -----------------------------------------------------------------------------


def erase(user) -> None:
    """Forget the relative's map, its history, their answers and what they made of suggestions."""
    for model in (MapEntry, MapVersion, Needs, Suggestion):
        db.session.execute(delete(model).where(model.user_id == user.id))
