"""The trained risk model: logistic regressions over word and character n-grams, kept as plain arrays.

The file is a NumPy .npz archive read with allow_pickle=False, so loading it runs no code.
It holds, for each block of features (words 1-2, characters 2-5 within words), the
vocabulary, the idf weights and one column of coefficients per output: "risk" first,
then one per category. Scoring needs only NumPy, never scikit-learn.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain, compress, count, pairwise, repeat
from pathlib import Path
from typing import Any

import numpy as np

CHAR_SIZES = range(2, 6)
RISK = "risk"
MODEL_FILE = Path(__file__).parent / "data" / "model" / "risk-model.npz"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
WORD_CACHE = 50_000


# 1 + log(count) for the counts most features have in a post, worked out once.
_SUBLINEAR = 1.0 + np.log(np.arange(1, 256, dtype=np.int64))


def _sublinear(counts: np.ndarray) -> np.ndarray:
    """Sublinear term frequency, 1 + log(count), as in training."""
    if counts.size and counts.max() <= len(_SUBLINEAR):
        return _SUBLINEAR[counts - 1]
    return 1.0 + np.log(counts)


@lru_cache(maxsize=65536)
def char_grams(word: str) -> tuple[str, ...]:
    """Character n-grams of one word padded with spaces, as scikit-learn's char_wb makes them."""
    padded = f" {word} "
    return tuple(padded[i : i + n] for n in CHAR_SIZES for i in range(len(padded) - n + 1))


def word_features(words: list[str]) -> Counter[str]:
    return Counter(chain(words, (f"{a} {b}" for a, b in pairwise(words))))


def char_features(words: list[str]) -> Counter[str]:
    return Counter(chain.from_iterable(map(char_grams, words)))


class _Positions(dict[str, np.ndarray]):
    """The vocabulary positions of each word's character n-grams, worked out the first time a word is met."""

    def __init__(self, index: dict[str, int]) -> None:
        super().__init__()
        self.index = index

    def __missing__(self, word: str) -> np.ndarray:
        if len(self) > WORD_CACHE:
            self.clear()
        index = self.index
        known = [p for g in char_grams(word) if (p := index.get(g)) is not None]
        positions = self[word] = np.array(known, dtype=np.int32)
        return positions


@dataclass(frozen=True)
class Words:
    """The words of some sentences: each distinct word once, and for every word in turn the number of
    its distinct word and the number of its sentence."""

    distinct: list[str]
    number: np.ndarray
    sentence: np.ndarray
    sentences: int

    @classmethod
    def of(cls, sentences: list[list[str]]) -> Words:
        every = list(chain.from_iterable(sentences))
        distinct = list(dict.fromkeys(every))
        numbers = dict(zip(distinct, count(), strict=False))
        number = np.fromiter(map(numbers.__getitem__, every), dtype=np.int64, count=len(every))
        sentence = np.repeat(np.arange(len(sentences), dtype=np.int32), list(map(len, sentences)))
        return cls(distinct, number, sentence, len(sentences))


@dataclass(frozen=True)
class _Pairs:
    """The word block's vocabulary by numbered words: each word's position alone, and the pairs of words
    as sorted keys (first word's number * number of words + second's) with their positions."""

    numbers: dict[str, int]
    single: np.ndarray
    keys: np.ndarray
    positions: np.ndarray

    @classmethod
    def of(cls, index: dict[str, int]) -> _Pairs:
        numbers: dict[str, int] = {}
        for gram in index:
            for word in gram.split(" "):
                numbers.setdefault(word, len(numbers))
        single = np.full(len(numbers), -1, dtype=np.int64)
        # A key above every pair's ends the list, so a search for a pair always lands on a key.
        keys, positions = [len(numbers) ** 2], [-1]
        for gram, position in index.items():
            first, space, second = gram.partition(" ")
            if not space:
                single[numbers[gram]] = position
            elif " " not in second:
                keys.append(numbers[first] * len(numbers) + numbers[second])
                positions.append(position)
        order = np.argsort(keys)
        return cls(
            numbers, single, np.array(keys, dtype=np.int64)[order], np.array(positions, dtype=np.int64)[order]
        )


@dataclass(frozen=True)
class Found:
    """The features of some sentences found in one block's vocabulary: each one's position and sentence."""

    block: Block
    positions: np.ndarray
    sentence: np.ndarray

    def pooled(self) -> np.ndarray:
        """This block's share of the log-odds of each output for all the sentences pooled.

        tf-idf as in training: sublinear tf, unit length."""
        block = self.block
        if not self.positions.size:
            return np.zeros(block.weights.shape[1])
        # A few features are counted by sorting them, many by counting into the whole vocabulary.
        if self.positions.size * 32 < len(block.idf):
            features, counts = np.unique(self.positions, return_counts=True)
        else:
            counts = np.bincount(self.positions, minlength=len(block.idf))
            features = np.flatnonzero(counts > 0)
            counts = counts[features]
        values = _sublinear(counts) * block.idf[features]
        # np.take gathers whole rows several times as fast as indexing does.
        return (values / np.linalg.norm(values)) @ np.take(block.weights, features, axis=0)

    def by_sentence(
        self, sentences: int, only: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each sentence on its own (or each sentence `only` marks), tf-idf scaled to unit length by
        sentence: this block's share of the log-odds of risk of each sentence, and every feature of
        every sentence as three arrays sorted by sentence (sentence, feature, tf-idf value)."""
        block = self.block
        width = len(block.idf)
        sentence, positions = self.sentence, self.positions
        if only is not None:
            marked = only[sentence]
            sentence, positions = sentence[marked], positions[marked]
        if not positions.size:
            none = np.zeros(0, dtype=np.int64)
            return np.zeros(sentences), none, none, np.zeros(0)
        # Sorting is the costly step, and is twice as quick on 32-bit numbers when the keys fit.
        size = np.int32 if sentences * width < 2**31 else np.int64
        keys = sentence.astype(size) * width + positions.astype(size)
        keys.sort()
        first = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        counts = np.diff(first, append=len(keys))
        pairs = keys[first].astype(np.int64)
        rows = pairs // width
        features = pairs - rows * width
        values = _sublinear(counts) * block.idf[features]
        values /= np.sqrt(np.bincount(rows, values**2, minlength=sentences))[rows]
        risk = np.bincount(rows, values * block.risk_weights[features], minlength=sentences)
        return risk, rows, features, values


@dataclass(frozen=True)
class Block:
    """One block of features: its vocabulary, idf weights and coefficients (features x outputs)."""

    index: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    by_word: _Positions = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_word", _Positions(self.index))

    @cached_property
    def pairs(self) -> _Pairs:
        return _Pairs.of(self.index)

    @cached_property
    def risk_weights(self) -> np.ndarray:
        """The coefficients of risk alone, side by side in memory."""
        return np.ascontiguousarray(self.weights[:, 0])

    def char_positions(self, words: Words) -> Found:
        """The character n-grams of every word."""
        grams = list(map(self.by_word.__getitem__, words.distinct))
        if not words.number.size:
            return Found(self, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32))
        sizes = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        # Each word takes its n-grams' slice of all the distinct words' n-grams laid end to end.
        taken = sizes[words.number]
        ends = np.cumsum(taken)
        slices = np.repeat(np.cumsum(sizes)[words.number] - ends, taken) + np.arange(ends[-1])
        return Found(self, np.concatenate(grams)[slices], np.repeat(words.sentence, taken))

    def word_positions(self, words: Words) -> Found:
        """Every word, and every pair of neighbouring words in a sentence."""
        pairs = self.pairs
        known = np.fromiter(
            map(pairs.numbers.get, words.distinct, repeat(-1)), dtype=np.int64, count=len(words.distinct)
        )
        number = known[words.number]
        single = np.where(number >= 0, pairs.single[number], -1)
        first, second = number[:-1], number[1:]
        keys = first * len(pairs.numbers) + second
        at = np.searchsorted(pairs.keys, keys)
        paired = np.where(
            (first >= 0)
            & (second >= 0)
            & (words.sentence[1:] == words.sentence[:-1])
            & (pairs.keys[at] == keys),
            pairs.positions[at],
            -1,
        )
        positions = np.concatenate([single, paired])
        sentence = np.concatenate([words.sentence, words.sentence[:-1]])
        found = positions >= 0
        return Found(self, positions[found], sentence[found])

    def word_shares(self, words: list[str]) -> dict[str, float]:
        """How much each word's character n-grams pushed a sentence of these words towards risk: for
        each n-gram of the word in turn, its contribution (as `contributions` gives it) divided by the
        number of times it occurs in the sentence, added up in that order."""
        grams = {word: self.by_word[word].tolist() for word in dict.fromkeys(words)}
        counts = Counter(chain.from_iterable(map(grams.__getitem__, words)))
        if not counts:
            return dict.fromkeys(grams, 0.0)
        positions = np.fromiter(counts, dtype=np.int64, count=len(counts))
        found = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
        values = _sublinear(found) * self.idf[positions]
        values /= np.linalg.norm(values)
        share = dict(zip(counts, (values * self.risk_weights[positions] / found).tolist(), strict=True))
        return {word: sum(map(share.__getitem__, known), 0.0) for word, known in grams.items()}

    def contributions(self, counts: Counter[str]) -> dict[str, float]:
        """How much each feature of one sentence pushed the risk log-odds."""
        positions = np.fromiter(map(self.index.get, counts, repeat(-1)), dtype=np.int64, count=len(counts))
        known = positions >= 0
        if not known.any():
            return {}
        positions = positions[known]
        found = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))[known]
        values = (1.0 + np.log(found)) * self.idf[positions]
        values /= np.linalg.norm(values)
        shares = (values * self.risk_weights[positions]).tolist()
        return dict(zip(compress(counts, known.tolist()), shares, strict=True))


def _sigmoid(logits: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-logits))


@dataclass(frozen=True)
class BySentence:
    """The model's probabilities for each sentence on its own: risk for all, every output when asked."""

    risk: np.ndarray
    intercepts: np.ndarray
    blocks: tuple[tuple[Block, np.ndarray, np.ndarray, np.ndarray], ...]

    def of(self, sentence: int) -> np.ndarray:
        """The probability of each output for one sentence."""
        logits = self.intercepts
        for block, rows, features, values in self.blocks:
            first, after = np.searchsorted(rows, [sentence, sentence + 1])
            shares = values[first:after, None] * np.take(block.weights, features[first:after], axis=0)
            # Added up in order, as the sentences' shares of one output are (np.bincount).
            logits = logits + (np.add.accumulate(shares)[-1] if after > first else 0.0)
        return _sigmoid(logits)


@dataclass(frozen=True)
class Scores:
    """The model's probabilities for some sentences, pooled; each sentence's own when asked for."""

    pooled: np.ndarray
    intercepts: np.ndarray
    words: Found
    chars: Found
    count: int

    def by_sentence(self, only: Collection[int] | None = None) -> BySentence:
        """Each sentence's own probabilities; only for the sentences named, when they are named
        (the others then read as if they had no words)."""
        marked = None
        if only is not None:
            marked = np.zeros(self.count, dtype=bool)
            marked[list(only)] = True
        words = self.words.by_sentence(self.count, marked)
        chars = self.chars.by_sentence(self.count, marked)
        risk = _sigmoid(self.intercepts[0] + words[0] + chars[0])
        return BySentence(
            risk, self.intercepts, ((self.words.block, *words[1:]), (self.chars.block, *chars[1:]))
        )


@dataclass(frozen=True)
class Classifier:
    labels: tuple[str, ...]
    words: Block
    chars: Block
    intercepts: np.ndarray
    threshold: float
    category_thresholds: dict[str, float]
    about: dict[str, Any]

    @property
    def categories(self) -> tuple[str, ...]:
        return self.labels[1:]

    def score(self, sentences: list[list[str]]) -> Scores:
        """What the model makes of these sentences (each a list of words), pooled; each on its own when asked."""
        every = Words.of(sentences)
        words = self.words.word_positions(every)
        chars = self.chars.char_positions(every)
        pooled = _sigmoid(self.intercepts + words.pooled() + chars.pooled())
        return Scores(pooled, self.intercepts, words, chars, len(sentences))

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            "labels": np.array(self.labels),
            "intercepts": self.intercepts,
            "about": np.array(
                json.dumps(
                    {
                        **self.about,
                        "threshold": self.threshold,
                        "category_thresholds": self.category_thresholds,
                    },
                    sort_keys=True,
                )
            ),
        }
        for name, block in (("words", self.words), ("chars", self.chars)):
            arrays[f"{name}_vocabulary"] = np.array(sorted(block.index, key=block.index.__getitem__))
            arrays[f"{name}_idf"] = block.idf
            arrays[f"{name}_weights"] = block.weights
        # Written entry by entry with a fixed date, so the same model always gives the same bytes.
        with zipfile.ZipFile(path, "w") as archive:
            for name, array in arrays.items():
                info = zipfile.ZipInfo(f"{name}.npy", date_time=FIXED_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                with archive.open(info, "w", force_zip64=True) as entry:
                    np.lib.format.write_array(entry, np.asarray(array), allow_pickle=False)

    @classmethod
    def load(cls, path: Path) -> Classifier:
        with np.load(path, allow_pickle=False) as data:
            about = json.loads(str(data["about"]))
            blocks = {
                name: Block(
                    {gram: i for i, gram in enumerate(data[f"{name}_vocabulary"].tolist())},
                    data[f"{name}_idf"],
                    data[f"{name}_weights"],
                )
                for name in ("words", "chars")
            }
            return cls(
                labels=tuple(data["labels"].tolist()),
                words=blocks["words"],
                chars=blocks["chars"],
                intercepts=data["intercepts"],
                threshold=float(about.pop("threshold")),
                category_thresholds=about.pop("category_thresholds"),
                about=about,
            )
