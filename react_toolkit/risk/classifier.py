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
from itertools import chain, compress, pairwise, repeat
from pathlib import Path
from typing import Any

import numpy as np

CHAR_SIZES = range(2, 6)
RISK = "risk"
MODEL_FILE = Path(__file__).parent / "data" / "model" / "risk-model.npz"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
WORD_CACHE = 50_000


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
        positions = self[word] = np.array(known, dtype=np.int64)
        return positions


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
        counts = np.bincount(self.positions, minlength=len(block.idf))
        features = np.flatnonzero(counts)
        values = (1.0 + np.log(counts[features])) * block.idf[features]
        return (values / np.linalg.norm(values)) @ block.weights[features]

    def by_sentence(
        self, sentences: int, only: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """This block's share of the log-odds of each output for each sentence on its own (or for
        the sentences `only` marks), tf-idf scaled to unit length by sentence: risk for all of them,
        and each sentence's features with their values: sentence, feature and value, sorted by sentence."""
        block = self.block
        width = len(block.idf)
        keys = self.sentence * width + self.positions
        if only is not None:
            keys = keys[only[self.sentence]]
        keys.sort()
        first = np.flatnonzero(np.diff(keys, prepend=-1))
        counts = np.diff(first, append=len(keys))
        rows, features = np.divmod(keys[first], width)
        values = (1.0 + np.log(counts)) * block.idf[features]
        values /= np.sqrt(np.bincount(rows, values**2, minlength=sentences))[rows]
        risk = np.bincount(rows, values * block.weights[features, 0], minlength=sentences)
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
    def pairs(self) -> dict[tuple[str, str], int]:
        """The vocabulary's word pairs, by their two words."""
        return {(a, b): p for gram, p in self.index.items() for a, space, b in [gram.partition(" ")] if space}

    def char_positions(self, sentences: list[list[str]]) -> Found:
        """The character n-grams of every word of each sentence."""
        every = list(chain.from_iterable(sentences))
        distinct = {word: n for n, word in enumerate(dict.fromkeys(every))}
        grams = list(map(self.by_word.__getitem__, distinct))
        if not grams:
            return Found(self, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        sizes = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        word = np.fromiter(map(distinct.__getitem__, every), dtype=np.int64, count=len(every))
        # Each occurrence of a word takes its n-grams' slice of all the distinct words' n-grams laid end to end.
        taken = sizes[word]
        ends = np.cumsum(taken)
        slices = np.repeat(np.cumsum(sizes)[word] - ends, taken) + np.arange(ends[-1])
        sentence = np.repeat(np.arange(len(sentences)), [len(s) for s in sentences])
        return Found(self, np.concatenate(grams)[slices], np.repeat(sentence, taken))

    def word_positions(self, sentences: list[list[str]]) -> Found:
        """The words and pairs of neighbouring words of each sentence."""
        every = list(chain.from_iterable(sentences))
        sentence = np.repeat(np.arange(len(sentences)), [len(s) for s in sentences])
        single = np.fromiter(map(self.index.get, every, repeat(-1)), dtype=np.int64, count=len(every))
        pairs = zip(every, every[1:], strict=False)
        paired = np.fromiter(
            map(self.pairs.get, pairs, repeat(-1)), dtype=np.int64, count=max(len(every) - 1, 0)
        )
        paired[sentence[1:] != sentence[:-1]] = -1
        positions = np.concatenate([single, paired])
        sentence = np.concatenate([sentence, sentence[:-1]])
        known = positions >= 0
        return Found(self, positions[known], sentence[known])

    def word_shares(self, words: list[str]) -> dict[str, float]:
        """How much each word's character n-grams pushed a sentence of these words towards risk: for
        each n-gram of the word in turn, its contribution (as `contributions` gives it) divided by the
        number of times it occurs in the sentence, added up in that order."""
        distinct = list(dict.fromkeys(words))
        flat = (
            np.concatenate([self.by_word[word] for word in words]) if words else np.zeros(0, dtype=np.int64)
        )
        if not flat.size:
            return dict.fromkeys(distinct, 0.0)
        positions, first, counts = np.unique(flat, return_index=True, return_counts=True)
        # The norm is taken over the n-grams in the order they are first met, as a Counter holds them.
        seen = np.argsort(first)
        values = (1.0 + np.log(counts[seen])) * self.idf[positions[seen]]
        values /= np.linalg.norm(values)
        share = np.empty(len(positions))
        share[seen] = values * self.weights[positions[seen], 0] / counts[seen]
        # One column per word, its n-grams' shares down the rows, added up in order (a running total).
        grams = [self.by_word[word] for word in distinct]
        sizes = np.fromiter(map(len, grams), dtype=np.int64, count=len(grams))
        column = np.repeat(np.arange(len(grams)), sizes)
        row = np.arange(len(column)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        table = np.zeros((int(sizes.max()), len(grams)))
        table[row, column] = share[np.searchsorted(positions, np.concatenate(grams))]
        return dict(zip(distinct, np.add.accumulate(table)[-1].tolist(), strict=True))

    def contributions(self, counts: Counter[str], output: int = 0) -> dict[str, float]:
        """How much each feature of one sentence pushed one output's log-odds."""
        positions = np.fromiter(map(self.index.get, counts, repeat(-1)), dtype=np.int64, count=len(counts))
        known = positions >= 0
        if not known.any():
            return {}
        positions = positions[known]
        found = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))[known]
        values = (1.0 + np.log(found)) * self.idf[positions]
        values /= np.linalg.norm(values)
        shares = (values * self.weights[positions, output]).tolist()
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
            shares = values[first:after, None] * block.weights[features[first:after]]
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
        words = self.words.word_positions(sentences)
        chars = self.chars.char_positions(sentences)
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
