"""The hazard log: DCB0129 shape, the matrix's own words, risks that agree with the matrix, and
every control tied to a test that exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety" / "hazard-log.yaml"
SUMMARY = ROOT / "docs" / "clinical-safety.md"

SEVERITIES = ("minor", "significant", "considerable", "major", "catastrophic")
LIKELIHOODS = ("very low", "low", "medium", "high", "very high")
# The DCB0129 example matrix: one row per likelihood, one column per severity, as above.
MATRIX = {
    "very high": (3, 4, 4, 5, 5),
    "high": (2, 3, 3, 4, 5),
    "medium": (2, 2, 3, 3, 4),
    "low": (1, 2, 2, 3, 4),
    "very low": (1, 1, 2, 2, 3),
}
ACCEPTABILITY = {
    1: "acceptable",
    2: "acceptable",
    3: "undesirable",
    4: "mandatory elimination",
    5: "unacceptable",
}
STATUSES = ("open", "transferred", "closed")
REQUIRED = (
    "id",
    "hazard",
    "cause",
    "effect",
    "harm",
    "existing_controls",
    "added_controls",
    "initial",
    "residual",
    "status",
    "owner",
)
OPTIONAL = ("transferred_to_deployer",)
TEST_ID = re.compile(r"^(tests/[\w/]+\.py)::(test_\w+)$")

# What the log must cover at least, each found by words in some hazard's description.
MUST_COVER = {
    "a crisis disclosed out of hours": r"crisis out of hours",
    "harmful peer advice in the forum": r"harmful advice.*forum",
    "a message seen by the wrong person": r"message.*seen by someone who should not",
    "outdated clinical content": r"clinical information that is out of date",
    "the service being down": r"cannot reach help.*service is down",
    "a supporter missing an urgent message": r"supporter misses an urgent message",
}


def load() -> list[dict]:
    return yaml.safe_load(LOG.read_text(encoding="utf-8"))["hazards"]


HAZARDS = load()


def risk_for(severity: str, likelihood: str) -> int:
    return MATRIX[likelihood][SEVERITIES.index(severity)]


def test_the_matrix_is_the_dcb0129_one():
    # Risk rises with severity and likelihood, and the corners are as the standard has them.
    for likelihood, row in MATRIX.items():
        assert list(row) == sorted(row), likelihood
    for column in range(5):
        values = [MATRIX[likelihood][column] for likelihood in LIKELIHOODS]
        assert values == sorted(values)
    assert risk_for("minor", "very low") == 1 and risk_for("catastrophic", "very high") == 5
    assert risk_for("catastrophic", "very low") == 3 and risk_for("minor", "very high") == 3


def test_ids_are_unique_and_in_order():
    ids = [hazard["id"] for hazard in HAZARDS]
    assert ids == [f"H{number}" for number in range(1, len(ids) + 1)]


@pytest.mark.parametrize("hazard", HAZARDS, ids=lambda hazard: hazard["id"])
def test_each_hazard_has_the_dcb0129_fields(hazard):
    assert set(REQUIRED) <= set(hazard), set(REQUIRED) - set(hazard)
    assert set(hazard) <= set(REQUIRED + OPTIONAL), set(hazard) - set(REQUIRED + OPTIONAL)
    for key in ("hazard", "effect", "harm", "owner"):
        assert isinstance(hazard[key], str) and hazard[key].strip(), key
    for key in ("cause", "existing_controls"):
        assert isinstance(hazard[key], list) and hazard[key], key
        assert all(isinstance(item, str) and item.strip() for item in hazard[key]), key
    assert hazard["status"] in STATUSES
    assert isinstance(hazard.get("transferred_to_deployer", []), list)


@pytest.mark.parametrize("hazard", HAZARDS, ids=lambda hazard: hazard["id"])
def test_risks_use_the_matrix_words_and_agree_with_it(hazard):
    for stage in ("initial", "residual"):
        assessment = hazard[stage]
        assert set(assessment) == {"severity", "likelihood", "risk", "acceptability"}, stage
        assert assessment["severity"] in SEVERITIES, (stage, assessment["severity"])
        assert assessment["likelihood"] in LIKELIHOODS, (stage, assessment["likelihood"])
        expected = risk_for(assessment["severity"], assessment["likelihood"])
        assert assessment["risk"] == expected, (stage, assessment, expected)
        assert assessment["acceptability"] == ACCEPTABILITY[expected], (stage, assessment)
    # Controls never make a hazard worse.
    assert hazard["residual"]["risk"] <= hazard["initial"]["risk"]
    assert SEVERITIES.index(hazard["residual"]["severity"]) <= SEVERITIES.index(hazard["initial"]["severity"])
    assert LIKELIHOODS.index(hazard["residual"]["likelihood"]) <= LIKELIHOODS.index(
        hazard["initial"]["likelihood"]
    )


@pytest.mark.parametrize("hazard", HAZARDS, ids=lambda hazard: hazard["id"])
def test_every_added_control_names_a_test_that_exists(hazard):
    assert hazard["added_controls"], "a hazard with no added control is not managed by the software"
    for entry in hazard["added_controls"]:
        assert set(entry) == {"control", "test"}, entry
        assert isinstance(entry["control"], str) and entry["control"].strip()
        match = TEST_ID.match(entry["test"])
        assert match, f"{entry['test']} is not a pytest node id like tests/x/test_y.py::test_z"
        path, function = match.groups()
        source = ROOT / path
        assert source.is_file(), f"{hazard['id']}: {path} does not exist"
        pattern = rf"^def {function}\("
        assert re.search(pattern, source.read_text(encoding="utf-8"), re.M), (
            f"{hazard['id']}: {path} has no test {function}"
        )


def test_an_unacceptable_residual_risk_is_never_closed():
    for hazard in HAZARDS:
        if hazard["residual"]["risk"] >= 3:
            assert hazard["status"] != "closed", hazard["id"]


@pytest.mark.parametrize("subject", MUST_COVER)
def test_the_log_covers(subject):
    pattern = re.compile(MUST_COVER[subject], re.I)
    assert any(pattern.search(hazard["hazard"]) for hazard in HAZARDS), subject


def test_the_summary_links_the_log_and_lists_every_hazard():
    summary = SUMMARY.read_text(encoding="utf-8")
    assert "clinical-safety/hazard-log.yaml" in summary
    for hazard in HAZARDS:
        assert re.search(rf"^\| {hazard['id']} \|", summary, re.M), f"{hazard['id']} missing from the summary"
