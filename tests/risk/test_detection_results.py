"""Detection gives the results it always gave: scores, categories, actions and reasons recorded for a
fixed set of posts (two of 10,000 characters among them), and words, discounted sentences and phrase
matches equal to those of slow, obvious versions of the same rules.

detection_expected.json was written by the detector before it was made faster. It holds the shipped
model's results: retraining the model (`flask react train-risk`) changes them, and the file is then
written again from the new model's own results, once they are checked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from react_toolkit.risk import rules
from react_toolkit.risk.classifier import MODEL_FILE, Classifier
from react_toolkit.risk.detection import MAX_GAP, MAX_REASONS, Phrase, _phrase_matches, analyse, detect
from react_toolkit.risk.services import shipped_phrases
from react_toolkit.risk.text import word_spans, words

EXPECTED = json.loads((Path(__file__).parent / "detection_expected.json").read_text(encoding="utf-8"))
PHRASES = shipped_phrases()
SHINGLES = rules.module_shingles()
SETTINGS = settings(max_examples=300, deadline=None, database=None, derandomize=True)


@pytest.fixture(scope="module")
def model() -> Classifier:
    return Classifier.load(MODEL_FILE)


def as_recorded(text: str, model: Classifier) -> dict:
    result = detect(text, PHRASES, model, SHINGLES)
    return {
        "text": text,
        "score": pytest.approx(result.score, abs=1e-9),
        "is_risk": result.is_risk,
        "categories": result.categories,
        "action": result.action,
        "reasons": [
            [r.start, r.end, r.score, list(r.terms), list(r.phrases), list(r.categories)]
            for r in result.reasons
        ],
        "matches": [[m.phrase.text, m.begin, m.finish] for m in result.matches],
        "discounted": {
            rule: [list(span) for span in spans] for rule, spans in sorted(result.discounted.items())
        },
    }


def test_results_are_those_recorded(model):
    assert len(EXPECTED) > 70 and sum(post["is_risk"] for post in EXPECTED) > 30
    differ = [post["text"][:60] for post in EXPECTED if as_recorded(post["text"], model) != post]
    assert not differ


def test_a_long_post_is_read_to_the_end(model):
    text = max((post["text"] for post in EXPECTED), key=len)
    assert len(text) == 10_000
    result = detect(text, PHRASES, model, SHINGLES)
    assert result.is_risk and 0 < len(result.reasons) <= MAX_REASONS
    assert all(text[r.start : r.end] == r.sentence for r in result.reasons)
    found = words(text)
    assert len(found) > 1500 and found[-1].end > 9_900
    assert all(a.end < b.start for a, b in pairwise(found))


# The straightforward versions the fast code replaced, kept here as the definition of what it must do.

LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})


def fold(ch: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).lower()
    return folded.replace("’", "'").replace("‘", "'")


def plain_words(text: str) -> list[tuple[str, int, int]]:
    pieces = [fold(ch) for ch in text]
    # Offsets are mapped back only when folding changed the length (as the detector has always done).
    origin = [i for i, piece in enumerate(pieces) for _ in piece]
    if len(origin) == len(text):
        origin = list(range(len(text)))
    found = []
    for match in re.finditer(r"[a-z0-9']+", "".join(pieces)):
        stripped = match.group().strip("'")
        if stripped:
            start = match.start() + len(match.group()) - len(match.group().lstrip("'"))
            word = stripped if stripped.isdigit() else stripped.translate(LEET)
            found.append((word, origin[start], origin[start + len(stripped) - 1] + 1))
    joined, run = [], []
    for word in [*found, ("", 0, 0)]:
        single = len(word[0]) == 1
        if single and (run or word[0].isalpha() and word[0] not in "ai"):
            run.append(word)
            continue
        if len(run) >= 3:
            joined.append(("".join(w[0] for w in run), run[0][1], run[-1][2]))
        else:
            joined.extend(run)
        run = []
        if word[0]:
            joined.append(word)
    return joined


def plain_discounted(sentences: list[list[str]]) -> list[str]:
    said = [" ".join(words) for words in sentences]
    past = {i for i, text in enumerate(said) if rules._PAST.search(text) and not rules._AGAIN.search(text)}
    if any(rules._AGAIN.search(text) for text in said):
        past = set()
    if not any(rules._RECOVERED.search(text) for i, text in enumerate(said) if i not in past):
        past = set()
    why = []
    for i, said_words in enumerate(sentences):
        following = sentences[i + 1] if i + 1 < len(sentences) else []
        denied = rules.denial(said_words, following)
        media = rules.media(said_words)
        why.append("denial" if denied else "past" if i in past else "media" if media else "")
    return why


def matches(pattern: str, word: str) -> bool:
    if pattern.endswith("*"):
        return word.startswith(pattern[:-1])
    return word in (pattern, pattern.replace("'", ""))


def plain_phrase_matches(found: list[str], phrases: list[Phrase]) -> list[tuple[Phrase, int, int]]:
    """Every (phrase, first word, last word): each next word of a phrase is the first of the next
    MAX_GAP + 1 words that matches it."""
    hits = []
    for phrase in dict.fromkeys(phrases):
        for start, word in enumerate(found):
            if not phrase.tokens or not matches(phrase.tokens[0], word):
                continue
            position = start
            for token in phrase.tokens[1:]:
                ahead = range(position + 1, min(position + MAX_GAP + 2, len(found)))
                position = next((c for c in ahead if matches(token, found[c])), -1)
                if position < 0:
                    break
            else:
                hits.append((phrase, start, position))
    return hits


TRICKY = "aAbBciIkKlLsS0137 ''’‘.!?\n-éÉñßﬁİΣ\u0301"


@SETTINGS
@given(st.text(alphabet=TRICKY, max_size=60))
def test_words_and_their_offsets_are_those_of_the_plain_rules(text):
    assert [tuple(w) for w in words(text)] == plain_words(text)


SAID = [
    *"i'm he she they not a the it to and y'still 'tis 2019 but though probably maybe".split(),
    *["i'm not going to hurt", "he is not suicidal", "no thoughts of", "don't want to die", "would never"],
    *["i am safe", "two years ago", "last year", "when i was young", "back in 2019", "used to", "doing well"],
    *["better now", "recovered", "today he", "hasn't since", "again", "still", "any more", "relapse"],
    *["i watched a film", "we read the book", "has anyone seen the documentary", "episode", "not really"],
]


@SETTINGS
@given(st.lists(st.lists(st.sampled_from(SAID), max_size=6), min_size=1, max_size=6))
def test_discounted_sentences_are_those_of_the_plain_rules(sentences):
    sentences = [" ".join(said).split() for said in sentences]
    assert rules.discounted(sentences) == plain_discounted(sentences)


VOCABULARY = ["kill", "kills", "killing", "myself", "my", "self", "end", "it", "all", "i", "want", "to"]
VOCABULARY += ["don't", "dont", "not", "cut", "a", "time", "k"]
PATTERNS = [*VOCABULARY, "kill*", "end*", "k*", "i'm", "want*"]


@SETTINGS
@given(
    st.lists(st.lists(st.sampled_from(PATTERNS), min_size=1, max_size=4), max_size=10),
    st.lists(st.sampled_from(["flag", "allow"]), min_size=10, max_size=10),
    st.lists(st.sampled_from([*VOCABULARY, "im", "I'M"]), max_size=40),
)
def test_phrase_matches_are_those_of_the_plain_rules(tokens, actions, text):
    phrases = [
        Phrase.build(n, " ".join(t), "safeguarding", a)
        for n, (t, a) in enumerate(zip(tokens, actions, strict=False))
    ]
    found, starts, ends = word_spans(" ".join(text))
    risky, covered = _phrase_matches(found, starts, ends, phrases + phrases[:1])
    hits = plain_phrase_matches(found, phrases)
    allowed = [(first, last) for phrase, first, last in hits if phrase.action == "allow"]
    kept = [
        (phrase.id, first, last)
        for phrase, first, last in hits
        if phrase.action != "allow" and not any(a <= first and last <= b for a, b in allowed)
    ]
    assert sorted((m.phrase.id, m.start, m.end) for m in risky) == sorted(kept)
    assert covered == {i for first, last in allowed for i in range(first, last + 1)}


def test_each_sentence_scores_the_same_alone_or_with_the_others(model):
    text = max((post["text"] for post in EXPECTED), key=len)
    evidence = analyse(text, PHRASES, SHINGLES).evidence
    scores = model.score(evidence)
    every, some = scores.by_sentence(), scores.by_sentence({3, 7, 40})
    for n in (3, 7, 40):
        assert every.risk[n] == some.risk[n] and np.array_equal(every.of(n), some.of(n))
    assert all(every.risk[n] == every.of(n)[0] for n in range(len(evidence)))
