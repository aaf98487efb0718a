"""Finding risk language in what people write.

Text is normalised (case, accents, punctuation, simple letter-for-number swaps,
spaced-out letters) and split into words. A phrase is a run of words; a word
ending in * matches any ending, and up to one extra word may sit between the
words of a phrase ("want to just end it"). Phrases with the action "allow" are
everyday expressions ("killing time"); a risk match that lies inside one is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from react_toolkit.risk.models import SEVERITY

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_WORD = re.compile(r"[a-z0-9']+")
MAX_GAP = 1


@dataclass(frozen=True)
class Phrase:
    id: int | None
    text: str
    category: str
    action: str
    message: str = ""
    tokens: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def build(cls, id: int | None, text: str, category: str, action: str, message: str = "") -> Phrase:
        return cls(id, text, category, action, message, tuple(tokenise(text, keep_stars=True)))


@dataclass(frozen=True)
class Match:
    phrase: Phrase
    start: int
    end: int


@dataclass
class RiskResult:
    matches: list[Match]

    @property
    def action(self) -> str | None:
        """The strongest action of any match: block, hold or flag; None when nothing matched."""
        if not self.matches:
            return None
        return max((m.phrase.action for m in self.matches), key=SEVERITY.__getitem__)

    @property
    def categories(self) -> list[str]:
        return sorted({m.phrase.category for m in self.matches})

    @property
    def is_risk(self) -> bool:
        return bool(self.matches)

    @property
    def block_message(self) -> str:
        for match in self.matches:
            if match.phrase.action == "block" and match.phrase.message:
                return match.phrase.message
        return ""


def _join_spelled_out(words: list[str]) -> list[str]:
    """'k i l l myself' -> 'kill myself': runs of three or more single letters become one word."""
    joined: list[str] = []
    run: list[str] = []
    for word in words + [""]:
        if len(word) == 1 and word.isalpha() and word not in {"a", "i"} or (len(word) == 1 and run):
            run.append(word)
            continue
        if len(run) >= 3:
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        if word:
            joined.append(word)
    return joined


def tokenise(text: str, keep_stars: bool = False) -> list[str]:
    """Lower-case words with accents, punctuation and number-for-letter swaps taken out."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("’", "'").replace("‘", "'")
    if keep_stars:
        return [w for w in re.findall(r"[a-z0-9'*]+", text)]
    words = [w.translate(_LEET) if not w.isdigit() else w for w in _WORD.findall(text)]
    words = [w.strip("'") for w in words if w.strip("'")]
    return _join_spelled_out(words)


def _token_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern or word == pattern.replace("'", "")


def _find(phrase: Phrase, words: list[str]) -> Iterable[Match]:
    tokens = phrase.tokens
    if not tokens:
        return
    for start, word in enumerate(words):
        if not _token_matches(tokens[0], word):
            continue
        position = start
        for token in tokens[1:]:
            for step in range(1, MAX_GAP + 2):
                candidate = position + step
                if candidate < len(words) and _token_matches(token, words[candidate]):
                    position = candidate
                    break
            else:
                break
        else:
            yield Match(phrase, start, position)


def detect(text: str, phrases: Iterable[Phrase]) -> RiskResult:
    """Every risk phrase found in the text, leaving out those inside an everyday 'allow' phrase."""
    words = tokenise(text)
    risky: list[Match] = []
    allowed: list[Match] = []
    for phrase in phrases:
        for match in _find(phrase, words):
            (allowed if phrase.action == "allow" else risky).append(match)
    kept = [m for m in risky if not any(a.start <= m.start and m.end <= a.end for a in allowed)]
    return RiskResult(kept)
