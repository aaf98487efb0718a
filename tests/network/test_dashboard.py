"""The support map's dashboard section on a hand-built history, whose figures are worked out below."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, date, datetime

import pytest

from react_toolkit.auth import roles as R
from react_toolkit.dashboard.figures import Period, Scope
from react_toolkit.extensions import db
from react_toolkit.network import figures, services
from react_toolkit.resources.models import Resource
from react_toolkit.timeutil import simulated_time

PERIOD = Period(date(2026, 3, 1), date(2026, 6, 1))  # March to May 2026
# What each relative of team A1 marks their map's entries as giving them.
A1_MAPS = [
    ["talk"],
    ["talk", "company"],
    [],
    ["practical"],
    ["talk", "practical", "information", "break", "company"],
]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def make_map(user, gives: list[str], when: str) -> None:
    with simulated_time(at(when)):
        services.add_entry(user, {"label": "Someone", "kind": "person", "circle": 1, "gives": gives})


@pytest.fixture
def history(create_team, create_user):
    a1 = create_team()
    a2 = create_team(a1.site)
    b1 = create_team()
    sitter = Resource(
        name="Sitting service", category="carers", description="Breaks.", support="break company"
    )
    db.session.add(sitter)
    db.session.commit()
    a1_people = [create_user(R.RELATIVE, team=a1) for _ in range(6)]
    for person, gives in zip(a1_people, A1_MAPS, strict=False):
        make_map(person, gives, "2026-04-10T10:00:00")
    make_map(a1_people[5], ["talk"], "2026-01-15T10:00:00")  # made before March: not counted as made
    make_map(a1_people[0], ["information"], "2026-04-20T10:00:00")  # a change, not a second map
    a2_person = create_user(R.RELATIVE, team=a2)
    make_map(a2_person, ["talk"], "2026-05-02T10:00:00")
    make_map(create_user(R.RELATIVE, team=b1), [], "2026-04-02T10:00:00")
    with simulated_time(at("2026-04-21T09:00:00")):
        for person in a1_people[:2]:
            shown, _declined = services.suggestions(person)
            assert [s.resource.name for s in shown] == ["Sitting service"]
        services.respond(a1_people[0], sitter, "save")
        services.respond(a1_people[0], sitter, "followed")
        services.respond(a1_people[1], sitter, "followed")
    with simulated_time(at("2026-06-03T09:00:00")):
        services.suggestions(a1_people[2])  # June: after the months asked for
    return a1, a2, b1


def test_figures_per_team_from_the_hand_built_history(history):
    a1, a2, b1 = history
    shown = figures.figures(PERIOD, Scope((a1.site_id,)))
    rows = {team.name: team for team in shown["teams"]}
    assert set(rows) == {a1.name, a2.name}
    first = rows[a1.name]
    # Five maps made in April (the sixth in January); two shown in April, the June one left out.
    assert (first.made_map, first.shown, first.saved, first.followed) == (5, 2, 1, 2)
    # Now: six maps. The first relative's map gives talk and information after the change.
    assert first.with_map == 6
    # talk: 3rd, 4th = 2; practical: 1st, 2nd, 3rd, 6th = 4; information: 2nd, 3rd, 4th, 6th = 4;
    # break: all but the 5th = 5; company: 1st, 3rd, 4th, 6th = 4.
    assert first.missing == {"talk": 2, "practical": 4, "information": 4, "break": 5, "company": 4}
    assert first.most_missing() == [
        ("A break from caring", 5),
        ("Practical help", 4),
        ("Information", 4),
        ("Company", 4),
        ("Someone to talk to", 2),
    ]
    second = rows[a2.name]
    assert (second.made_map, second.shown, second.with_map) == (1, 0, 1)
    assert second.missing == {"talk": 0, "practical": 1, "information": 1, "break": 1, "company": 1}
    everyone = figures.figures(PERIOD, Scope(None))
    assert b1.name in {team.name for team in everyone["teams"]}


def table(html: str, table_id: str) -> list[list[str]]:
    found = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    found = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", found, flags=re.S)
    return [
        [
            html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found, re.S)
    ]


def test_the_site_lead_sees_small_counts_hidden_and_the_admin_sees_them(history, client, create_user, login):
    a1, _a2, b1 = history
    login(create_user(R.SITE_LEAD, site=a1.site, no_team=True))
    html = client.get("/dashboard?from=2026-03&to=2026-05").get_data(as_text=True)
    rows = {row[0]: row for row in table(html, "support-map-table")[1:]}
    assert rows[a1.name][2:] == ["5", "<5", "<5", "<5"]
    assert b1.name not in rows
    missing = {row[0]: row for row in table(html, "support-missing-table")[1:]}
    assert missing[a1.name][1:] == [
        "6",
        "A break from caring: 5; Practical help: <5; Information: <5; Company: <5; Someone to talk to: <5",
    ]
    assert "Someone" not in html.split('id="support-map"')[1].replace("Someone to talk to", "")

    admin = client.application.test_client()
    login(create_user(R.ADMIN), the_client=admin)
    html = admin.get(f"/dashboard?from=2026-03&to=2026-05&site={a1.site_id}").get_data(as_text=True)
    rows = {row[0]: row for row in table(html, "support-map-table")[1:]}
    assert rows[a1.name][2:] == ["5", "2", "1", "2"]
