"""Questionnaires as data: each is one YAML file in content/instruments/, loaded and checked at start-up.

A file gives the items, the answers and their scores, how the total is made, the severity bands
with their published cut-offs, the source to cite and the licence. A trust with a licence for
another measure adds a file; a file with a missing or wrong field stops the app from starting,
with the file and the field named. `content/instruments/README.md` describes every field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flask import Flask, current_app
from flask_babel import pgettext

from react_toolkit.core.content import load_yaml

PUBLISHED, OWN = "published", "own"
ROUTINE, OPTIONAL = "routine", "optional"
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
EXTENSION = "instruments"

_TOP_FIELDS = {
    "key",
    "name",
    "short_name",
    "about",
    "wording",
    "languages",
    "schedule",
    "order",
    "stem",
    "copyright",
    "source",
    "licence",
    "options",
    "items",
    "total",
    "bands",
    "high_from",
    "higher_is_better",
}
_ITEM_FIELDS = {"key", "text", "missing", "safety", "scored", "required", "reverse", "options"}
_OPTION_FIELDS = {"value", "label"}
_BAND_FIELDS = {"min", "max", "key", "label"}


class InstrumentError(ValueError):
    """An instrument file that cannot be used: which file, which field, and what is wrong."""

    def __init__(self, path: Path, field: str, problem: str) -> None:
        super().__init__(f"{path.name}: {field}: {problem}")
        self.file = path.name
        self.field = field


@dataclass(frozen=True)
class Option:
    value: int  # what the browser sends: the answer's place on the scale
    label: str
    score: int  # what it counts towards the total


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    options: tuple[Option, ...]
    missing: str | None = None
    safety: bool = False  # any answer above the lowest calls for the safety response
    scored: bool = True
    required: bool = True
    reverse: bool = False

    def score(self, value: int) -> int:
        """The score an answer counts for; raises KeyError for an answer not on the scale."""
        return {option.value: option.score for option in self.options}[value]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(option.value for option in self.options)


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    key: str
    label: str

    def contains(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True)
class Instrument:
    key: str
    name: str
    short_name: str
    about: str
    wording: str
    languages: tuple[str, ...]
    schedule: str
    order: int
    stem: str
    copyright: str
    source: str
    licence: str
    items: tuple[Item, ...]
    lowest: int
    highest: int
    bands: tuple[Band, ...]
    high_from: int | None
    higher_is_better: bool
    path: str

    @property
    def scored_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.scored)

    @property
    def safety_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.safety)

    def band(self, total: int) -> Band | None:
        return next((band for band in self.bands if band.contains(total)), None)

    def is_high(self, total: int) -> bool:
        return self.high_from is not None and total >= self.high_from

    def safety_answered(self, answers: dict[str, int]) -> bool:
        """Whether any safety item has an answer above its lowest ("not at all")."""
        return any(answers.get(item.key, 0) > min(item.values) for item in self.safety_items)

    def total(self, answers: dict[str, int]) -> int:
        """The total of the scored items' scores."""
        return sum(item.score(answers[item.key]) for item in self.scored_items)

    def shown_in(self, language: str) -> bool:
        """Whether this instrument has a version in `language`; if not, its English wording is shown."""
        return language in self.languages


# Loading and checking ------------------------------------------------------------------------


def _require(
    path: Path, data: dict, field: str, where: str, kind: type | tuple, optional: bool = False
) -> Any:
    name = f"{where}{field}"
    if field not in data:
        if optional:
            return None
        raise InstrumentError(path, name, "is missing")
    value = data[field]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        raise InstrumentError(path, name, f"must be {_kind_words(kinds)}")
    if not isinstance(value, kinds):
        raise InstrumentError(path, name, f"must be {_kind_words(kinds)}")
    if isinstance(value, str) and not value.strip():
        raise InstrumentError(path, name, "must not be empty")
    return value


def _kind_words(kinds: tuple) -> str:
    words = {str: "text", int: "a whole number", bool: "true or false", list: "a list", dict: "a mapping"}
    return " or ".join(words[kind] for kind in kinds)


def _no_unknown(path: Path, data: dict, allowed: set[str], where: str) -> None:
    for field in data:
        if field not in allowed:
            raise InstrumentError(path, f"{where}{field}", "is not a field an instrument file may have")


def _key(path: Path, data: dict, where: str) -> str:
    value = _require(path, data, "key", where, str)
    if not KEY.match(value):
        raise InstrumentError(path, f"{where}key", "must be lower-case letters, digits and _ (at most 40)")
    return value


def _options(path: Path, raw: Any, where: str, reverse: bool = False) -> tuple[Option, ...]:
    if not isinstance(raw, list) or len(raw) < 2:
        raise InstrumentError(path, where.rstrip("."), "must be a list of at least two answers")
    options = []
    for number, entry in enumerate(raw):
        at = f"{where.rstrip('.')}[{number}]."
        if not isinstance(entry, dict):
            raise InstrumentError(path, at.rstrip("."), "must be a mapping with value and label")
        _no_unknown(path, entry, _OPTION_FIELDS, at)
        value = _require(path, entry, "value", at, int)
        label = _require(path, entry, "label", at, str).strip()
        options.append((value, label))
    values = [value for value, _label in options]
    if len(set(values)) != len(values):
        raise InstrumentError(path, where.rstrip("."), "has two answers with the same value")
    if values != sorted(values):
        raise InstrumentError(path, where.rstrip("."), "must list answers from the lowest value up")
    scores = list(reversed(values)) if reverse else values
    return tuple(Option(value, label, score) for (value, label), score in zip(options, scores, strict=True))


def _items(path: Path, data: dict, shared: Any) -> tuple[Item, ...]:
    raw = _require(path, data, "items", "", list)
    if not raw:
        raise InstrumentError(path, "items", "must list at least one item")
    items, seen = [], set()
    for number, entry in enumerate(raw):
        at = f"items[{number}]."
        if not isinstance(entry, dict):
            raise InstrumentError(path, f"items[{number}]", "must be a mapping")
        _no_unknown(path, entry, _ITEM_FIELDS, at)
        key = _key(path, entry, at)
        if key in seen:
            raise InstrumentError(path, f"{at}key", f"{key} is used by two items")
        seen.add(key)
        text = _require(path, entry, "text", at, str).strip()
        flags = {
            name: _require(path, entry, name, at, bool, optional=True)
            for name in ("safety", "scored", "required", "reverse")
        }
        own = entry.get("options")
        if own is None and shared is None:
            raise InstrumentError(path, f"{at}options", "is missing, and the file has no shared options")
        reverse = bool(flags["reverse"])
        options = _options(
            path, own if own is not None else shared, f"{at}options." if own else "options.", reverse
        )
        missing = _require(path, entry, "missing", at, str, optional=True)
        items.append(
            Item(
                key,
                text,
                options,
                missing=missing.strip() if missing else None,
                safety=bool(flags["safety"]),
                scored=flags["scored"] is not False,
                required=flags["required"] is not False,
                reverse=reverse,
            )
        )
    if not any(item.scored for item in items):
        raise InstrumentError(path, "items", "must have at least one scored item")
    for number, item in enumerate(items):
        if item.safety and not item.required:
            raise InstrumentError(path, f"items[{number}].required", "a safety item must be answered")
    return tuple(items)


def _bands(path: Path, data: dict, lowest: int, highest: int, routine: bool) -> tuple[Band, ...]:
    raw = _require(path, data, "bands", "", list, optional=not routine)
    if raw is None:
        return ()
    bands, seen = [], set()
    for number, entry in enumerate(raw):
        at = f"bands[{number}]."
        if not isinstance(entry, dict):
            raise InstrumentError(path, f"bands[{number}]", "must be a mapping with min, max, key and label")
        _no_unknown(path, entry, _BAND_FIELDS, at)
        low = _require(path, entry, "min", at, int)
        high = _require(path, entry, "max", at, int)
        key = _key(path, entry, at)
        label = _require(path, entry, "label", at, str).strip()
        if key in seen:
            raise InstrumentError(path, f"{at}key", f"{key} is used by two bands")
        seen.add(key)
        if high < low:
            raise InstrumentError(path, f"{at}max", "must not be below min")
        expected = lowest if not bands else bands[-1].high + 1
        if low != expected:
            raise InstrumentError(
                path,
                f"{at}min",
                f"must be {expected}: bands run from the lowest total up, with no gap or overlap",
            )
        bands.append(Band(low, high, key, label))
    if not bands:
        raise InstrumentError(path, "bands", "must list at least one band")
    if bands[-1].high != highest:
        raise InstrumentError(path, f"bands[{len(bands) - 1}].max", f"must be {highest}, the highest total")
    return tuple(bands)


def parse(path: Path, text: str) -> Instrument:
    """One instrument from the text of its file; raises InstrumentError naming the field."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as error:
        raise InstrumentError(path, "(file)", f"is not valid YAML ({type(error).__name__})") from error
    if not isinstance(data, dict):
        raise InstrumentError(path, "(file)", "must be a mapping of fields")
    _no_unknown(path, data, _TOP_FIELDS, "")
    key = _key(path, data, "")
    texts = {
        field: _require(path, data, field, "", str).strip()
        for field in ("name", "short_name", "about", "stem", "copyright", "source", "licence")
    }
    wording = _require(path, data, "wording", "", str)
    if wording not in (PUBLISHED, OWN):
        raise InstrumentError(path, "wording", f"must be {PUBLISHED} or {OWN}")
    languages = _require(path, data, "languages", "", list)
    if not languages or not all(isinstance(language, str) and language for language in languages):
        raise InstrumentError(
            path, "languages", "must list the languages the wording exists in, such as [en]"
        )
    if "en" not in languages:
        raise InstrumentError(path, "languages", "must include en")
    schedule = _require(path, data, "schedule", "", str)
    if schedule not in (ROUTINE, OPTIONAL):
        raise InstrumentError(path, "schedule", f"must be {ROUTINE} or {OPTIONAL}")
    order = _require(path, data, "order", "", int)
    shared = data.get("options")
    if shared is not None:
        _options(path, shared, "options.")
    items = _items(path, data, shared)
    total = _require(path, data, "total", "", dict)
    _no_unknown(path, total, {"min", "max"}, "total.")
    lowest = _require(path, total, "min", "total.", int)
    highest = _require(path, total, "max", "total.", int)
    scored = [item for item in items if item.scored]
    possible = (
        sum(min(o.score for o in item.options) for item in scored),
        sum(max(o.score for o in item.options) for item in scored),
    )
    if lowest != possible[0]:
        raise InstrumentError(
            path, "total.min", f"must be {possible[0]}, the lowest the scored items can add to"
        )
    if highest != possible[1]:
        raise InstrumentError(
            path, "total.max", f"must be {possible[1]}, the highest the scored items can add to"
        )
    bands = _bands(path, data, lowest, highest, schedule == ROUTINE)
    high_from = _require(path, data, "high_from", "", int, optional=True)
    if high_from is not None and not lowest < high_from <= highest:
        raise InstrumentError(path, "high_from", f"must be a total from {lowest + 1} to {highest}")
    higher_is_better = _require(path, data, "higher_is_better", "", bool, optional=True) or False
    return Instrument(
        key=key,
        wording=wording,
        languages=tuple(languages),
        schedule=schedule,
        order=order,
        items=items,
        lowest=lowest,
        highest=highest,
        bands=bands,
        high_from=high_from,
        higher_is_better=higher_is_better,
        path=path.name,
        **texts,
    )


def load(folder: Path) -> dict[str, Instrument]:
    """Every instrument in the folder, by key, in their order; raises InstrumentError on the first fault."""
    found: dict[str, Instrument] = {}
    for path in sorted(folder.glob("*.yaml")):
        instrument = parse(path, path.read_text(encoding="utf-8"))
        if instrument.key in found:
            raise InstrumentError(
                path, "key", f"{instrument.key} is also the key of {found[instrument.key].path}"
            )
        found[instrument.key] = instrument
    return dict(sorted(found.items(), key=lambda pair: (pair[1].order, pair[0])))


def init_app(app: Flask, folder: Path) -> None:
    """Load the instruments once for this app; a broken file stops the app starting."""
    app.extensions[EXTENSION] = load(folder)


def all_instruments() -> dict[str, Instrument]:
    return current_app.extensions[EXTENSION]


def routine() -> list[Instrument]:
    """The instruments offered at each time point, in order."""
    return [instrument for instrument in all_instruments().values() if instrument.schedule == ROUTINE]


def get(key: str) -> Instrument | None:
    return all_instruments().get(key)


def band_words(label: str) -> str:
    """A band's name for the reader: translated in its own context, as "Moderate" is also a verb here."""
    return pgettext("severity band", label)


def topic_words(about: str) -> str:
    """What an instrument asks about ("low mood"), for the reader."""
    return pgettext("questionnaire topic", about)
