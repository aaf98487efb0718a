"""Words and sentences of a text, each with its character offsets in the text as written.

Words are normalised (case, accents, curly quotes, simple letter-for-number swaps,
spaced-out letters) so that phrases and the model see one spelling, while offsets
still point into the original text for moderators.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

import numpy as np

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_WORD_CHARACTERS = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyz0123456789'"))
_DIGIT = re.compile(r"[0-9]")
_APOSTROPHES = re.compile("'+")
_NON_ASCII = re.compile(r"([^\x00-\x7f]+)")
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*)?")
FOLD_CACHE = 65_536


class Word(NamedTuple):
    text: str
    start: int
    end: int


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
    return folded.replace("’", "'").replace("‘", "'")


class _Folds(dict[int, str]):
    """A str.translate table folding each character on its own, filled in as characters are met."""

    def __missing__(self, code: int) -> str:
        if len(self) > FOLD_CACHE:
            self.clear()
        folded = self[code] = _fold(chr(code))
        return folded


class _Separators(dict[int, str]):
    """A str.translate table turning every character that cannot be part of a word into a space."""

    def __missing__(self, code: int) -> str:
        if len(self) > FOLD_CACHE:
            self.clear()
        kept = self[code] = chr(code) if code in _WORD_CHARACTERS else " "
        return kept


_FOLDS = _Folds()
_SEPARATORS = _Separators()


def _normalise(text: str) -> tuple[str, np.ndarray | None]:
    """Lower-case, accent-free text; and, when its length changed, where each character came from.

    Each character is folded on its own; ASCII ones only need lower-casing, so the text is folded
    a run of other characters at a time."""
    if text.isascii():
        return text.lower(), None
    parts = _NON_ASCII.split(text)
    parts[::2] = [part.lower() for part in parts[::2]]
    parts[1::2] = [part.translate(_FOLDS) for part in parts[1::2]]
    folded = "".join(parts)
    if len(folded) == len(text):
        return folded, None
    sizes = np.ones(len(text), dtype=np.int64)
    for run in _NON_ASCII.finditer(text):
        sizes[run.start() : run.end()] = [len(_FOLDS[ord(ch)]) for ch in run.group()]
    return folded, np.repeat(np.arange(len(text)), sizes)


def _edges(separated: str, starts: list[int]) -> list[int]:
    """The words (by number) with an apostrophe at either end, in a text whose words are `starts` apart."""
    edged = set()
    for run in _APOSTROPHES.finditer(separated):
        first, after = run.span()
        if first == 0 or separated[first - 1] == " " or after == len(separated) or separated[after] == " ":
            edged.add(bisect_right(starts, first) - 1)
    return sorted(edged)


def _strip_apostrophes(texts: list[str], starts: list[int], ends: list[int], edged: list[int]) -> None:
    """Apostrophes at either end of a word are quotation marks: take them off these words, in place."""
    for i in reversed(edged):
        stripped = texts[i].strip("'")
        if not stripped:
            del texts[i], starts[i], ends[i]
            continue
        starts[i] += len(texts[i]) - len(texts[i].lstrip("'"))
        ends[i] = starts[i] + len(stripped)
        texts[i] = stripped


def _swap_numbers(texts: list[str], starts: list[int], folded: str) -> None:
    """'k1ll' -> 'kill', in place, for the words with a digit in `folded`; a word of digits alone stays a number."""
    for i in sorted({bisect_right(starts, digit.start()) - 1 for digit in _DIGIT.finditer(folded)}):
        if not texts[i].isdigit():
            texts[i] = texts[i].translate(_LEET)


def _join_spelled_out(texts: list[str], starts: list[int], ends: list[int], lengths: np.ndarray) -> None:
    """'k i l l myself' -> 'kill myself': runs of three or more single letters become one word, in place.

    A run starts at a letter other than "a" or "i" and takes every one-character word after it.
    `lengths` are the words' lengths."""
    single = lengths == 1
    if not (single[:-2] & single[1:-1] & single[2:]).any():
        return
    singles = np.flatnonzero(single).tolist()
    runs = []
    block = 0
    while block < len(singles):
        last = block
        while last + 1 < len(singles) and singles[last + 1] == singles[last] + 1:
            last += 1
        first = next(
            (p for p in singles[block : last + 1] if texts[p].isalpha() and texts[p] not in ("a", "i")), None
        )
        if first is not None and singles[last] - first >= 2:
            runs.append((first, singles[last] + 1))
        block = last + 1
    for first, after in reversed(runs):
        texts[first:after] = ["".join(texts[first:after])]
        starts[first + 1 : after] = []
        ends[first : after - 1] = []


def word_spans(text: str) -> tuple[list[str], list[int], list[int]]:
    """The normalised words of a text, where each starts and where each ends in the original: three lists."""
    folded, origin = _normalise(text or "")
    separated = folded.translate(_SEPARATORS)
    pieces = separated.split(" ")
    lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    # Each piece is followed by one space: piece k ends at the lengths + 1 of the pieces up to it, less one.
    ends_at = (np.cumsum(lengths + 1) - 1)[lengths > 0]
    lengths = lengths[lengths > 0]
    texts = list(filter(None, pieces))
    starts = (ends_at - lengths).tolist()
    ends = ends_at.tolist()
    if "'" in separated and (edged := _edges(separated, starts)):
        _strip_apostrophes(texts, starts, ends, edged)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    if _DIGIT.search(folded):
        _swap_numbers(texts, starts, folded)
    if origin is not None:
        starts = origin[starts].tolist()
        ends = (origin[np.array(ends, dtype=np.int64) - 1] + 1).tolist()
    _join_spelled_out(texts, starts, ends, lengths)
    return texts, starts, ends


def words(text: str) -> list[Word]:
    """The normalised words of a text, with the offsets of each in the original."""
    return list(map(Word, *word_spans(text)))


def tokenise(text: str, keep_stars: bool = False) -> list[str]:
    """Lower-case words with accents, punctuation and number-for-letter swaps taken out."""
    if keep_stars:
        return re.findall(r"[a-z0-9'*]+", _normalise(text or "")[0])
    return word_spans(text)[0]


def sentences(text: str) -> list[tuple[int, int]]:
    """The start and end of each sentence (a run ending in . ! ? or a line break), blank ones left out."""
    spans = []
    for match in _SENTENCE.finditer(text):
        chunk = match.group()
        if chunk.strip():
            start = match.start() + len(chunk) - len(chunk.lstrip())
            spans.append((start, match.start() + len(chunk.rstrip())))
    return spans
