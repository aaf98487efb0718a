"""Measure the risk detector (model and shipped phrases): recall and precision overall and per category,
and how long detection takes.

Run: .venv/bin/python bench/risk_eval.py [--holdout FILE ...] [--skip-cv]

(a) training cross-validation: each training post scored by a model trained on the other folds,
    with the settings the shipped model uses. These posts trained the model: a best case.
(b) the old sets in tests/risk: the development set is part of the training posts (its figures are
    its out-of-fold ones, inside (a)); the held-out set was never used for training or tuning.
(c) any CSV given with --holdout (columns text, label, categories or category).
A post is a risk when the model's score reaches its threshold or a risk phrase matches.

Detection time, last: `detect` with the model and shipped phrases loaded, after one untimed pass (so
the per-word caches hold these posts' words, as in a server that has been running), for posts of
10,000 characters made by joining the old held-out posts, each from a different first post, and for
the held-out posts as they are. Wall-clock time, and in brackets the CPU time of this process,
which other work on a shared machine disturbs less; with the time this machine takes for a fixed
loop, to compare runs on different machines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from react_toolkit.risk.classifier import MODEL_FILE, Classifier  # noqa: E402
from react_toolkit.risk.detection import Phrase, detect  # noqa: E402
from react_toolkit.risk.models import RISK_CATEGORIES  # noqa: E402
from react_toolkit.risk.rules import module_shingles  # noqa: E402
from react_toolkit.risk.services import shipped_phrases  # noqa: E402
from react_toolkit.risk.training import (  # noqa: E402
    CORPUS_FILES,
    DEVELOPMENT_FILE,
    Post,
    featurise,
    out_of_fold,
    read_posts,
    training_posts,
)

HOLDOUT = ROOT / "tests" / "risk" / "holdout_posts.csv"
LONG_POST = 10_000
LONG_POSTS = 20
TIMING_RUNS = 5


def report(label: str, posts: Sequence[Post], flagged: Sequence[bool], found: Sequence[set[str]]) -> None:
    """Recall and precision of risk, then per category: risk recall, and whether the category was named."""
    truth = np.array([p.risk for p in posts])
    predicted = np.array(flagged)
    hits = int(np.sum(truth & predicted))
    print(f"{label}: {len(posts)} posts, {int(truth.sum())} risk")
    print(
        f"  risk       recall {hits / max(truth.sum(), 1):.3f}  precision {hits / max(predicted.sum(), 1):.3f}"
    )
    for category in RISK_CATEGORIES:
        about = [i for i, p in enumerate(posts) if category in p.categories | p.unknown]
        if not about:
            continue
        caught = sum(predicted[i] for i in about) / len(about)
        named = [i for i, f in enumerate(found) if category in f]
        labelled = [i for i in about if category in posts[i].categories]
        line = f"  {category:18s} posts {len(about):4d}  risk recall {caught:.3f}"
        if labelled:
            right = sum(category in found[i] for i in labelled)
            correct = sum(category in posts[i].categories for i in named)
            line += (
                f"  category recall {right / len(labelled):.3f}  precision {correct / max(len(named), 1):.3f}"
            )
        print(line)


def cross_validated(model: Classifier, phrases: list[Phrase]) -> None:
    posts = training_posts()
    features = featurise(posts, phrases)
    predicted = out_of_fold(features, posts, [model.about["C"]], range(len(model.labels)))[model.about["C"]]
    shingles = module_shingles()
    phrase_hit = [bool(detect(p.text, phrases, None, shingles).matches) for p in posts]
    by_model = predicted[:, 0] >= model.threshold
    thresholds = np.array([model.category_thresholds[c] for c in model.categories])

    def named(i: int) -> set[str]:
        if not by_model[i]:
            return set()
        above = {c for c, p, t in zip(model.categories, predicted[i, 1:], thresholds, strict=True) if p >= t}
        return above or {model.categories[int(np.argmax(predicted[i, 1:]))]}

    found = [named(i) for i in range(len(posts))]
    print(
        f"(a) training cross-validation ({len(posts)} posts, C={model.about['C']}, threshold {model.threshold:.3f})"
    )
    report("  model alone", posts, list(by_model), found)
    report("  model and phrases", posts, [m or p for m, p in zip(by_model, phrase_hit, strict=True)], found)
    corpus = {path.name for path in CORPUS_FILES}
    for label, source in (("training corpus", corpus), ("old development set", {DEVELOPMENT_FILE.name})):
        rows = [i for i, p in enumerate(posts) if p.source in source]
        report(
            f"  {label}, model and phrases",
            [posts[i] for i in rows],
            [bool(by_model[i] or phrase_hit[i]) for i in rows],
            [found[i] for i in rows],
        )


def measured(label: str, path: Path, model: Classifier | None, phrases: list[Phrase]) -> None:
    posts = read_posts(path)
    shingles = module_shingles()
    results = [detect(p.text, phrases, model, shingles) for p in posts]
    report(label, posts, [r.is_risk for r in results], [set(r.categories) for r in results])


def long_posts(texts: Sequence[str], count: int = LONG_POSTS) -> list[str]:
    """Posts of exactly LONG_POST characters: the texts joined in order, each post from a different first text."""
    made = []
    for first in range(count):
        chunk, i = "", first * len(texts) // count
        while len(chunk) < LONG_POST:
            chunk += texts[i % len(texts)] + " "
            i += 1
        made.append(chunk[:LONG_POST])
    return made


def timed(texts: Sequence[str], model: Classifier, phrases: list[Phrase]) -> tuple[list[float], list[float]]:
    """Milliseconds to detect risk in each text, TIMING_RUNS times over: wall clock and CPU time."""
    shingles = module_shingles()
    for text in texts:
        detect(text, phrases, model, shingles)
    wall, cpu = [], []
    for _ in range(TIMING_RUNS):
        for text in texts:
            started, cpu_started = time.perf_counter(), time.process_time()
            detect(text, phrases, model, shingles)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    return wall, cpu


def spread(wall: list[float], cpu: list[float]) -> str:
    def at(times: list[float], share: float) -> float:
        return sorted(times)[int(share * len(times))]

    return (
        f"median {statistics.median(wall):.1f} ms ({statistics.median(cpu):.1f}), "
        f"p95 {at(wall, 0.95):.1f} ms ({at(cpu, 0.95):.1f})"
    )


def timing(model: Classifier, phrases: list[Phrase]) -> None:
    posts = [post.text for post in read_posts(HOLDOUT)]
    long = long_posts(posts)
    lengths = sorted(map(len, posts))
    print("detection time (model and shipped phrases loaded; wall clock, CPU time in brackets)")
    print(
        f"  {LONG_POST:,}-character posts ({len(long)} of the held-out posts joined, {TIMING_RUNS} runs each): "
        + spread(*timed(long, model, phrases))
    )
    print(
        f"  held-out posts as they are ({len(posts)} posts of {lengths[0]}-{lengths[-1]} characters, "
        f"median {statistics.median(lengths):.0f}, {TIMING_RUNS} runs each): "
        + spread(*timed(posts, model, phrases))
    )
    started = time.perf_counter()
    sum(range(1_000_000))
    print(f"  this machine: sum(range(10**6)) takes {(time.perf_counter() - started) * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", action="append", default=[], type=Path, help="a labelled CSV to measure")
    parser.add_argument("--skip-cv", action="store_true", help="leave out (a), which retrains five times")
    args = parser.parse_args()
    phrases = shipped_phrases()
    model = Classifier.load(MODEL_FILE)
    if not args.skip_cv:
        cross_validated(model, phrases)
    print("(b) the old sets in tests/risk")
    measured(
        "  development set (trained on: see its out-of-fold figures in (a))", DEVELOPMENT_FILE, model, phrases
    )
    measured("  held-out set, model and phrases", HOLDOUT, model, phrases)
    measured("  held-out set, phrases alone", HOLDOUT, None, phrases)
    for path in args.holdout:
        print(f"(c) {path}")
        measured("  model and phrases", path, model, phrases)
        measured("  phrases alone", path, None, phrases)
    timing(model, phrases)
