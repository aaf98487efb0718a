"""Small rules that discount a sentence's words as evidence of the writer's risk.

Each rule looks at one sentence (its normalised words) and, for past events, at the
rest of the post. A discounted sentence gives the model no evidence; it is still
shown to moderators, and a risk phrase from the lexicon in it still counts.

- denial: "I'm not going to hurt myself", "no thoughts of harming myself", unless a
  "but", "though" or "probably" follows the denial in that sentence or the next.
- past: "two years ago he tried to end his life", when another sentence says things
  are better now and none says it is happening again.
- media: "I watched a documentary about suicide prevention".
- module quote: a run of words copied from the toolkit's own module text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import lru_cache
from itertools import accumulate, compress, count
from pathlib import Path

from react_toolkit.config import BASE_DIR
from react_toolkit.risk.text import tokenise

MODULES_DIR = BASE_DIR / "content" / "modules"
SHINGLE = 4
MIN_QUOTE_WORDS = 8

_SUBJECT = r"(?:i'm|im|i am|he's|hes|he is|she's|shes|she is|they're|they are)"
_DENIAL = re.compile(
    rf"\b(?:{_SUBJECT}(?: really| honestly| definitely| absolutely)? not (?:(?:going to|gonna) (?:hurt|harm|kill|end|act)"
    r"|suicidal|a danger|dangerous|at risk|in danger)"
    r"|no (?:thoughts|plans|intention|intent|urges?) (?:of|to|at all)"
    r"|(?:don't|dont|do not|doesn't|does not|didn't|did not|never) (?:want|wanted|mean|meant|plan|intend) to"
    r" (?:die|end|hurt|harm|kill|do)"
    r"|would never|wouldn't ever|not suicidal|not literally|i'm safe|i am safe)\b"
)
_CONTRAST = re.compile(r"\b(?:but|though|although|except|yet|however|probably|maybe|not really|for now)\b")
_PAST = re.compile(
    r"\b(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|several|\d+) (?:years?|months?) ago"
    r"|last (?:year|spring|summer|autumn|winter|christmas|easter)"
    r"|when (?:i|he|she|they|we) (?:was|were) (?:\d+|young|younger|little|a teenager|at school|at uni|first ill)"
    r"|back in (?:\d{4}|the day)|in (?:19|20)\d\d|used to)\b"
)
_RECOVERED = re.compile(
    r"\b(?:doing (?:well|better|great|ok|okay|brilliantly)|been well|is well|keeping well|much better"
    r"|better now|recovered|in recovery|stable now|does get better|gets better|get better|(?:today|now) (?:he|she|they|i|we)"
    r"|(?:hasn't|haven't|has not|have not) (?:since|for|self harmed|harmed|hurt)|together now)\b"
)
_AGAIN = re.compile(r"\b(?:again|still|anymore|any more|relapse|relapsing|back to|starting to|started to)\b")
_MEDIA_NOUN = r"(?:film|movie|documentary|novel|book|podcast|episode|series|programme|drama|soap|article|storyline|play)"
_MEDIA = re.compile(
    r"(?:^|\b(?:i|we|i've|we've|anyone|has anyone|did anyone)\b)\s*(?:just |have |also |finally )?"
    rf"(?:watched|watching|read|reading|listened to|listening to|finished|saw|seen)\b.*\b{_MEDIA_NOUN}s?\b"
)
_MEDIA_NAMED = re.compile(rf"\b{_MEDIA_NOUN}s?\b")


def denial(words: list[str], following: list[str]) -> bool:
    """The sentence says the risk is not there, and neither it nor the next sentence qualifies that."""
    said = " ".join(words)
    found = _DENIAL.search(said)
    return bool(found) and not _CONTRAST.search(f"{said} {' '.join(following)}", found.end())


def media(words: list[str]) -> bool:
    """The writer reports a film, book, programme or article they took in."""
    return bool(_MEDIA.search(" ".join(words)))


def past_sentences(sentences: list[list[str]]) -> set[int]:
    """Sentences about an event long past, in a post that says things are better and not happening again."""
    return _past(_matching([" ".join(words) for words in sentences]))


def _past(matching: Callable[[re.Pattern[str]], set[int]]) -> set[int]:
    past = matching(_PAST)
    if not past or matching(_AGAIN) or not matching(_RECOVERED) - past:
        return set()
    return past


def _matching(said: list[str]) -> Callable[[re.Pattern[str]], set[int]]:
    """Which of these sentences a pattern matches, found in one search of them all, one to a line.

    Only for the patterns above that start at a word (\\b, then a letter or digit in every alternative)
    and match no line break, so that no match runs from one sentence into the next."""
    whole = " " + "\n".join(said)
    ends = list(accumulate(len(text) + 1 for text in said))

    def matching(pattern: re.Pattern[str]) -> set[int]:
        return {bisect_right(ends, found.start()) for found in _from_separator(pattern).finditer(whole)}

    return matching


@lru_cache(maxsize=16)
def _from_separator(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """A pattern that starts at a word, made to start on the space, line break or apostrophe before it.

    It finds the same words, but the regex engine can skip from one separator to the next rather
    than try every character. The text searched starts with a space, so a match starts where the
    word does in the text without it."""
    if not pattern.pattern.startswith(r"\b"):
        raise ValueError(f"{pattern.pattern!r} does not start at a word")
    return re.compile("[ \n']" + pattern.pattern.removeprefix(r"\b"))


def discounted(sentences: list[list[str]]) -> list[str]:
    """For each sentence (its words), the rule that discounts it ("denial", "past" or "media"), or ""."""
    matching = _matching([" ".join(words) for words in sentences])
    following = [*sentences[1:], []]
    denied = {i for i in matching(_DENIAL) if denial(sentences[i], following[i])}
    past = _past(matching)
    taken_in = {i for i in matching(_MEDIA_NAMED) if media(sentences[i])}
    return [
        "denial" if i in denied else "past" if i in past else "media" if i in taken_in else ""
        for i in range(len(sentences))
    ]


@lru_cache(maxsize=1)
def module_shingles(folder: Path = MODULES_DIR) -> frozenset[tuple[str, ...]]:
    """Every run of SHINGLE words in the module text (front matter and Markdown marks are words too, harmlessly)."""
    found: set[tuple[str, ...]] = set()
    for path in sorted(folder.glob("*.md")):
        module = tokenise(path.read_text(encoding="utf-8"))
        found.update(tuple(module[i : i + SHINGLE]) for i in range(len(module) - SHINGLE + 1))
    return frozenset(found)


def quoting(words: list[str], cuts: list[int], shingles: frozenset[tuple[str, ...]]) -> set[int]:
    """The sentences holding at least one run of SHINGLE words from the modules, in one pass over the words.

    Sentence n is words[cuts[n]:cuts[n + 1]]; a run across two sentences does not count."""
    runs = zip(*(words[i:] for i in range(SHINGLE)), strict=False)
    found = set()
    for first in compress(count(), map(shingles.__contains__, runs)):
        n = bisect_right(cuts, first) - 1
        if first + SHINGLE <= cuts[n + 1]:
            found.add(n)
    return found


def quoted_from_modules(words: list[str], shingles: frozenset[tuple[str, ...]]) -> set[int]:
    """Positions of words in unbroken runs of at least MIN_QUOTE_WORDS copied from the modules."""
    quoted: set[int] = set()
    first = None
    for i in range(len(words) - SHINGLE + 2):
        if i <= len(words) - SHINGLE and tuple(words[i : i + SHINGLE]) in shingles:
            first = i if first is None else first
            continue
        if first is not None and i - 1 + SHINGLE - first >= MIN_QUOTE_WORDS:
            quoted.update(range(first, i - 1 + SHINGLE))
        first = None
    return quoted
