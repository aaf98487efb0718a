"""Ranking directory entries for one relative: by their gaps, needs, preferences and area.

Pure functions over plain values, so the order can be worked out by hand and tested. Each
point a suggestion earns comes with its reason, and the page shows every reason.

Points, per entry:
- each kind of support it gives that the relative said would help most now: 3;
- each kind it gives that nobody on their map gives them: 2;
- each of their interests its name or description mentions: 1;
- it serves their postcode district: 3, their wider postcode area: 2 (1 if they can only
  make a short trip); a local entry for the whole trust: 1. A local entry that serves
  other places only is left out. Someone who cannot leave home gets no points for place;
- it can be reached the way they like to take part (by phone, online, or locally in person): 1;
- its opening times mention a time they are free: 1.
An entry that earns nothing for needs or interests is not suggested. Ties go to local entries,
then by name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from react_toolkit.resources.areas import reach

SUPPORT_ORDER = ("talk", "practical", "information", "break", "company")

# Words in an entry's name or description that show it suits an interest.
INTEREST_WORDS = {
    "meeting_others": ("support group", "peer", "meet", "groups", "online community"),
    "understanding": ("psychosis", "bipolar", "guides", "hearing voices", "understand"),
    "money": ("benefit", "money", "debt", "grant", "allowance", "work"),
    "outdoors": ("walk", "outdoor", "garden", "nature", "park"),
    "creative": ("art", "craft", "music", "sing", "writing", "creative"),
    "exercise": ("exercise", "sport", "gym", "yoga", "swim", "football"),
    "faith": ("faith", "church", "mosque", "temple", "synagogue", "gurdwara", "spiritual"),
}

# Words in opening times that show an entry is open when someone is free.
TIME_WORDS = {
    "weekday_day": ("any time", "every day", "24 hours", "monday", "weekday", "daytime"),
    "weekday_evening": ("any time", "24 hours", "evening", "night", "until 8", "until 9", "until 10"),
    "weekend": ("any time", "every day", "24 hours", "weekend", "saturday", "sunday", "7 days"),
}


@dataclass(frozen=True)
class Candidate:
    """What ranking needs to know of a directory entry."""

    id: int
    name: str
    local: bool
    areas: tuple[str, ...] = ()
    support: tuple[str, ...] = ()
    phone: bool = False
    online: bool = False
    text: str = ""  # name and description, for interests
    opening_times: str = ""


@dataclass(frozen=True)
class Person:
    """What ranking needs to know of the relative: never their map's names, only what it lacks."""

    gaps: frozenset[str] = frozenset()  # kinds of support nobody on their map gives
    wants: frozenset[str] = frozenset()  # kinds they said would help most now
    ways: frozenset[str] = frozenset()
    times: frozenset[str] = frozenset()
    travel: str = ""
    interests: frozenset[str] = frozenset()
    place: str = ""


@dataclass
class Match:
    candidate: Candidate
    score: int = 0
    # (reason code, value): ("wants", "talk"), ("gap", "company"), ("district", "NG7") ...
    reasons: list[tuple[str, str]] = field(default_factory=list)

    def add(self, points: int, reason: str, value: str = "") -> None:
        self.score += points
        self.reasons.append((reason, value))


def gaps(given: Iterable[Iterable[str]]) -> frozenset[str]:
    """The kinds of support no entry on a map gives, from each entry's list of what it gives."""
    covered = {kind for gives in given for kind in gives}
    return frozenset(kind for kind in SUPPORT_ORDER if kind not in covered)


def _mentions(text: str, words: Iterable[str]) -> bool:
    lowered = f" {text.lower()} "
    return any(word in lowered for word in words)


def score(candidate: Candidate, person: Person) -> Match | None:
    """The entry's points for this person, with a reason for each; None when it is not for them."""
    match = Match(candidate)
    for kind in SUPPORT_ORDER:
        if kind not in candidate.support:
            continue
        if kind in person.wants:
            match.add(3, "wants", kind)
        if kind in person.gaps:
            match.add(2, "gap", kind)
    for interest in INTEREST_WORDS:
        if interest in person.interests and _mentions(candidate.text, INTEREST_WORDS[interest]):
            match.add(1, "interest", interest)
    if match.score == 0:
        return None

    if candidate.local and candidate.areas and person.place:
        reached = reach(list(candidate.areas), person.place)
        if reached is None:
            return None
        if person.travel != "home":
            if reached == "district":
                match.add(3, "district", person.place)
            else:
                match.add(1 if person.travel == "nearby" else 2, "area", person.place)
    elif candidate.local and not candidate.areas and person.travel != "home":
        match.add(1, "trust")
    elif not candidate.local:
        match.reasons.append(("national", ""))

    if "phone" in person.ways and candidate.phone:
        match.add(1, "way", "phone")
    elif "online" in person.ways and candidate.online:
        match.add(1, "way", "online")
    elif "in_person" in person.ways and candidate.local and person.travel != "home":
        match.add(1, "way", "in_person")

    for time in TIME_WORDS:
        if time in person.times and _mentions(candidate.opening_times, TIME_WORDS[time]):
            match.add(1, "time", time)
            break
    return match


def rank(candidates: Iterable[Candidate], person: Person) -> list[Match]:
    """The entries that suit this person, best first: most points, then local ones, then by name."""
    matches = [found for found in (score(candidate, person) for candidate in candidates) if found]
    return sorted(matches, key=lambda m: (-m.score, not m.candidate.local, m.candidate.name.lower()))
