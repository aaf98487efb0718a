"""The wellbeing check-in's statements, as the check-in's form and pages use them.

The check-in is defined like every other instrument, in content/instruments/wellbeing.yaml. Its
wording is the toolkit's own, written for this toolkit and translated through the message
catalogue. Answers run from 0 ("Never") to 4 ("All the time"). Statements about something hard
are reverse-scored, so for every item, and for the total, a higher score means better wellbeing.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from react_toolkit.config import BASE_DIR
from react_toolkit.outcomes.instruments import Instrument, parse

WELLBEING_FILE = BASE_DIR / "content" / "instruments" / "wellbeing.yaml"
WELLBEING: Instrument = parse(WELLBEING_FILE, WELLBEING_FILE.read_text(encoding="utf-8"))

PERIOD = _l("the last two weeks")

# (value, label) as shown on the page; the value is what the browser sends.
SCALE: tuple[tuple[str, str], ...] = tuple(
    (str(option.value), _l(option.label)) for option in WELLBEING.items[0].options
)
LOWEST, HIGHEST = WELLBEING.items[0].values[0], WELLBEING.items[0].values[-1]


@dataclass(frozen=True)
class Item:
    key: str
    statement: str
    missing: str  # the error shown when the item is left unanswered
    reverse: bool = False

    def score(self, answer: int) -> int:
        """The item's score, where higher always means better wellbeing."""
        return HIGHEST - answer if self.reverse else answer


ITEMS: tuple[Item, ...] = tuple(
    Item(item.key, _l(item.text), _l(item.missing or item.text), reverse=item.reverse)
    for item in WELLBEING.items
)
ITEM_KEYS: tuple[str, ...] = tuple(item.key for item in ITEMS)
MAX_TOTAL = WELLBEING.highest
