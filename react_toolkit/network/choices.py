"""The words of the support map and the needs questions: every choice a relative can make, and its label."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from react_toolkit.resources.models import SUPPORT_KINDS

# What an entry on the map is.
KINDS = {
    "person": _l("A person"),
    "group": _l("A group"),
    "service": _l("A service"),
    "pet": _l("A pet"),
    "activity": _l("An activity"),
}

# The three circles of closeness, from the middle out.
CIRCLES = {
    1: _l("Closest to me"),
    2: _l("Close to me"),
    3: _l("Further out"),
}
CIRCLE_HINTS = {
    1: _l("The people and things you feel closest to and could not do without."),
    2: _l("Important to you, but not quite as close."),
    3: _l("Part of your life, but further away from you."),
}

# How a relative likes to take part.
WAYS = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "phone": _l("By phone"),
}

# When they are free.
TIMES = {
    "weekday_day": _l("Weekdays, in the day"),
    "weekday_evening": _l("Weekday evenings"),
    "weekend": _l("Weekends"),
}

# How far they can travel.
TRAVEL = {
    "home": _l("I cannot really leave home at the moment"),
    "nearby": _l("A short trip, a few miles at most"),
    "further": _l("I can travel further if it is worth it"),
}

INTERESTS = {
    "meeting_others": _l("Meeting other families in the same position"),
    "understanding": _l("Understanding psychosis or bipolar disorder better"),
    "money": _l("Sorting out money, benefits or work"),
    "outdoors": _l("Walking and being outdoors"),
    "creative": _l("Art, crafts, music or writing"),
    "exercise": _l("Exercise and sport"),
    "faith": _l("Faith and spiritual groups"),
}

__all__ = ["CIRCLES", "CIRCLE_HINTS", "INTERESTS", "KINDS", "SUPPORT_KINDS", "TIMES", "TRAVEL", "WAYS"]
