"""Words and sentences of a text, each with its character offsets in the text as written.

Words are normalised (case, accents, curly quotes, simple letter-for-number swaps,
spaced-out letters) so that phrases and the model see one spelling, while offsets
still point into the original text for moderators.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_WORD = re.compile(r"[a-z0-9']+")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*)?")


class Word(NamedTuple):
    text: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
    return folded.replace("’", "'").replace("‘", "'")


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """Lower-case, accent-free text; and, when its length changed, where each character came from."""
    if text.isascii():
        return text.lower(), None
    pieces = [_fold(ch) for ch in text]
    folded = "".join(pieces)
    if len(folded) == len(text):
        return folded, None
    origin = [0] * len(folded)
    for index, (piece, end) in enumerate(zip(pieces, accumulate(map(len, pieces)), strict=True)):
        origin[end - len(piece) : end] = [index] * len(piece)
    return folded, origin


def _join_spelled_out(words: list[Word]) -> list[Word]:
    """'k i l l myself' -> 'kill myself': runs of three or more single letters become one word."""
    joined: list[Word] = []
    run: list[Word] = []
    for word in [*words, Word("", 0, 0)]:
        letter = len(word.text) == 1
        if letter and word.text.isalpha() and word.text not in {"a", "i"} or (letter and run):
            run.append(word)
            continue
        if len(run) >= 3:
            joined.append(Word("".join(w.text for w in run), run[0].start, run[-1].end))
        else:
            joined.extend(run)
        run = []
        if word.text:
            joined.append(word)
    return joined


def words(text: str) -> list[Word]:
    """The normalised words of a text, with the offsets of each in the original."""
    folded, origin = _normalise(text or "")
    found: list[Word] = []
    for match in _WORD.finditer(folded):
        raw = match.group()
        stripped = raw.strip("'")
        if not stripped:
            continue
        start = match.start() + len(raw) - len(raw.lstrip("'"))
        end = start + len(stripped)
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        found.append(Word(stripped if stripped.isdigit() else stripped.translate(_LEET), start, end))
    return _join_spelled_out(found)


def tokenise(text: str, keep_stars: bool = False) -> list[str]:
    """Lower-case words with accents, punctuation and number-for-letter swaps taken out."""
    if keep_stars:
        return re.findall(r"[a-z0-9'*]+", _normalise(text or "")[0])
    return [word.text for word in words(text)]


def sentences(text: str) -> list[tuple[int, int]]:
    """The start and end of each sentence (a run ending in . ! ? or a line break), blank ones left out."""
    spans = []
    for match in _SENTENCE.finditer(text):
        chunk = match.group()
        if chunk.strip():
            start = match.start() + len(chunk) - len(chunk.lstrip())
            spans.append((start, match.start() + len(chunk.rstrip())))
    return spans
