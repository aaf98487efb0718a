"""Use cases for the risk lexicon: checking text, seeding the starting phrases, moderators' changes."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml
from flask_babel import gettext as _
from sqlalchemy import select

from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.risk.detection import Phrase, RiskResult, detect, tokenise
from react_toolkit.risk.models import ACTIONS, CATEGORIES, RiskPhrase
from react_toolkit.timeutil import now

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.yaml"
log = logging.getLogger(__name__)


class LexiconError(Refusal):
    """Refused by this feature's rules."""


def shipped_phrases(path: Path = LEXICON_FILE) -> list[Phrase]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        Phrase.build(None, " ".join(tokenise(str(text), keep_stars=True)), category, action)
        for category, by_action in data.items()
        for action, phrases in by_action.items()
        for text in phrases
    ]


def active_phrases() -> list[Phrase]:
    """The lexicon in the database; the shipped list if the database has none, so detection never goes quiet."""
    rows = db.session.scalars(select(RiskPhrase).where(RiskPhrase.active)).all()
    if not rows:
        log.error("the risk lexicon table is empty; using the shipped list (run flask react sync-content)")
        return shipped_phrases()
    return [Phrase.build(row.id, row.phrase, row.category, row.action, row.message) for row in rows]


def check_text(*texts: str) -> RiskResult:
    """Look for risk language in one or more pieces of text (a title and a body, say)."""
    return detect("\n".join(t for t in texts if t), active_phrases())


def seed_lexicon(path: Path = LEXICON_FILE) -> int:
    """Add the shipped phrases the database does not have yet; returns how many were added."""
    known = set(db.session.scalars(select(RiskPhrase.phrase)))
    added = 0
    for phrase in shipped_phrases(path):
        if phrase.text not in known:
            db.session.add(RiskPhrase(phrase=phrase.text, category=phrase.category, action=phrase.action))
            known.add(phrase.text)
            added += 1
    return added


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
