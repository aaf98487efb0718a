"""The NoMAD survey as data: its constructs and 20 statements, read and checked when the app starts.

Answers are on a five-point scale from strongly disagree (1) to strongly agree (5), or "not
relevant" (0), which counts towards no mean. A statement worded the other way round (reversed) is
turned over (6 - answer) when a construct's mean is worked out, so that higher always means the
toolkit is more a normal part of the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l

from react_toolkit.core.content import ContentError, load_yaml

ITEM_COUNT = 20
NOT_RELEVANT = 0
SCALE = (
    (5, _l("Strongly agree")),
    (4, _l("Agree")),
    (3, _l("Neither agree nor disagree")),
    (2, _l("Disagree")),
    (1, _l("Strongly disagree")),
    (NOT_RELEVANT, _l("Not relevant to me")),
)
CONSTRUCT_LABELS = {
    "coherence": _l("Coherence"),
    "cognitive_participation": _l("Cognitive participation"),
    "collective_action": _l("Collective action"),
    "reflexive_monitoring": _l("Reflexive monitoring"),
}
CONSTRUCT_ABOUT = {
    "coherence": _l("Making sense of the toolkit and what it is for."),
    "cognitive_participation": _l("Taking part in, and committing to, the work of using the toolkit."),
    "collective_action": _l("The work people do together to make the toolkit work."),
    "reflexive_monitoring": _l("How people judge the toolkit and its effects."),
}


@dataclass(frozen=True)
class Item:
    key: str
    construct: str
    text: str
    reversed: bool = False


@dataclass(frozen=True)
class Construct:
    key: str

    @property
    def label(self) -> str:
        return str(CONSTRUCT_LABELS[self.key])

    @property
    def about(self) -> str:
        return str(CONSTRUCT_ABOUT[self.key])


@dataclass(frozen=True)
class Survey:
    source: str
    wording_checked: bool
    constructs: tuple[Construct, ...]
    items: tuple[Item, ...]

    def items_of(self, construct: str) -> list[Item]:
        return [item for item in self.items if item.construct == construct]


def load(path: Path) -> Survey:
    """Read the survey file, or raise ContentError naming what is wrong."""
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path.name}: cannot be read ({error})") from error
    if not isinstance(data, dict) or not isinstance(data.get("source"), str) or not data["source"].strip():
        raise ContentError(f"{path.name}: the survey must say its source")
    constructs = tuple(Construct(row["key"]) for row in data.get("constructs") or [])
    if [c.key for c in constructs] != list(CONSTRUCT_LABELS):
        raise ContentError(
            f"{path.name}: the constructs must be {', '.join(CONSTRUCT_LABELS)}, in that order"
        )
    items = []
    for number, row in enumerate(data.get("items") or [], start=1):
        if not isinstance(row, dict) or not row.get("key") or not row.get("text"):
            raise ContentError(f"{path.name}: item {number} needs a key and a text")
        if row.get("construct") not in CONSTRUCT_LABELS:
            raise ContentError(f"{path.name}: item {number} names an unknown construct")
        items.append(
            Item(str(row["key"]), row["construct"], str(row["text"]), bool(row.get("reversed", False)))
        )
    if len(items) != ITEM_COUNT:
        raise ContentError(f"{path.name}: NoMAD has {ITEM_COUNT} statements, not {len(items)}")
    if len({item.key for item in items}) != len(items):
        raise ContentError(f"{path.name}: an item key is used twice")
    return Survey(data["source"].strip(), bool(data.get("wording_checked", False)), constructs, tuple(items))


def init_app(app: Flask, path: Path) -> None:
    app.extensions["nomad"] = load(path)


def survey() -> Survey:
    return current_app.extensions["nomad"]


def scored(item: Item, answer: int) -> int:
    """The answer as it counts towards means: reversed statements turned over."""
    return 6 - answer if item.reversed else answer
