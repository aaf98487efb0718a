"""Where the picture of the map draws each entry: three rings around the relative, in SVG units.

The page draws the same entries as a list, which carries every action; the picture is the
same content for people who see it, and can be dragged where scripts run.
"""

from __future__ import annotations

import math

SIZE = 400
CENTRE = SIZE / 2
RINGS = {1: 80, 2: 140, 3: 196}  # each circle's outer edge
PLACES = {1: 52, 2: 111, 3: 169}  # the distance from the middle each circle's entries are drawn at
SHORT = 12


def short_label(label: str) -> str:
    return label if len(label) <= SHORT else label[: SHORT - 1].rstrip() + "…"


def draw(entries) -> list[dict]:
    """Each entry's place in the picture; 0 degrees is to the right, going clockwise as SVG does."""
    drawn = []
    for entry in entries:
        radians = math.radians(entry.angle or 0)
        distance = PLACES[entry.circle]
        drawn.append(
            {
                "id": entry.id,
                "label": entry.label,
                "short": short_label(entry.label),
                "kind": entry.kind,
                "circle": entry.circle,
                "angle": entry.angle,
                "x": round(CENTRE + distance * math.cos(radians), 1),
                "y": round(CENTRE + distance * math.sin(radians), 1),
            }
        )
    return drawn
