"""Words and sentences of a text, each with its character offsets in the text as written.

Words are normalised (case, accents, curly quotes, simple letter-for-number swaps,
spaced-out letters) so that phrases and the model see one spelling, while offsets
still point into the original text for moderators.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import accumulate, compress, count, repeat
from operator import add, eq, ne, sub
from typing import NamedTuple

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_WORD_CHARACTERS = frozenset(map(ord, "abcdefghijklmnopqrstuvwxyz0123456789'"))
_DIGIT = re.compile(r"[0-9]")
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


def _normalise(text: str) -> tuple[str, list[int] | None]:
    """Lower-case, accent-free text; and, when its length changed, where each character came from."""
    if text.isascii():
        return text.lower(), None
    folded = text.translate(_FOLDS)
    if len(folded) == len(text):
        return folded, None
    pieces = [_fold(ch) for ch in text]
    origin = [0] * len(folded)
    for index, (piece, end) in enumerate(zip(pieces, accumulate(map(len, pieces)), strict=True)):
        origin[end - len(piece) : end] = [index] * len(piece)
    return folded, origin


def _strip_apostrophes(texts: list[str], starts: list[int], ends: list[int]) -> None:
    """Apostrophes at either end of a word are quotation marks: take them off, in place."""
    for i in reversed([i for i, text in enumerate(texts) if text[0] == "'" or text[-1] == "'"]):
        stripped = texts[i].strip("'")
        if not stripped:
            del texts[i], starts[i], ends[i]
            continue
        starts[i] += len(texts[i]) - len(texts[i].lstrip("'"))
        ends[i] = starts[i] + len(stripped)
        texts[i] = stripped


def _swap_numbers(texts: list[str]) -> None:
    """'k1ll' -> 'kill', in place; a word of digits alone stays a number."""
    swapped = " ".join(texts).translate(_LEET).split(" ")
    for i in compress(count(), map(ne, texts, swapped)):
        if not texts[i].isdigit():
            texts[i] = swapped[i]


def _join_spelled_out(texts: list[str], starts: list[int], ends: list[int]) -> None:
    """'k i l l myself' -> 'kill myself': runs of three or more single letters become one word, in place.

    A run starts at a letter other than "a" or "i" and takes every one-character word after it."""
    singles = list(compress(count(), map(eq, map(len, texts), repeat(1))))
    if 2 not in map(sub, singles[2:], singles):
        return
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
    # Each piece is followed by one space, so piece k ends at the sum of the lengths + 1 of those before
    # it, plus its own length.
    separated = folded.translate(_SEPARATORS)
    pieces = separated.split(" ")
    lengths = list(map(len, pieces))
    ends = list(compress(accumulate(map(add, lengths, repeat(1)), initial=-1), [0, *lengths]))
    starts = list(map(sub, ends, filter(None, lengths)))
    texts = list(compress(pieces, lengths))
    padded = f" {separated} "
    if " '" in padded or "' " in padded:
        _strip_apostrophes(texts, starts, ends)
    if origin is not None:
        starts = [origin[start] for start in starts]
        ends = [origin[end - 1] + 1 for end in ends]
    if _DIGIT.search(folded):
        _swap_numbers(texts)
    _join_spelled_out(texts, starts, ends)
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
