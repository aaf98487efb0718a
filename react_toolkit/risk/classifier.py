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
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, pairwise
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


@dataclass(frozen=True)
class Block:
    """One block of features: its vocabulary, idf weights and coefficients (features x outputs)."""

    index: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    by_word: dict[str, list[int]] = field(default_factory=dict, compare=False, repr=False)

    def char_positions(self, word: str) -> list[int]:
        """The vocabulary positions of a word's character n-grams, remembered for the next time."""
        known = self.by_word.get(word)
        if known is None:
            if len(self.by_word) > WORD_CACHE:
                self.by_word.clear()
            known = self.by_word[word] = [p for g in char_grams(word) if (p := self.index.get(g)) is not None]
        return known

    def word_positions(self, words: list[str]) -> list[int]:
        index = self.index
        grams = chain(words, (f"{a} {b}" for a, b in pairwise(words)))
        return [p for g in grams if (p := index.get(g)) is not None]

    def logits(self, positions: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """This block's share of the log-odds of each output: for all sentences pooled, and for each one.

        tf-idf as in training: sublinear tf, unit length (over the pool, or over the sentence)."""
        outputs = self.weights.shape[1]
        sizes = [len(p) for p in positions]
        if not sum(sizes):
            return np.zeros(outputs), np.zeros((len(positions), outputs))
        flat = np.fromiter(chain.from_iterable(positions), dtype=np.int64, count=sum(sizes))
        sentence = np.repeat(np.arange(len(positions)), sizes)
        features, counts = np.unique(flat, return_counts=True)
        values = (1.0 + np.log(counts)) * self.idf[features]
        pooled = (values / np.linalg.norm(values)) @ self.weights[features]
        width = len(self.idf)
        pairs, counts = np.unique(sentence * width + flat, return_counts=True)
        rows, features = np.divmod(pairs, width)
        values = (1.0 + np.log(counts)) * self.idf[features]
        norms = np.sqrt(np.bincount(rows, values**2, minlength=len(positions)))
        values = values / norms[rows]
        each = np.stack(
            [
                np.bincount(rows, values * self.weights[features, o], minlength=len(positions))
                for o in range(outputs)
            ],
            axis=1,
        )
        return pooled, each

    def contributions(self, counts: Counter[str], output: int = 0) -> dict[str, float]:
        """How much each feature of one sentence pushed one output's log-odds."""
        grams = [gram for gram in counts if gram in self.index]
        if not grams:
            return {}
        positions = np.array([self.index[g] for g in grams])
        values = (1.0 + np.log([counts[g] for g in grams])) * self.idf[positions]
        values /= np.linalg.norm(values)
        return dict(zip(grams, values * self.weights[positions, output], strict=True))


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

    def probabilities(self, sentences: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """The probability of each output (risk, then each category) for the sentences' words pooled,
        and for each sentence on its own."""
        word_logits = self.words.logits([self.words.word_positions(s) for s in sentences])
        char_logits = self.chars.logits(
            [list(chain.from_iterable(map(self.chars.char_positions, s))) for s in sentences]
        )
        pooled = self.intercepts + word_logits[0] + char_logits[0]
        each = self.intercepts + word_logits[1] + char_logits[1]
        return 1.0 / (1.0 + np.exp(-pooled)), 1.0 / (1.0 + np.exp(-each))

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
