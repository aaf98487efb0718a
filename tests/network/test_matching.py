"""Ranking matched help on a hand-made directory, whose right order is worked out below by hand."""

from __future__ import annotations

from react_toolkit.network.matching import Candidate, Person, gaps, rank, score
from react_toolkit.resources.areas import parse_areas, reach

# The relative's map gives them someone to talk to, practical help and information; nobody gives a
# break or company. They said company and information would help most, like the phone, are free at
# weekends, can make a short trip, like walking, and live in NG7.
PERSON = Person(
    gaps=gaps([["talk"], ["practical", "information"]]),
    wants=frozenset({"company", "information"}),
    ways=frozenset({"phone"}),
    times=frozenset({"weekend"}),
    travel="nearby",
    interests=frozenset({"outdoors"}),
    place="NG7",
)

DIRECTORY = [
    # company: wants 3 + gap 2; "walk": outdoors 1; serves NG7: 3; phone 1; "Saturdays": weekend 1 = 11
    Candidate(
        1,
        "Walking group",
        local=True,
        areas=("NG7",),
        support=("company",),
        phone=True,
        text="Walking group. A walk in the park for carers",
        opening_times="Saturdays, 10am",
    ),
    # break: gap 2; information: wants 3; the whole trust: 1; phone 1; weekdays only: 0 = 7
    Candidate(
        2,
        "Carers' centre",
        local=True,
        support=("break", "information"),
        phone=True,
        online=True,
        text="Breaks and advice for carers",
        opening_times="Monday to Friday, 9am to 5pm",
    ),
    # information: wants 3; national: 0; phone 1; "Any time": weekend 1 = 5
    Candidate(
        3, "National helpline", local=False, support=("information",), phone=True, opening_times="Any time"
    ),
    # company 5, but it serves Derby only: left out
    Candidate(4, "Derby group", local=True, areas=("DE1",), support=("company",), phone=True),
    # company 5; serves the NG area, a short trip: 1; online only, and they like the phone: 0 = 6
    Candidate(5, "Befriending Nottingham", local=True, areas=("NG",), support=("company",), online=True),
    # someone to talk to: they have it and did not ask for it: left out
    Candidate(6, "Talk line", local=False, support=("talk",), phone=True),
    # practical help: the same: left out
    Candidate(7, "Money advice", local=False, support=("practical",), phone=True),
    # company 5; national; online only: 0 = 5, ties with the helpline and comes first by name
    Candidate(8, "Befriending online", local=False, support=("company",), online=True),
    # break: gap 2; the whole trust 1; phone 1 = 4
    Candidate(9, "Respite sitters", local=True, support=("break",), phone=True),
    # information: wants 3; phone 1 = 4, ties with the sitters, who are local and so come first
    Candidate(10, "Able national", local=False, support=("information",), phone=True),
]

RIGHT_ORDER = [
    ("Walking group", 11),
    ("Carers' centre", 7),
    ("Befriending Nottingham", 6),
    ("Befriending online", 5),
    ("National helpline", 5),
    ("Respite sitters", 4),
    ("Able national", 4),
]


def test_the_hand_made_directory_is_ranked_in_the_order_worked_out_by_hand():
    ranked = rank(DIRECTORY, PERSON)
    assert [(m.candidate.name, m.score) for m in ranked] == RIGHT_ORDER


def test_each_suggestion_says_why_for_every_point_it_earned():
    first = rank(DIRECTORY, PERSON)[0]
    assert first.reasons == [
        ("wants", "company"),
        ("gap", "company"),
        ("interest", "outdoors"),
        ("district", "NG7"),
        ("way", "phone"),
        ("time", "weekend"),
    ]
    helpline = score(DIRECTORY[2], PERSON)
    assert helpline.reasons == [
        ("wants", "information"),
        ("national", ""),
        ("way", "phone"),
        ("time", "weekend"),
    ]


def test_someone_who_cannot_leave_home_gets_no_points_for_place():
    at_home = Person(**{**PERSON.__dict__, "travel": "home"})
    walking = score(DIRECTORY[0], at_home)
    assert walking.score == 11 - 3
    assert ("district", "NG7") not in walking.reasons
    assert score(DIRECTORY[3], at_home) is None  # Derby is still somewhere else


def test_without_a_place_local_entries_for_other_areas_are_still_offered():
    nowhere = Person(**{**PERSON.__dict__, "place": ""})
    derby = score(DIRECTORY[3], nowhere)
    assert derby is not None and derby.score == 5 + 1  # company, and the phone


def test_an_empty_map_lacks_every_kind_of_support():
    assert gaps([]) == frozenset({"talk", "practical", "information", "break", "company"})
    assert gaps([["talk", "company"], []]) == frozenset({"practical", "information", "break"})


def test_areas_are_read_as_typed_and_reach_districts_and_areas():
    assert parse_areas("ng7, NG8  de ng7") == (["NG7", "NG8", "DE"], [])
    assert parse_areas("NG7 Nottingham 12") == (["NG7"], ["NOTTINGHAM", "12"])
    assert reach(["NG7"], "NG7") == "district"
    assert reach(["NG"], "NG7") == "area"
    assert reach(["NG7"], "NG") == "area"
    assert reach(["DE1"], "NG7") is None
    assert reach([], "NG7") is None
