"""Use cases for risk detection: checking text, scoring a file of posts, seeding the starting phrases,
moderators' changes."""

from __future__ import annotations

import csv
import logging
from functools import lru_cache
from pathlib import Path
from typing import TextIO

from flask import current_app, g, has_app_context, has_request_context
from flask_babel import gettext as _
from sqlalchemy import func, select

from react_toolkit.core.content import load_yaml
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.risk.classifier import MODEL_FILE, Classifier
from react_toolkit.risk.detection import Phrase, RiskResult, detect, tokenise
from react_toolkit.risk.models import ACTIONS, CATEGORIES, LEGACY_CATEGORIES, RiskPhrase, candidate_categories
from react_toolkit.risk.rules import module_shingles
from react_toolkit.timeutil import now

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.yaml"
log = logging.getLogger(__name__)


class LexiconError(Refusal):
    """Refused by this feature's rules."""


def shipped_phrases(path: Path = LEXICON_FILE) -> list[Phrase]:
    """The phrases in the shipped lexicon file, read again only when the file changes."""
    return list(_read_phrases(path, path.stat().st_mtime_ns))


@lru_cache(maxsize=4)
def _read_phrases(path: Path, _changed: int) -> tuple[Phrase, ...]:
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    return tuple(
        Phrase.build(None, " ".join(tokenise(str(text), keep_stars=True)), category, action)
        for category, by_action in data.items()
        for action, phrases in by_action.items()
        for text in phrases
    )


def active_phrases() -> list[Phrase]:
    """The lexicon in the database; the shipped list if the database has none, so detection never goes quiet."""
    rows = db.session.scalars(select(RiskPhrase).where(RiskPhrase.active)).all()
    if not rows:
        log.error("the risk lexicon table is empty; using the shipped list (run flask react sync-content)")
        return shipped_phrases()
    return [Phrase.build(row.id, row.phrase, row.category, row.action, row.message) for row in rows]


@lru_cache(maxsize=4)
def _load_model(path: Path) -> Classifier | None:
    try:
        return Classifier.load(path)
    except FileNotFoundError:
        log.warning(
            "no risk model at %s; detecting with the phrases alone (run flask react train-risk)", path
        )
    except (OSError, ValueError, KeyError) as error:
        log.error("the risk model at %s cannot be read (%s); detecting with the phrases alone", path, error)
    return None


def risk_model() -> Classifier | None:
    """The trained model (the RISK_MODEL_FILE setting, or the shipped file); None when it cannot be read."""
    configured = current_app.config.get("RISK_MODEL_FILE") if has_app_context() else None
    return _load_model(Path(configured) if configured else MODEL_FILE)


def check_text(*texts: str) -> RiskResult:
    """Look for risk in one or more pieces of text (a title and a body, say): phrases and the model.

    Within one request the same words are read once: the crisis-first guard reads what a relative
    sent before the view does, and the service that keeps it asks again.
    """
    text = "\n".join(t.strip() for t in texts if t and t.strip())
    memo = g.setdefault("risk_checked", {}) if has_request_context() else None
    if memo is not None and text in memo:
        return memo[text]
    found = detect(text, active_phrases(), risk_model(), module_shingles())
    if memo is not None:
        memo[text] = found
    return found


def score_file(source: TextIO, target: TextIO) -> tuple[int, int]:
    """Copy a CSV with a text column, adding each row's score, is_risk, categories and action.

    Returns how many rows were read and how many are risk."""
    reader = csv.DictReader(source)
    if "text" not in (reader.fieldnames or []):
        raise LexiconError("The file needs a column called text", "text")
    added = ["score", "is_risk", "categories", "action"]
    writer = csv.DictWriter(target, [*(f for f in reader.fieldnames if f not in added), *added])
    writer.writeheader()
    phrases, model, shingles = active_phrases(), risk_model(), module_shingles()
    rows = risky = 0
    for row in reader:
        result = detect(row["text"] or "", phrases, model, shingles)
        row.update(
            score=f"{result.score:.4f}",
            is_risk=str(result.is_risk).lower(),
            categories=";".join(result.categories),
            action=result.action or "",
        )
        writer.writerow(row)
        rows += 1
        risky += result.is_risk
    return rows, risky


def seed_lexicon(path: Path = LEXICON_FILE) -> int:
    """Add the shipped phrases the database does not have yet, and move phrases saved under the old
    category names to the new ones; returns how many were added."""
    shipped = {phrase.text: phrase.category for phrase in shipped_phrases(path)}
    for row in db.session.scalars(select(RiskPhrase).where(RiskPhrase.category.in_(LEGACY_CATEGORIES))):
        row.category = shipped.get(row.phrase) or candidate_categories(row.category)[0]
    known = set(db.session.scalars(select(RiskPhrase.phrase)))
    added = 0
    for phrase in shipped_phrases(path):
        if phrase.text not in known:
            db.session.add(RiskPhrase(phrase=phrase.text, category=phrase.category, action=phrase.action))
            known.add(phrase.text)
            added += 1
    return added


def phrases_page(page: int, size: int) -> tuple[list[RiskPhrase], int]:
    """One page of the lexicon, on and off, by category then phrase, and how many phrases it holds."""
    total = db.session.scalar(select(func.count()).select_from(RiskPhrase)) or 0
    rows = db.session.scalars(
        select(RiskPhrase)
        .order_by(RiskPhrase.category, RiskPhrase.phrase, RiskPhrase.id)
        .limit(size)
        .offset((page - 1) * size)
    )
    return list(rows), total


def get_phrase(phrase_id: int) -> RiskPhrase | None:
    """One phrase of the lexicon, or None."""
    return db.session.get(RiskPhrase, phrase_id)


def save_phrase(
    actor, row: RiskPhrase | None, *, phrase: str, category: str, action: str, message: str
) -> RiskPhrase:
    """Add or change a phrase; the change takes effect for the next thing anyone writes."""
    text = " ".join(tokenise(phrase, keep_stars=True))
    if not text:
        raise LexiconError(_("Enter a word or phrase"), "phrase")
    if category not in CATEGORIES:
        raise LexiconError(_("Choose a category"), "category")
    if action not in ACTIONS:
        raise LexiconError(_("Choose what should happen"), "action")
    if action == "block" and not message.strip():
        raise LexiconError(_("Write the message the writer will see when their words are refused"), "message")
    clash = db.session.scalar(select(RiskPhrase.id).where(RiskPhrase.phrase == text))
    if clash and (row is None or clash != row.id):
        raise LexiconError(_("This phrase is already in the list"), "phrase")
    row = row or RiskPhrase()
    row.phrase, row.category, row.action, row.message = text, category, action, message.strip()
    row.active = True
    row.updated_by_id = actor.id
    row.updated_at = now()
    db.session.add(row)
    db.session.commit()
    return row


def set_active(actor, row: RiskPhrase, active: bool) -> None:
    row.active = active
    row.updated_by_id = actor.id
    row.updated_at = now()
    db.session.commit()
