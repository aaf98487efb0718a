"""The wellbeing check-in: six statements about the last two weeks, each answered on one scale.

The wording is our own, written for this toolkit. Answers run from 0 ("Never") to 4
("All the time"). Statements about something hard are reverse-scored, so for every
item, and for the total, a higher score means better wellbeing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

PERIOD = _l("the last two weeks")

# (value, label) as shown on the page; the value is what the browser sends.
SCALE: tuple[tuple[str, str], ...] = (
    ("0", _l("Never")),
    ("1", _l("Now and then")),
    ("2", _l("About half the time")),
    ("3", _l("Most of the time")),
    ("4", _l("All the time")),
)
LOWEST, HIGHEST = 0, 4


@dataclass(frozen=True)
class Item:
    key: str
    statement: str
    missing: str  # the error shown when the item is left unanswered
    reverse: bool = False

    def score(self, answer: int) -> int:
        """The item's score, where higher always means better wellbeing."""
        return HIGHEST - answer if self.reverse else answer


ITEMS: tuple[Item, ...] = (
    Item(
        "coping",
        _l("I have felt able to cope with caring for the person I support."),
        _l("Choose how often you felt able to cope"),
    ),
    Item(
        "sleep",
        _l("Worry has kept me awake or woken me in the night."),
        _l("Choose how often worry affected your sleep"),
        reverse=True,
    ),
    Item(
        "supported",
        _l("I have felt there are people I can turn to."),
        _l("Choose how often you felt you had people to turn to"),
    ),
    Item(
        "own_time",
        _l("I have had some time to do things for myself."),
        _l("Choose how often you had time for yourself"),
    ),
    Item(
        "worry",
        _l("I have felt overwhelmed by worry about them."),
        _l("Choose how often you felt overwhelmed by worry"),
        reverse=True,
    ),
    Item("hope", _l("I have felt hopeful about what lies ahead."), _l("Choose how often you felt hopeful")),
)
ITEM_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS)
MAX_TOTAL = HIGHEST * len(ITEMS)
