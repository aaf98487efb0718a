"""Measure the shipped risk lexicon on the labelled posts in tests/risk/labelled_posts.csv.

Run: .venv/bin/python bench/lexicon_eval.py [--show-misses]
Prints recall and precision overall and per category. Recall on risk posts matters most.
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from react_toolkit.risk.detection import Phrase, detect  # noqa: E402
from react_toolkit.risk.services import shipped_phrases  # noqa: E402

DEVELOPMENT = ROOT / "tests" / "risk" / "labelled_posts.csv"
HOLDOUT = ROOT / "tests" / "risk" / "holdout_posts.csv"


def evaluate(phrases: list[Phrase], data: Path = DEVELOPMENT) -> dict:
    rows = list(csv.DictReader(data.open(encoding="utf-8")))
    counts = Counter()
    per_category = Counter()
    misses, false_hits = [], []
    for row in rows:
        found = detect(row["text"], phrases).is_risk
        risk = row["label"] == "risk"
        counts[(risk, found)] += 1
        if risk:
            per_category[(row["category"], found)] += 1
            if not found:
                misses.append(row["text"])
        elif found:
            false_hits.append(row["text"])
    tp, fn, fp = counts[(True, True)], counts[(True, False)], counts[(False, True)]
    return {
        "posts": len(rows),
        "risk_posts": tp + fn,
        "recall": tp / (tp + fn),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "per_category": {
            category: per_category[(category, True)]
            / (per_category[(category, True)] + per_category[(category, False)])
            for category in sorted({c for c, _ in per_category})
        },
        "misses": misses,
        "false_hits": false_hits,
    }


if __name__ == "__main__":
    phrases = shipped_phrases()
    for label, data in (
        ("development set (the lexicon was tuned on it)", DEVELOPMENT),
        ("held-out set (never used for tuning)", HOLDOUT),
    ):
        result = evaluate(phrases, data)
        print(f"{label}: {result['posts']} posts, {result['risk_posts']} risk")
        print(f"  recall {result['recall']:.3f}  precision {result['precision']:.3f}")
        for category, recall in result["per_category"].items():
            print(f"    recall {category}: {recall:.3f}")
        if "--show-misses" in sys.argv:
            print("  missed risk posts:")
            for text in result["misses"]:
                print("    -", text)
            print("  ordinary posts flagged:")
            for text in result["false_hits"]:
                print("    -", text)
