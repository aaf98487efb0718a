"""The instrument files: PHQ-9 and GAD-7 exactly as published, scoring at every band boundary, and checking files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from react_toolkit import create_app
from react_toolkit.config import BASE_DIR
from react_toolkit.outcomes import instruments
from react_toolkit.outcomes.instruments import InstrumentError, load, parse

FOLDER = BASE_DIR / "content" / "instruments"
SHIPPED = load(FOLDER)
PHQ9, GAD7, WELLBEING = SHIPPED["phq9"], SHIPPED["gad7"], SHIPPED["wellbeing"]
FREQUENCY = ["Not at all", "Several days", "More than half the days", "Nearly every day"]


def answers_adding_to(instrument, total: int) -> dict[str, int]:
    """Answers whose scored items add up to `total`, filling items in order, the safety item last."""
    answers, left = {}, total
    scored = sorted(instrument.scored_items, key=lambda item: item.safety)
    for item in scored:
        value = min(left, max(item.values))
        answers[item.key] = value
        left -= value
    assert left == 0, "the total is out of reach"
    return answers


def test_phq9_is_the_published_questionnaire():
    assert (
        PHQ9.stem
        == "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
    )
    assert [item.text for item in PHQ9.scored_items] == [
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ]
    for item in PHQ9.scored_items:
        assert [(o.label, o.score) for o in item.options] == list(zip(FREQUENCY, range(4), strict=True))
    assert [item.key for item in PHQ9.safety_items] == ["better_off_dead"]
    assert PHQ9.items[-1].scored is False and PHQ9.items[-1].required is False
    assert (PHQ9.lowest, PHQ9.highest, PHQ9.high_from) == (0, 27, 20)
    assert [(b.low, b.high, b.label) for b in PHQ9.bands] == [
        (0, 4, "Minimal"),
        (5, 9, "Mild"),
        (10, 14, "Moderate"),
        (15, 19, "Moderately severe"),
        (20, 27, "Severe"),
    ]
    assert "Spitzer" in PHQ9.copyright and "Pfizer" in PHQ9.copyright
    assert "No permission required to reproduce, translate, display or distribute" in PHQ9.copyright


def test_gad7_is_the_published_questionnaire():
    assert [item.text for item in GAD7.scored_items] == [
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ]
    for item in GAD7.scored_items:
        assert [(o.label, o.score) for o in item.options] == list(zip(FREQUENCY, range(4), strict=True))
    assert GAD7.safety_items == ()
    assert (GAD7.lowest, GAD7.highest, GAD7.high_from) == (0, 21, 15)
    assert [(b.low, b.high, b.label) for b in GAD7.bands] == [
        (0, 4, "Minimal"),
        (5, 9, "Mild"),
        (10, 14, "Moderate"),
        (15, 21, "Severe"),
    ]
    assert "Pfizer" in GAD7.copyright


PHQ9_BOUNDARIES = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"), (27, "severe"),
]  # fmt: skip
GAD7_BOUNDARIES = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
    (15, "severe"), (21, "severe"),
]  # fmt: skip


@pytest.mark.parametrize(("total", "band"), PHQ9_BOUNDARIES)
def test_phq9_scores_and_bands_at_every_boundary(total, band):
    answers = answers_adding_to(PHQ9, total)
    assert PHQ9.total(answers) == total
    assert PHQ9.band(total).key == band
    assert PHQ9.is_high(total) is (total >= 20)


@pytest.mark.parametrize(("total", "band"), GAD7_BOUNDARIES)
def test_gad7_scores_and_bands_at_every_boundary(total, band):
    answers = answers_adding_to(GAD7, total)
    assert GAD7.total(answers) == total
    assert GAD7.band(total).key == band
    assert GAD7.is_high(total) is (total >= 15)


def test_a_worked_phq9_example_counts_each_answer_and_leaves_out_the_difficulty_question():
    # Several days (1) x3, more than half the days (2) x2, nearly every day (3) x1, not at all x3;
    # "Very difficult" on the last question does not count: 3 + 4 + 3 = 10, moderate.
    answers = dict(zip([i.key for i in PHQ9.items], [1, 1, 1, 2, 2, 3, 0, 0, 0, 2], strict=True))
    assert PHQ9.total(answers) == 10
    assert PHQ9.band(10).label == "Moderate"
    assert not PHQ9.safety_answered(answers)
    assert PHQ9.safety_answered({**answers, "better_off_dead": 1})


def test_the_check_in_is_an_optional_instrument_in_our_own_words_scoring_hard_things_in_reverse():
    assert WELLBEING.schedule == "optional" and WELLBEING.wording == "own"
    sleep = next(item for item in WELLBEING.items if item.key == "sleep")
    assert [o.score for o in sleep.options] == [4, 3, 2, 1, 0]
    assert {item.key for item in WELLBEING.items if item.reverse} == {"sleep", "worry"}
    assert (WELLBEING.lowest, WELLBEING.highest) == (0, 24)


def test_instruments_are_ordered_and_only_the_published_two_are_routine(app):
    with app.app_context():
        assert [i.key for i in instruments.routine()] == ["phq9", "gad7"]


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load((FOLDER / "phq9.yaml").read_text(encoding="utf-8"))
    change(data)
    folder = tmp_path / "instruments"
    folder.mkdir()
    (folder / "broken.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def _set(path: list, value):
    def change(data):
        target = data
        for part in path[:-1]:
            target = target[part]
        if value is KeyError:
            del target[path[-1]]
        else:
            target[path[-1]] = value

    return change


BROKEN = [
    (_set(["stem"], KeyError), "stem: is missing"),
    (_set(["copyright"], ""), "copyright: must not be empty"),
    (_set(["wording"], "ours"), "wording: must be published or own"),
    (_set(["schedule"], "weekly"), "schedule: must be routine or optional"),
    (_set(["languages"], ["cy"]), "languages: must include en"),
    (_set(["order"], "first"), "order: must be a whole number"),
    (_set(["colour"], "blue"), "colour: is not a field an instrument file may have"),
    (_set(["options", 1, "value"], 0), "options: has two answers with the same value"),
    (_set(["options", 2, "label"], KeyError), "options[2].label: is missing"),
    (_set(["items", 3, "key"], "sleep"), "items[3].key: sleep is used by two items"),
    (_set(["items", 4, "text"], 5), "items[4].text: must be text"),
    (_set(["items", 8, "safety"], "yes"), "items[8].safety: must be true or false"),
    (_set(["items", 8, "required"], False), "items[8].required: a safety item must be answered"),
    (_set(["total", "max"], 30), "total.max: must be 27"),
    (_set(["bands", 2, "min"], 11), "bands[2].min: must be 10"),
    (_set(["bands", 4, "max"], 26), "bands[4].max: must be 27"),
    (_set(["bands", 1, "max"], 3), "bands[1].max: must not be below min"),
    (_set(["bands"], KeyError), "bands: is missing"),
    (_set(["high_from"], 40), "high_from: must be a total from 1 to 27"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN, ids=[message for _c, message in BROKEN])
def test_a_broken_file_is_refused_naming_the_file_and_the_field(tmp_path, change, message):
    folder = _broken(tmp_path, change)
    with pytest.raises(InstrumentError) as caught:
        load(folder)
    assert str(caught.value).startswith("broken.yaml: ")
    assert message in str(caught.value)


def test_a_broken_file_stops_the_app_starting(tmp_path, app):
    folder = _broken(tmp_path, _set(["bands", 2, "min"], 11))
    with pytest.raises(InstrumentError, match=r"broken\.yaml: bands\[2\]\.min"):
        create_app({**app.config, "INSTRUMENTS_DIR": str(folder)})


def test_two_files_with_one_key_are_refused(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    text = (FOLDER / "gad7.yaml").read_text(encoding="utf-8")
    (folder / "a.yaml").write_text(text, encoding="utf-8")
    (folder / "b.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InstrumentError, match=r"b\.yaml: key: gad7 is also the key of a\.yaml"):
        load(folder)


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    with pytest.raises(InstrumentError, match=r"x\.yaml: \(file\): is not valid YAML"):
        parse(tmp_path / "x.yaml", "key: [unclosed")


def test_a_trust_can_add_a_measure_without_code(tmp_path, app):
    folder = tmp_path / "more"
    folder.mkdir()
    for name in ("phq9.yaml", "gad7.yaml"):
        (folder / name).write_text((FOLDER / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "short.yaml").write_text(
        yaml.safe_dump(
            {
                "key": "short",
                "name": "A short licensed measure",
                "short_name": "SLM",
                "about": "worry",
                "wording": "published",
                "languages": ["en"],
                "schedule": "routine",
                "order": 5,
                "stem": "In the last week:",
                "copyright": "Used under licence.",
                "source": "A paper.",
                "licence": "Licensed to the trust.",
                "options": [{"value": 0, "label": "No"}, {"value": 1, "label": "Yes"}],
                "items": [{"key": "one", "text": "First"}, {"key": "two", "text": "Second"}],
                "total": {"min": 0, "max": 2},
                "bands": [
                    {"min": 0, "max": 1, "key": "low", "label": "Low"},
                    {"min": 2, "max": 2, "key": "high", "label": "High"},
                ],
            }
        ),
        encoding="utf-8",
    )
    other = create_app({**app.config, "INSTRUMENTS_DIR": str(folder)})
    with other.app_context():
        assert [i.key for i in instruments.routine()] == ["phq9", "gad7", "short"]
