"""The dashboard's reminders section on a hand-built history whose figures are worked out below."""

from __future__ import annotations

import html as html_lib
import re
from datetime import UTC, date, datetime

from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.dashboard.figures import Period, Scope
from react_toolkit.extensions import db
from react_toolkit.notifications import figures, reminders, services
from react_toolkit.usage.recorder import build_event

PERIOD = Period(date(2026, 3, 1), date(2026, 6, 1))  # March to May 2026


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def visit(person, moment: datetime, clock) -> None:
    clock.set(moment)
    db.session.add(build_event("usage.page.viewed", person))
    db.session.commit()


def test_reminders_and_who_came_back_within_a_week(app, create_team, create_user, clock, client, login):
    a, b = create_team(), create_team()
    clinician_a = create_user(R.CLINICIAN, team=a)
    clinician_b = create_user(R.CLINICIAN, team=b)
    clock.set(at("2026-03-01T10:00:00"))
    invited = [
        auth_services.create_invitation(clinician_a, a, "email", f"family{n}@example.org") for n in range(7)
    ]
    other = auth_services.create_invitation(clinician_b, b, "email", "elsewhere@example.org")
    # One joins before any reminder is due: it gets none.
    invited[0].accepted_at = at("2026-03-12T09:00:00")
    nudged = [create_user(R.RELATIVE, team=a) for _ in range(3)]
    quiet = create_user(R.RELATIVE, team=a)  # did not choose nudges
    for person in [*nudged, quiet]:
        person.last_login_at = at("2026-03-01T10:00:00")
    for person in nudged:
        services.choose_nudge(person, True)
    db.session.commit()

    clock.set(at("2026-03-13T11:00:00"))  # two days before the invitations end
    assert reminders.send_invitation_reminders() == 7  # six of team A's, and team B's
    # Two are used within the week after their reminder; the rest run out on 15 March.
    for invitation in invited[1:3]:
        invitation.accepted_at = at("2026-03-14T18:00:00")
    db.session.commit()

    clock.set(at("2026-03-23T10:00:00"))  # three weeks away
    assert reminders.send_nudges() == 3
    visit(nudged[0], at("2026-03-25T20:00:00"), clock)  # back within a week
    visit(nudged[1], at("2026-04-05T20:00:00"), clock)  # back, but not within a week
    visit(quiet, at("2026-03-24T08:00:00"), clock)  # never nudged: not counted

    shown = figures.figures(PERIOD, Scope(None))
    rows = {row.name: row for row in shown["teams"]}
    assert (rows[a.name].invitation_reminders, rows[a.name].joined_after) == (6, 2)
    assert (rows[a.name].nudges, rows[a.name].back_after) == (3, 1)
    assert (rows[b.name].invitation_reminders, rows[b.name].joined_after, rows[b.name].nudges) == (1, 0, 0)
    assert other.accepted_at is None

    only_a = figures.figures(PERIOD, Scope((a.site_id,)))
    assert [row.name for row in only_a["teams"]] == [a.name]
    april = figures.figures(Period(date(2026, 4, 1), date(2026, 5, 1)), Scope(None))
    assert all(row.invitation_reminders == row.nudges == 0 for row in april["teams"])

    clock.set(at("2026-06-02T10:00:00"))
    admin = login(create_user(R.ADMIN))
    rows = table(admin.get("/dashboard?from=2026-03&to=2026-05").get_data(as_text=True))
    assert rows[a.name][2:] == ["6", "2", "3", "1"] and rows[b.name][2:] == ["1", "0", "0", "0"]
    # A site lead sees their own trust, with counts under five hidden, as everywhere on the dashboard.
    lead = login(create_user(R.SITE_LEAD, site=a.site, no_team=True), the_client=app.test_client())
    rows = table(lead.get("/dashboard?from=2026-03&to=2026-05").get_data(as_text=True))
    assert b.name not in rows
    assert rows[a.name][2:] == ["6", "<5", "<5", "<5"]


HEADING = re.compile(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', re.S)


def table(page: str) -> dict[str, list[str]]:
    """The reminders table's rows by team; each cell's heading for narrow screens left out."""
    found = page.split('id="reminders-table"')[1].split("</table>")[0]
    rows = [
        [
            " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", HEADING.sub("", cell))).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", found, re.S)
    ]
    return {row[0]: row for row in rows[1:]}
