"""The risk model: it loads and scores, explains itself by sentence, discounts denials, past events,
films and quotes of the modules, leaves the phrases in charge of actions, scores CSV files, and
falls back to the phrases when its file is missing."""

from __future__ import annotations

import csv
import logging

import pytest

from react_toolkit.extensions import db
from react_toolkit.risk import rules, services
from react_toolkit.risk.classifier import MODEL_FILE, Classifier
from react_toolkit.risk.detection import Phrase, analyse, detect
from react_toolkit.risk.models import RISK_CATEGORIES, RiskPhrase
from react_toolkit.risk.services import check_text, seed_lexicon, shipped_phrases
from react_toolkit.risk.training import corpus_digest

PHRASES = shipped_phrases()
VOICES = "She says the voices told her to walk out into the traffic so the pain stops."
SHINGLES = rules.module_shingles()


@pytest.fixture(scope="module")
def model() -> Classifier:
    return Classifier.load(MODEL_FILE)


def test_the_model_file_was_built_from_the_training_posts_as_they_are(model):
    assert model.about["corpus_sha256"] == corpus_digest(), "retrain: flask react train-risk"
    assert model.labels == ("risk", *RISK_CATEGORIES)
    assert set(model.category_thresholds) == set(RISK_CATEGORIES)
    assert model.about["cv_recall"] >= 0.90 and model.about["cv_precision"] >= 0.50


def test_the_model_scores_risk_high_and_everyday_posts_low(model):
    risky = detect("I am going to end my life tonight.", [], model, SHINGLES)
    ordinary = detect("Wish me luck, carers assessment tomorrow.", [], model, SHINGLES)
    assert 0 <= ordinary.score < model.threshold <= risky.score <= 1
    assert risky.is_risk and risky.action == "flag" and "suicide_writer" in risky.categories
    assert not ordinary.is_risk and ordinary.action is None and ordinary.categories == []


def test_reasons_point_to_the_risky_sentence_and_its_words(model):
    middle = "She has stopped eating and says the voices told her to walk into the sea tonight."
    text = f"Lovely walk with the dog this morning. {middle} Anyway the garden looks nice."
    result = detect(text, [], model, SHINGLES)
    assert result.is_risk
    [reason] = result.reasons
    assert text[reason.start : reason.end] == middle == reason.sentence
    assert reason.terms and all(term.split()[0] in middle.lower() for term in reason.terms)
    assert "psychosis_danger" in reason.categories


def test_a_phrase_is_a_reason_in_its_own_sentence(model):
    text = "We had a quiet day. Then he said he wants to kill himself."
    result = detect(text, PHRASES, model, SHINGLES)
    phrased = [r for r in result.reasons if r.phrases]
    assert [text[r.start : r.end] for r in phrased] == ["Then he said he wants to kill himself."]
    assert result.matches[0].begin == text.index("kill")


@pytest.mark.parametrize(
    ("denied", "meant"),
    [
        ("I'm not going to hurt myself tonight.", "I'm going to hurt myself tonight."),
        ("I don't want to end my life.", "I want to end my life."),
        ("I am not going to end my life tonight.", "I am going to end my life tonight."),
    ],
)
def test_a_denial_is_not_the_writers_risk(model, denied, meant):
    result = detect(denied, [], model, SHINGLES)
    assert not result.is_risk and "denial" in result.discounted
    assert detect(meant, [], model, SHINGLES).is_risk


def test_a_denial_that_is_hedged_still_counts():
    assert rules.denial(["i'm", "not", "going", "to", "hurt", "myself"], [])
    assert not rules.denial(["i'm", "not", "going", "to", "hurt", "myself"], ["probably"])
    assert not rules.denial("i'm not suicidal but i can't see a way out".split(), [])


def test_a_past_event_counts_only_while_nothing_says_it_is_back(model):
    resolved = "Two years ago my son tried to end his life. Today he started college and is doing well."
    back = "Two years ago my son tried to end his life. Now he has been saying goodbye to everyone again."
    result = detect(resolved, [], model, SHINGLES)
    assert not result.is_risk and result.discounted["past"] == [(0, resolved.index(".") + 1)]
    assert detect("My son tried to end his life.", [], model, SHINGLES).is_risk
    returned = detect(back, [], model, SHINGLES)
    assert returned.is_risk and "past" not in returned.discounted


def test_films_and_books_the_writer_took_in_are_not_their_risk(model):
    result = detect("I read a novel where the sister takes an overdose.", [], model, SHINGLES)
    assert not result.is_risk and "media" in result.discounted
    delusion = (
        "He thinks the people in the documentary are talking to him and he wants to stop them for good."
    )
    assert "media" not in detect(delusion, [], model, SHINGLES).discounted


def test_words_quoted_from_the_modules_are_not_evidence(model):
    quote = (
        'The module says: ask directly, "Are you thinking about killing yourself?" '
        "Asking does not put the idea into someone's head."
    )
    quoted = analyse(quote, [], SHINGLES).evidence
    assert "killing" not in quoted[0] and "idea" not in quoted[1]
    assert "killing" in analyse(quote, []).evidence[0]
    assert detect(quote, [], model, SHINGLES).score < detect(quote, [], model).score
    assert rules.quoted_from_modules("i am thinking about killing myself".split(), SHINGLES) == set()


def test_phrases_force_their_action_whatever_the_model_says(model):
    block = Phrase.build(1, "purple elephant", "safeguarding", "block", "Not here.")
    result = detect("The purple elephant is coming.", [block], model, SHINGLES)
    assert result.score < model.threshold
    assert result.is_risk and result.action == "block" and result.block_message == "Not here."
    assert result.categories == ["safeguarding"]


def test_an_everyday_phrase_hides_its_words_from_the_model(model):
    allow = Phrase.build(2, "end it all", "allow", "allow")
    text = "I want to end it all."
    assert detect(text, [], model, SHINGLES).is_risk
    assert analyse(text, [allow]).evidence == [["i", "want", "to"]]
    assert not detect(text, [allow], model, SHINGLES).is_risk


def test_old_category_names_map_to_the_new_ones(model, app):
    text = "My brother keeps talking about the purple elephant and giving his things away."
    result = detect(text, [Phrase.build(1, "purple elephant", "suicide", "flag")], model, SHINGLES)
    assert set(result.phrase_categories) <= {"suicide_writer", "suicide_cared_for"}
    assert detect("the bluebird", [Phrase.build(2, "bluebird", "made-up", "flag")]).categories == [
        "safeguarding"
    ]
    db.session.add(RiskPhrase(phrase="kill* myself", category="suicide", action="hold"))
    db.session.add(RiskPhrase(phrase="a purple elephant", category="self-harm", action="flag"))
    db.session.commit()
    seed_lexicon()
    db.session.commit()
    categories = dict(db.session.execute(db.select(RiskPhrase.phrase, RiskPhrase.category)).all())
    assert categories["kill* myself"] == "suicide_writer" and categories["a purple elephant"] == "self_harm"


def test_risk_score_writes_each_row_with_its_score(app, tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    rows = [
        {"id": "1", "text": "I am going to end my life tonight.", "label": "risk"},
        {"id": "2", "text": "Wish me luck, carers assessment tomorrow.", "label": "ordinary"},
        {"id": "3", "text": "Killing time before the appointment", "label": "ordinary"},
    ]
    with source.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["id", "text", "label"])
        writer.writeheader()
        writer.writerows(rows)
    result = app.test_cli_runner().invoke(args=["react", "risk-score", str(source), str(target)])
    assert result.exit_code == 0, result.output
    assert "3 rows: 1 risk" in result.output
    written = list(csv.DictReader(target.open(newline="")))
    assert [(r["id"], r["text"], r["label"]) for r in written] == [
        (r["id"], r["text"], r["label"]) for r in rows
    ]
    assert [r["is_risk"] for r in written] == ["true", "false", "false"]
    assert float(written[0]["score"]) > float(written[1]["score"])
    assert "suicide_writer" in written[0]["categories"].split(";") and written[1]["categories"] == ""


def test_risk_score_needs_a_text_column(app, tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("body\nhello\n")
    result = app.test_cli_runner().invoke(
        args=["react", "risk-score", str(source), str(tmp_path / "out.csv")]
    )
    assert result.exit_code != 0 and "column called text" in result.output


@pytest.fixture
def risk_log(monkeypatch):
    """The services logger, switched back on: building the schema with Alembic's fileConfig turns it off."""
    monkeypatch.setattr(services.log, "disabled", False)


def test_without_a_model_file_the_phrases_still_work_and_a_warning_is_logged(app, tmp_path, caplog, risk_log):
    app.config["RISK_MODEL_FILE"] = str(tmp_path / "missing.npz")
    with caplog.at_level(logging.WARNING, logger="react_toolkit.risk.services"):
        phrased = check_text("I want to end it all")
        unphrased = check_text(VOICES)
    assert "no risk model" in caplog.text
    assert phrased.is_risk and phrased.score == 1.0 and phrased.reasons[0].phrases
    assert not unphrased.is_risk and unphrased.score == 0.0


def test_an_unreadable_model_file_is_logged_and_the_phrases_still_work(app, tmp_path, caplog, risk_log):
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    app.config["RISK_MODEL_FILE"] = str(broken)
    with caplog.at_level(logging.ERROR, logger="react_toolkit.risk.services"):
        assert check_text("I want to end it all").is_risk
    assert "cannot be read" in caplog.text


def test_check_text_uses_the_model(app):
    result = check_text(VOICES)
    assert result.is_risk and result.score > 0.5 and result.reasons
