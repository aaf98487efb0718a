"""Finding risk in what people write: the editable phrases, and a trained model, each explained.

Phrases: a phrase is a run of words; a word ending in * matches any ending, and up to
one extra word may sit between the words of a phrase ("want to just end it"). A risk
phrase always counts and sets the action (flag, hold, block). An "allow" phrase is an
everyday expression ("killing time"): a risk phrase inside one is dropped, and the
model does not see its words.

Model: each sentence's words, less those the rules in rules.py discount (denials,
past events, films and books, quotes of the modules), are pooled and scored. A post
whose score reaches the model's threshold is a risk even when no phrase matched; its
action is then "flag". The reasons name the sentences, with their offsets, and the
words that weighed most in each.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, compress, count, pairwise, repeat
from operator import add, contains, is_, itemgetter, or_
from typing import Any

import numpy as np

from react_toolkit.risk import rules
from react_toolkit.risk.classifier import WORD_CACHE, Classifier, char_features, word_features
from react_toolkit.risk.models import SEVERITY, candidate_categories
from react_toolkit.risk.text import sentences, tokenise, word_spans

MAX_GAP = 1
TERMS_PER_REASON = 3
MAX_REASONS = 5
# Words too common to explain anything on their own; they still count in the score.
_PLAIN = frozenset(
    "a an and are as at be been but by for from had has have he her him his i i'm i've im in is it it's its"
    " me my of on or our she so that the their them they this to was we were with you your".split()
)

__all__ = ["Analysis", "Match", "Phrase", "Reason", "RiskResult", "analyse", "detect", "tokenise"]


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
    """A phrase found at words start..end (inclusive), which sit at offsets begin..finish of the text."""

    phrase: Phrase
    start: int
    end: int
    begin: int = 0
    finish: int = 0


@dataclass(frozen=True)
class Reason:
    """A sentence that led to the result: where it is, how risky it reads, and why."""

    start: int
    end: int
    sentence: str
    score: float
    terms: tuple[str, ...]
    phrases: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass
class RiskResult:
    matches: list[Match]
    score: float = 0.0
    model_risk: bool = False
    model_categories: list[str] = field(default_factory=list)
    phrase_categories: list[str] = field(default_factory=list)
    reasons: list[Reason] = field(default_factory=list)
    discounted: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def action(self) -> str | None:
        """The strongest phrase action (block, hold, flag); "flag" for the model alone; None for no risk."""
        if self.matches:
            return max((m.phrase.action for m in self.matches), key=SEVERITY.__getitem__)
        return "flag" if self.model_risk else None

    @property
    def categories(self) -> list[str]:
        return sorted(set(self.phrase_categories) | set(self.model_categories))

    @property
    def is_risk(self) -> bool:
        return bool(self.matches) or self.model_risk

    @property
    def block_message(self) -> str:
        for match in self.matches:
            if match.phrase.action == "block" and match.phrase.message:
                return match.phrase.message
        return ""


class _Node:
    """Phrases that share their first words: the phrases that end here, and the words that may come next."""

    def __init__(self) -> None:
        self.ends: list[int] = []
        self.phrases: list[int] = []
        self.children: dict[str, _Node] = {}
        self.exact: dict[str, list[_Node]] = {}
        self.prefixes: dict[str, list[_Node]] = {}
        self.lengths: list[int] = []

    def child(self, token: str) -> _Node:
        """The node for a next word written as `token` ("kill*" matches any ending)."""
        node = self.children.get(token)
        if node is None:
            node = self.children[token] = _Node()
            if token.endswith("*"):
                self.prefixes.setdefault(token[:-1], []).append(node)
                self.lengths = sorted({len(prefix) for prefix in self.prefixes})
            else:
                for key in {token, token.replace("'", "")}:
                    self.exact.setdefault(key, []).append(node)
        return node

    def following(self, word: str) -> list[_Node]:
        """The next nodes whose word this word matches."""
        found = self.exact.get(word, [])
        for n in self.lengths:
            if n <= len(word) and word[:n] in self.prefixes:
                found = [*found, *self.prefixes[word[:n]]]
        return found


class _Any:
    """Holds every word."""

    def __contains__(self, word: object) -> bool:
        return True


_ANY = _Any()


class _Next:
    """Words spelled out, and words that start with one of some prefixes."""

    def __init__(self, exact: frozenset[str], prefixes: tuple[str, ...]) -> None:
        self.exact = exact
        self.prefixes = prefixes

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and (word in self.exact or word.startswith(self.prefixes))


class _ByWord(dict[str, Any]):
    """Something worked out from a word, remembered the first time the word is met."""

    def __init__(self, work: Callable[[str], Any]) -> None:
        super().__init__()
        self.work = work

    def __missing__(self, word: str) -> Any:
        known = self.work(word)
        if len(self) < WORD_CACHE:
            self[word] = known
        return known


class _Index:
    """The phrases as a tree of their words, each phrase numbered once (a repeated phrase is one phrase)."""

    def __init__(self, phrases: tuple[Phrase, ...]) -> None:
        self.phrases: list[Phrase] = []
        self.root = _Node()
        numbers: dict[Phrase, int] = {}
        for phrase in phrases:
            if not phrase.tokens or phrase in numbers:
                continue
            number = numbers[phrase] = len(self.phrases)
            self.phrases.append(phrase)
            node = self.root
            for token in phrase.tokens:
                node = node.child(token)
                node.phrases.append(number)
            node.ends.append(number)
        self.heads = _ByWord(self.root.following)
        self.gates = _ByWord(self._gate)
        self.order = _ByWord(self._order)

    def _gate(self, word: str) -> Container[str]:
        """The words one of which must come next for a phrase to go on from this first word (any word
        when one of its phrases is this word alone)."""
        nodes = self.heads[word]
        if any(node.ends for node in nodes):
            return _ANY
        exact = frozenset(chain.from_iterable(node.exact for node in nodes))
        prefixes = tuple(chain.from_iterable(node.prefixes for node in nodes))
        return _Next(exact, prefixes) if prefixes else exact

    def _order(self, word: str) -> list[int]:
        """The phrases a word can start: those whose first word it is, then those it starts with a prefix,
        shorter prefixes first; each group in the order the phrases were given."""
        exact = sorted(chain.from_iterable(node.phrases for node in self.root.exact.get(word, [])))
        prefixed = (
            node.phrases
            for n in self.root.lengths
            if n <= len(word)
            for node in self.root.prefixes.get(word[:n], [])
        )
        return [*exact, *chain.from_iterable(prefixed)]


@lru_cache(maxsize=8)
def _index(phrases: tuple[Phrase, ...]) -> _Index:
    return _Index(phrases)


_latest: tuple[tuple[Phrase, ...], _Index] = ((), _Index(()))


def _index_of(phrases: Iterable[Phrase]) -> _Index:
    """The index of these phrases; the same objects as last time are recognised without hashing them all."""
    global _latest
    phrases = tuple(phrases)
    known, index = _latest
    if len(known) != len(phrases) or not all(map(is_, known, phrases)):
        index = _index(phrases)
        _latest = (phrases, index)
    return index


def _find(index: _Index, words: list[str], heads: list[list[_Node]]) -> list[tuple[int, int, int]]:
    """Every phrase found: (phrase number, first word, last word); `heads` are the phrase trees each
    word starts.

    From each word that starts a phrase, each next word of the phrase is the first of the following
    MAX_GAP + 1 words that matches it; phrases that share their first words share the search."""
    starts = list(compress(count(), heads))
    # Most first words are not followed by a next word of any of their phrases: those are passed
    # over all together, before any search.
    gates = list(map(index.gates.__getitem__, map(words.__getitem__, starts)))
    padded = [*words, *[""] * (MAX_GAP + 1)]
    passed = [False] * len(starts)
    for step in range(1, MAX_GAP + 2):
        ahead = map(padded.__getitem__, map(add, starts, repeat(step)))
        passed = list(map(or_, passed, map(contains, gates, ahead)))
    found: list[tuple[int, int, int]] = []
    for start in compress(starts, passed):
        following = words[start + 1 : start + MAX_GAP + 2]
        stack = [
            (node, start)
            for node in heads[start]
            if node.ends or node.lengths or any(map(node.exact.__contains__, following))
        ]
        while stack:
            node, position = stack.pop()
            for number in node.ends:
                found.append((number, start, position))
            taken: list[_Node] = []
            for candidate in range(position + 1, min(position + MAX_GAP + 2, len(words))):
                for child in node.following(words[candidate]):
                    if child not in taken:
                        taken.append(child)
                        stack.append((child, candidate))
    return found


def _phrase_matches(
    words: list[str], starts: list[int], ends: list[int], phrases: Iterable[Phrase]
) -> tuple[list[Match], set[int]]:
    """Risk matches outside everyday phrases, and the positions of the words everyday phrases cover.

    Matches come phrase by phrase, the phrases in the order the text's words first start them."""
    index = _index_of(phrases)
    heads = list(map(index.heads.__getitem__, words))
    found = _find(index, words, heads)
    if not found:
        return [], set()
    rank: dict[int, int] = {}
    for word in dict.fromkeys(compress(words, heads)):
        for number in index.order[word]:
            rank.setdefault(number, len(rank))
    risky: list[Match] = []
    allowed: list[Match] = []
    for number, first, last in sorted(found, key=lambda f: (rank[f[0]], f[1])):
        phrase = index.phrases[number]
        match = Match(phrase, first, last, starts[first], ends[last])
        (allowed if phrase.action == "allow" else risky).append(match)
    kept = [m for m in risky if not any(a.start <= m.start and m.end <= a.end for a in allowed)]
    return kept, {i for a in allowed for i in range(a.start, a.end + 1)}


def _cuts(starts: list[int], spans: list[tuple[int, int]]) -> list[int]:
    """Where each sentence's words begin in the list of words, and the number of words at the end.

    A word belongs to the first sentence that ends after it starts (the last sentence takes the rest)."""
    return [0, *(bisect_left(starts, end) for _, end in spans[:-1]), len(starts)]


def _terms(model: Classifier, evidence: list[str]) -> tuple[str, ...]:
    """The words and word pairs that pushed a sentence's risk score up most."""
    word_counts = word_features(evidence)
    by_word = model.words.contributions(word_counts)
    by_char = model.chars.word_shares(evidence)
    weight = {w: by_word.get(w, 0.0) / word_counts[w] + by_char[w] for w in set(evidence)}
    candidates = dict(weight)
    for a, b in zip(evidence, evidence[1:], strict=False):
        pair = f"{a} {b}"
        candidates[pair] = by_word.get(pair, 0.0) + weight[a] + weight[b]
    chosen: list[str] = []
    for term, value in sorted(candidates.items(), key=itemgetter(1), reverse=True):
        if value <= 0 or len(chosen) == TERMS_PER_REASON:
            break
        if set(term.split()) <= _PLAIN:
            continue
        if not set(term.split()) & {w for c in chosen for w in c.split()}:
            chosen.append(term)
    return tuple(chosen)


@dataclass(frozen=True)
class Analysis:
    """A text taken apart: its words, sentences, phrase matches, and the words each sentence gives the model.

    Word k is words[k], at starts[k]:ends[k] in the text; sentence n is at spans[n] and holds the words
    words[cuts[n]:cuts[n + 1]]."""

    words: list[str]
    starts: list[int]
    ends: list[int]
    spans: list[tuple[int, int]]
    cuts: list[int]
    matches: list[Match]
    evidence: list[list[str]]
    why: list[str]

    def sentence_of(self, position: int) -> int:
        """The sentence the word at this position belongs to."""
        return bisect_right(self.cuts, position) - 1

    def counts(self) -> tuple[Counter[str], Counter[str]]:
        """Word and character n-gram counts of the whole text's evidence, pooled over its sentences."""
        word_counts: Counter[str] = Counter()
        char_counts: Counter[str] = Counter()
        for said in self.evidence:
            word_counts.update(word_features(said))
            char_counts.update(char_features(said))
        return word_counts, char_counts


def analyse(
    text: str, phrases: Iterable[Phrase], shingles: frozenset[tuple[str, ...]] = frozenset()
) -> Analysis:
    """Split a text into sentences, find phrases, and keep the words the model may weigh."""
    words, starts, ends = word_spans(text)
    matches, allowed = _phrase_matches(words, starts, ends, phrases)
    spans = sentences(text) or [(0, len(text))]
    cuts = _cuts(starts, spans)
    texts = [words[first:after] for first, after in pairwise(cuts)]
    why = rules.discounted(texts)
    quoting = rules.quoting(words, cuts, shingles) if shingles else set()
    hidden = {bisect_right(cuts, i) - 1 for i in allowed}
    evidence = []
    for n, (first, said, rule) in enumerate(zip(cuts[:-1], texts, why, strict=True)):
        if rule:
            evidence.append([])
            continue
        quoted = rules.quoted_from_modules(said, shingles) if n in quoting else set()
        if quoted or n in hidden:
            said = [w for i, w in enumerate(said) if i + first not in allowed and i not in quoted]
        evidence.append(said)
    return Analysis(words, starts, ends, spans, cuts, matches, evidence, why)


def detect(
    text: str,
    phrases: Iterable[Phrase],
    model: Classifier | None = None,
    shingles: frozenset[tuple[str, ...]] = frozenset(),
) -> RiskResult:
    """Risk phrases and, when there is a model, its score, categories and the sentences behind them."""
    analysis = analyse(text, phrases, shingles)
    matches, spans, evidence = analysis.matches, analysis.spans, analysis.evidence
    discounted: dict[str, list[tuple[int, int]]] = {}
    for span, rule in zip(spans, analysis.why, strict=True):
        if rule:
            discounted.setdefault(rule, []).append(span)
    sentence_of = {m.start: analysis.sentence_of(m.start) for m in matches}
    matched = set(sentence_of.values())

    if model is None:
        reasons = [
            Reason(
                *spans[n],
                text[slice(*spans[n])],
                1.0,
                (),
                tuple(m.phrase.text for m in matches if sentence_of[m.start] == n),
            )
            for n in sorted(matched)
        ]
        return RiskResult(
            matches,
            score=1.0 if matches else 0.0,
            phrase_categories=[candidate_categories(m.phrase.category)[0] for m in matches],
            reasons=reasons,
            discounted=discounted,
        )

    scores = model.score(evidence)
    post = scores.pooled
    score = float(post[0])
    model_risk = score >= model.threshold
    thresholds = [model.category_thresholds[c] for c in model.categories]
    scored = [n for n, said in enumerate(evidence) if said]
    # Every sentence's risk is needed to find the risky ones; otherwise only those with a phrase.
    each = scores.by_sentence(None if model_risk else matched)
    risk = each.risk.tolist()

    def above(probabilities: np.ndarray) -> list[str]:
        return [c for c, p, t in zip(model.categories, probabilities[1:], thresholds, strict=True) if p >= t]

    model_categories: list[str] = []
    if model_risk:
        model_categories = above(post) or [model.categories[int(np.argmax(post[1:]))]]

    def phrase_category(match: Match) -> str:
        candidates = candidate_categories(match.phrase.category)
        n = sentence_of[match.start]
        if not evidence[n] or len(candidates) == 1:
            return candidates[0]
        probabilities = each.of(n)
        return max(candidates, key=lambda c: probabilities[1 + model.categories.index(c)])

    risky: set[int] = set()
    if model_risk:
        risky = {n for n in scored if risk[n] >= model.threshold} or {max(scored, key=risk.__getitem__)}
    shown = sorted(risky | matched, key=lambda n: (n not in matched, -(risk[n] if evidence[n] else 0.0)))[
        :MAX_REASONS
    ]
    reasons = []
    for n in sorted(shown):
        reasons.append(
            Reason(
                *spans[n],
                text[slice(*spans[n])],
                round(float(risk[n]), 3) if evidence[n] else 0.0,
                _terms(model, evidence[n]) if evidence[n] else (),
                tuple(m.phrase.text for m in matches if sentence_of[m.start] == n),
                tuple(above(each.of(n))) if evidence[n] else (),
            )
        )
    return RiskResult(
        matches,
        score=score,
        model_risk=model_risk,
        model_categories=model_categories,
        phrase_categories=[phrase_category(m) for m in matches],
        reasons=reasons,
        discounted=discounted,
    )
