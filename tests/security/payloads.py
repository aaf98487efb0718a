"""The XSS corpus (xss_payloads.txt) and how a test puts a payload in a field so it can be found again.

One payload a line; a backslash-n is a new line and a backslash-u and four hex digits a character.
Each payload goes between two markers ("zq7a ... zq7b"), so a check can tell what a page made of it.
"""

from __future__ import annotations

import re
from pathlib import Path

PAYLOAD_FILE = Path(__file__).with_name("xss_payloads.txt")
ESCAPE = re.compile(r"\\n|\\u([0-9a-fA-F]{4})")


def load_payloads() -> list[str]:
    lines = PAYLOAD_FILE.read_text(encoding="utf-8").splitlines()
    return [
        ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\n", line) for line in lines if line
    ]


PAYLOADS = load_payloads()
# Payloads that try to leave the element or attribute they land in get a page of their own where one
# field fills the title (or an attribute); every payload is checked in the lists.
SAMPLE = [
    n
    for n, payload in enumerate(PAYLOADS)
    if n == 0 or payload.startswith(('"', "'", "</")) or "{{" in payload or "\u202e" in payload
]


def marked(number: int, payload: str, limit: int | None = None, *, markdown: bool = False) -> str:
    """The payload between its markers, cut to fit the field; Markdown keeps its lines."""
    start, end = f"zq{number}a", f"zq{number}b"
    if markdown:
        return f"{start}\n\n{payload}\n\n{end}"
    text = " ".join(payload.split("\n"))
    if limit is not None:
        text = text[: limit - len(start) - len(end) - 2].strip()
    return f"{start} {text} {end}"


def squash(text: str) -> str:
    return " ".join(text.split())
