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

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from react_toolkit.risk import rules
from react_toolkit.risk.classifier import WORD_CACHE, Classifier, char_features, char_grams, word_features
from react_toolkit.risk.models import SEVERITY, candidate_categories
from react_toolkit.risk.text import Word, sentences, tokenise, words

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


def _token_matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word == pattern or word == pattern.replace("'", "")


def _find(phrase: Phrase, found: list[Word], starts: Iterable[int]) -> Iterable[Match]:
    tokens = phrase.tokens
    for start in starts:
        position = start
        for token in tokens[1:]:
            for step in range(1, MAX_GAP + 2):
                candidate = position + step
                if candidate < len(found) and _token_matches(token, found[candidate].text):
                    position = candidate
                    break
            else:
                break
        else:
            yield Match(phrase, start, position, found[start].start, found[position].end)


class _Index:
    """Phrases by the words their first word matches, remembered word by word."""

    def __init__(self, phrases: tuple[Phrase, ...]) -> None:
        self.exact: dict[str, list[Phrase]] = {}
        self.prefixes: dict[str, list[Phrase]] = {}
        for phrase in phrases:
            if not phrase.tokens:
                continue
            first = phrase.tokens[0]
            if first.endswith("*"):
                self.prefixes.setdefault(first[:-1], []).append(phrase)
            else:
                for key in {first, first.replace("'", "")}:
                    self.exact.setdefault(key, []).append(phrase)
        self.lengths = sorted({len(prefix) for prefix in self.prefixes})
        self.by_word: dict[str, list[Phrase]] = {}

    def starting_with(self, word: str) -> list[Phrase]:
        known = self.by_word.get(word)
        if known is None:
            known = list(self.exact.get(word, []))
            for n in self.lengths:
                known.extend(self.prefixes.get(word[:n], []) if n <= len(word) else [])
            if len(self.by_word) < WORD_CACHE:
                self.by_word[word] = known
        return known


@lru_cache(maxsize=8)
def _index(phrases: tuple[Phrase, ...]) -> _Index:
    return _Index(phrases)


def _starts(phrases: Iterable[Phrase], found: list[Word]) -> dict[Phrase, list[int]]:
    """Where each phrase could start: the positions of the words its first word matches."""
    index = _index(tuple(phrases))
    at: dict[str, list[int]] = {}
    for position, word in enumerate(found):
        at.setdefault(word.text, []).append(position)
    starts: dict[Phrase, list[int]] = {}
    for text, positions in at.items():
        for phrase in index.starting_with(text):
            starts.setdefault(phrase, []).extend(positions)
    return starts


def _phrase_matches(found: list[Word], phrases: Iterable[Phrase]) -> tuple[list[Match], set[int]]:
    """Risk matches outside everyday phrases, and the positions of the words everyday phrases cover."""
    risky: list[Match] = []
    allowed: list[Match] = []
    for phrase, starts in _starts(phrases, found).items():
        for match in _find(phrase, found, sorted(set(starts))):
            (allowed if phrase.action == "allow" else risky).append(match)
    kept = [m for m in risky if not any(a.start <= m.start and m.end <= a.end for a in allowed)]
    return kept, {i for a in allowed for i in range(a.start, a.end + 1)}


def _group(found: list[Word], spans: list[tuple[int, int]]) -> list[list[int]]:
    """The positions of the words in each sentence."""
    grouped: list[list[int]] = [[] for _ in spans]
    current = 0
    for position, word in enumerate(found):
        while current < len(spans) - 1 and word.start >= spans[current][1]:
            current += 1
        grouped[current].append(position)
    return grouped


def _discount(texts: list[list[str]]) -> list[str]:
    """For each sentence, the rule that discounts it, or ""."""
    past = rules.past_sentences(texts)
    why = []
    for i, said in enumerate(texts):
        following = texts[i + 1] if i + 1 < len(texts) else []
        if rules.denial(said, following):
            why.append("denial")
        elif i in past:
            why.append("past")
        elif rules.media(said):
            why.append("media")
        else:
            why.append("")
    return why


def _terms(model: Classifier, evidence: list[str]) -> tuple[str, ...]:
    """The words and word pairs that pushed a sentence's risk score up most."""
    word_counts, char_counts = word_features(evidence), char_features(evidence)
    by_word = model.words.contributions(word_counts)
    by_char = model.chars.contributions(char_counts)
    weight = {
        w: by_word.get(w, 0.0) / word_counts[w]
        + sum(by_char.get(g, 0.0) / char_counts[g] for g in char_grams(w))
        for w in set(evidence)
    }
    candidates = dict(weight)
    for a, b in zip(evidence, evidence[1:], strict=False):
        pair = f"{a} {b}"
        candidates[pair] = by_word.get(pair, 0.0) + weight[a] + weight[b]
    chosen: list[str] = []
    for term, value in sorted(candidates.items(), key=lambda item: -item[1]):
        if value <= 0 or len(chosen) == TERMS_PER_REASON:
            break
        if set(term.split()) <= _PLAIN:
            continue
        if not set(term.split()) & {w for c in chosen for w in c.split()}:
            chosen.append(term)
    return tuple(chosen)


@dataclass(frozen=True)
class Analysis:
    """A text taken apart: its words, sentences, phrase matches, and the words each sentence gives the model."""

    found: list[Word]
    spans: list[tuple[int, int]]
    grouped: list[list[int]]
    matches: list[Match]
    evidence: list[list[str]]
    why: list[str]

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
    found = words(text)
    matches, allowed = _phrase_matches(found, phrases)
    spans = sentences(text) or [(0, len(text))]
    grouped = _group(found, spans)
    texts = [[found[i].text for i in group] for group in grouped]
    why = _discount(texts)
    evidence = []
    for group, said, rule in zip(grouped, texts, why, strict=True):
        quoted = rules.quoted_from_modules(said, shingles) if shingles and not rule else set()
        kept = [
            w
            for n, (i, w) in enumerate(zip(group, said, strict=True))
            if i not in allowed and n not in quoted
        ]
        evidence.append([] if rule else kept)
    return Analysis(found, spans, grouped, matches, evidence, why)


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
    sentence_of = {i: n for n, group in enumerate(analysis.grouped) for i in group}
    matched = {sentence_of[m.start] for m in matches}

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

    post, each = model.probabilities(evidence)
    per_sentence = [each[n] if said else None for n, said in enumerate(evidence)]
    score = float(post[0])
    model_risk = score >= model.threshold
    thresholds = [model.category_thresholds[c] for c in model.categories]

    def above(probabilities: np.ndarray) -> list[str]:
        return [c for c, p, t in zip(model.categories, probabilities[1:], thresholds, strict=True) if p >= t]

    model_categories: list[str] = []
    if model_risk:
        model_categories = above(post) or [model.categories[int(np.argmax(post[1:]))]]

    def phrase_category(match: Match) -> str:
        candidates = candidate_categories(match.phrase.category)
        probabilities = per_sentence[sentence_of[match.start]]
        if probabilities is None or len(candidates) == 1:
            return candidates[0]
        return max(candidates, key=lambda c: probabilities[1 + model.categories.index(c)])

    risky = {n for n, p in enumerate(per_sentence) if p is not None and p[0] >= model.threshold}
    if model_risk and not risky:
        risky = {
            max((n for n, p in enumerate(per_sentence) if p is not None), key=lambda n: per_sentence[n][0])
        }
    shown = sorted(
        risky | matched if model_risk else matched,
        key=lambda n: (n not in matched, -(per_sentence[n][0] if per_sentence[n] is not None else 0.0)),
    )[:MAX_REASONS]
    reasons = []
    for n in sorted(shown):
        probabilities = per_sentence[n]
        reasons.append(
            Reason(
                *spans[n],
                text[slice(*spans[n])],
                round(float(probabilities[0]), 3) if probabilities is not None else 0.0,
                _terms(model, evidence[n]) if evidence[n] else (),
                tuple(m.phrase.text for m in matches if sentence_of[m.start] == n),
                tuple(above(probabilities)) if probabilities is not None else (),
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
