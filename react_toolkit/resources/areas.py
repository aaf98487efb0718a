"""Where a local entry's help reaches: UK postcode districts (NG7) and postcode areas (NG)."""

from __future__ import annotations

import re

DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")
AREA = re.compile(r"^[A-Z]{1,2}$")


def clean_place(text: str) -> str:
    """One district or area as typed, in capitals without spaces: ' ng7 ' becomes 'NG7'."""
    return "".join((text or "").split()).upper()


def is_place(text: str) -> bool:
    return bool(DISTRICT.match(text) or AREA.match(text))


def parse_areas(text: str) -> tuple[list[str], list[str]]:
    """The districts and areas in a list typed with spaces or commas, each once; and what was not one."""
    places, wrong = [], []
    for piece in re.split(r"[\s,;]+", (text or "").upper()):
        if not piece:
            continue
        if not is_place(piece):
            wrong.append(piece)
        elif piece not in places:
            places.append(piece)
    return places, wrong


def postcode_area(place: str) -> str:
    """The letters that start a district: 'NG7' is in the area 'NG'."""
    match = re.match(r"^[A-Z]{1,2}", place or "")
    return match.group(0) if match else ""


def reach(areas: list[str], place: str) -> str | None:
    """How an entry serving `areas` reaches someone in `place`: 'district', 'area', or None."""
    if not place or not areas:
        return None
    if place in areas:
        return "district"
    if postcode_area(place) in areas or any(postcode_area(served) == place for served in areas):
        return "area"
    return None
