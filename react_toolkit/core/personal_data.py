"""Who answers for each person's rows: every feature erases and exports its own.

A feature registers, from its init_app, the tables where it keeps a column that
names a person, how it erases a relative from them and the sections it adds to
that person's data download. auth/ asks every feature in turn, in one
transaction, and commits once; it imports no other feature's models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app


def when(value: datetime | date | None) -> str | None:
    """A time or day as it is written in a data download."""
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class Section:
    """One part of a person's data download: its key, what it holds in plain words, how to fill it."""

    name: str
    about: str
    order: int  # where it sits in the file, so the download reads the same whatever the feature order
    export: Callable[[Any], Any]


@dataclass(frozen=True)
class Holder:
    """One feature's answer for the person-naming columns in its tables."""

    feature: str
    tables: frozenset[str]
    erase: Callable[[Any], None] | None
    sections: tuple[Section, ...]


def register(
    app: Flask,
    feature: str,
    *,
    tables: Iterable[str],
    erase: Callable[[Any], None] | None = None,
    sections: Iterable[Section] = (),
) -> None:
    """Say which of a feature's tables name a person, and how it erases and exports them (once per app)."""
    holders: list[Holder] = app.extensions.setdefault("personal_data", [])
    if any(holder.feature == feature for holder in holders):
        return
    holders.append(Holder(feature, frozenset(tables), erase, tuple(sections)))


def holders() -> list[Holder]:
    """Every feature's answer, in the order the features were plugged in."""
    return list(current_app.extensions.get("personal_data", []))


def erase_everywhere(user: Any) -> None:
    """Ask each feature to erase the person from its tables; the caller commits, once."""
    for holder in holders():
        if holder.erase is not None:
            holder.erase(user)


def sections() -> list[Section]:
    """Every feature's sections of a data download, in the order they appear in the file."""
    return sorted((s for holder in holders() for s in holder.sections), key=lambda s: s.order)
