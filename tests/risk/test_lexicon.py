"""The risk lexicon: normalising text, variants, everyday exceptions, and its measured recall and precision."""

import pytest

from bench.lexicon_eval import DEVELOPMENT, HOLDOUT, evaluate
from react_toolkit.extensions import db
from react_toolkit.risk.detection import Phrase, detect, tokenise
from react_toolkit.risk.models import RiskPhrase
from react_toolkit.risk.services import check_text, save_phrase, seed_lexicon, set_active, shipped_phrases

PHRASES = shipped_phrases()


@pytest.mark.parametrize(
    "text",
    [
        "I want to KILL MYSELF",
        "i want to kill.myself",
        "thinking about killing myself tonight",
        "k i l l myself",
        "k1ll myself",
        "I just want to end it all",
        "I want to just end it all",
        "she's been cutting her arms again",
        "He threatened to kill his dad",
        "Ready to kms",
        "I've been saving up my pills",
    ],
)
def test_risk_language_is_found_whatever_the_spelling(text):
    assert detect(text, PHRASES).is_risk, text


@pytest.mark.parametrize(
    "text",
    [
        "Killing time before the appointment",
        "This traffic is killing me",
        "I could murder a cup of tea",
        "My back is killing me today",
        "He has never self harmed",
        "Dying to hear how the review went",
        "I cut the grass at last",
    ],
)
def test_everyday_phrases_are_not_flagged(text):
    assert not detect(text, PHRASES).is_risk, text


def test_strongest_action_wins_and_categories_are_listed():
    phrases = [
        Phrase.build(1, "end it all", "suicide", "hold"),
        Phrase.build(2, "kill him", "harm-to-others", "flag"),
        Phrase.build(3, "how to kill yourself", "suicide", "block", "We cannot post this."),
    ]
    result = detect("I could kill him and then end it all", phrases)
    assert result.action == "hold"
    assert result.categories == ["harm_to_others", "suicide_writer"]
    blocked = detect("how to kill yourself", phrases)
    assert blocked.action == "block" and blocked.block_message == "We cannot post this."
    assert detect("a lovely day", phrases).action is None


def test_tokenise_folds_accents_case_and_swaps():
    assert tokenise("Sùïcìdé!!") == ["suicide"]
    assert tokenise("S U I C I D E") == ["suicide"]
    assert tokenise("k1ll m3") == ["kill", "me"]


def test_lexicon_on_the_development_set():
    """The lexicon was tuned on this set, so these figures are the best case."""
    result = evaluate(PHRASES, DEVELOPMENT)
    assert result["posts"] >= 200
    assert result["recall"] >= 0.9
    assert result["precision"] >= 0.85


def test_lexicon_on_the_held_out_set():
    """Never used for tuning: a fair estimate, and a guard against getting worse."""
    result = evaluate(PHRASES, HOLDOUT)
    assert result["posts"] >= 100
    assert result["recall"] >= 0.45
    assert result["precision"] >= 0.65


def test_seeding_is_idempotent_and_keeps_switched_off_phrases(app, create_user):
    added = seed_lexicon()
    db.session.commit()
    assert added == len({p.text for p in PHRASES})
    assert seed_lexicon() == 0
    moderator = create_user("moderator")
    row = db.session.scalar(db.select(RiskPhrase).where(RiskPhrase.phrase == "kill* myself"))
    set_active(moderator, row, False)
    assert seed_lexicon() == 0
    assert db.session.get(RiskPhrase, row.id).active is False
    assert all(match.phrase.text != "kill* myself" for match in check_text("I will kill myself").matches)


def test_moderator_changes_apply_at_once(app, create_user):
    seed_lexicon()
    db.session.commit()
    moderator = create_user("moderator")
    assert not check_text("the purple elephant is coming").is_risk
    save_phrase(moderator, None, phrase="Purple Elephant", category="safeguarding", action="flag", message="")
    assert check_text("the purple elephant is coming").categories == ["safeguarding"]


def test_empty_table_falls_back_to_the_shipped_list(app):
    assert db.session.scalar(db.select(db.func.count(RiskPhrase.id))) == 0
    assert check_text("I want to end it all").is_risk
