"""The dashboard page: who may see what, small-number suppression, tables under charts, a fixed query count."""

from __future__ import annotations

import html as html_lib
import re

import pytest
from sqlalchemy import event

from react_toolkit.auth import roles as R
from react_toolkit.dashboard import rollup
from react_toolkit.extensions import db
from tests.conftest import post

from .conftest import at, invite, views

MARCH_TO_MAY = "/dashboard?from=2026-03&to=2026-05"


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each row of one table, without the visually hidden headings used on small screens."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S).group(0)
    table = re.sub(r'<span class="nhsuk-table-responsive__heading"[^>]*>.*?</span>', "", table, flags=re.S)
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
    return [
        [
            html_lib.unescape(re.sub(r"<[^>]+>|\s+", " ", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in rows
    ]


@pytest.fixture
def lead_a(history, create_user):
    return create_user(R.SITE_LEAD, site=history.site_a, no_team=True)


def test_roles_without_the_dashboard_get_403(history, create_user, client, login):
    for role in (R.RELATIVE, R.CLINICIAN, R.SUPPORTER, R.MODERATOR):
        the_client = client.application.test_client()
        login(create_user(role, team=history.a1), the_client=the_client)
        assert the_client.get("/dashboard").status_code == 403, role
    assert client.get("/dashboard").status_code == 302  # signed out: to the sign-in page


def test_site_lead_sees_only_their_site_and_small_counts_suppressed(history, lead_a, client, login):
    rollup.refresh()
    login(lead_a)
    response = client.get(MARCH_TO_MAY)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    uptake = cells(html, "uptake-table")
    teams = [row[0] for row in uptake[1:]]
    assert history.a1.name in teams and history.a2.name in teams
    assert history.b1.name not in html and "Trust B" not in html
    a1 = next(row for row in uptake if row[0] == history.a1.name)
    # Clinicians 3, inviting 2, invites 4, invited 3, registered 2: all below 5.
    assert a1[2:5] == ["<5", "<5", "–"]
    assert a1[5:8] == ["<5", "<5", "<5"]
    assert a1[12] == "0"  # nothing withdrawn: a true zero is shown as 0, not "<5"
    assert a1[15] == "–"  # a median over 2 people is not shown
    assert "Counts below 5 are shown as" in html
    assert "Bring page-view figures up to date" not in html


def test_site_lead_of_one_trust_gets_403_for_another(history, lead_a, client, login):
    login(lead_a)
    assert client.get(f"/dashboard?site={history.site_b.id}").status_code == 403
    assert client.get(f"/dashboard?site={history.site_a.id}").status_code == 200
    assert client.get("/dashboard?site=99999").status_code == 404


def test_admin_sees_exact_counts_for_every_site(history, create_user, client, login):
    rollup.refresh()
    login(create_user(R.ADMIN))
    html = client.get(MARCH_TO_MAY).get_data(as_text=True)
    uptake = cells(html, "uptake-table")
    a1 = next(row for row in uptake if row[0] == history.a1.name)
    assert a1[2:16] == ["3", "2", "67%", "4", "3", "2", "2%", "50%", "2", "2", "0", "3", "1", "3.2"]
    assert any(row[0] == history.b1.name for row in uptake)
    assert uptake[-1][0] == "All teams" and uptake[-1][5] == "5"
    reach = cells(html, "reach-table")
    assert reach[1:] == [
        ["March 2026", "1", "1", "1", "1"],
        ["April 2026", "1", "2", "1", "1"],
        ["May 2026", "1", "1", "1", "1"],
    ]
    use = dict(row for row in cells(html, "use-table")[1:])
    assert (
        use["Time on the toolkit per relative: median (interquartile range)"]
        == "10 min (IQR 5 min to 20 min)"
    )  # 1800, 600 and 0 seconds
    safety = dict(row for row in cells(html, "safety-table")[1:])
    assert safety["Urgent conversations"] == "1"
    assert "Bring page-view figures up to date" in html


def test_researcher_sees_all_sites_with_suppression(history, create_user, client, login):
    login(create_user(R.RESEARCHER))
    html = client.get(MARCH_TO_MAY).get_data(as_text=True)
    assert history.b1.name in html and history.a1.name in html
    assert "&lt;5" in html


def test_every_chart_has_a_table_and_an_accessible_name(history, create_user, client, login):
    login(create_user(R.ADMIN))
    html = client.get(MARCH_TO_MAY).get_data(as_text=True)
    charts = re.findall(r'<svg role="img" aria-labelledby="([^"]+)"', html)
    assert len(charts) == 4
    for labels in charts:
        for label in labels.split():
            assert f'id="{label}"' in html
    assert html.count("<table") >= 7


def test_a_bad_month_is_explained_next_to_the_field(history, create_user, client, login):
    login(create_user(R.ADMIN))
    response = client.get("/dashboard?from=2026-05&to=2026-03")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and "must be before" in html
    assert 'id="period-to-error"' in html
    assert client.get("/dashboard?from=last-year").status_code == 200


def test_refresh_is_for_admins_only(history, lead_a, create_user, client, login):
    login(lead_a)
    assert post(client, "/dashboard/refresh", token_from="/dashboard").status_code == 403
    admin_client = client.application.test_client()
    login(create_user(R.ADMIN), the_client=admin_client)
    response = post(admin_client, "/dashboard/refresh", token_from="/dashboard")
    assert response.status_code == 302
    assert rollup.last_refreshed() is not None


def _queries(client, path: str) -> int:
    statements: list[str] = []

    def record(*args) -> None:
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)


def test_query_count_does_not_grow_with_events_or_people(history, create_user, client, login):
    rollup.refresh()
    login(create_user(R.ADMIN))
    before = _queries(client, MARCH_TO_MAY)
    for n in range(30):
        extra = create_user(R.RELATIVE, team=history.a1 if n % 2 else history.b1)
        extra.created_at = at("2026-04-10 10:00")
        views(extra, "2026-04-10 10:00", "2026-04-10 10:05", "2026-05-01 10:00")
    db.session.commit()
    rollup.refresh()
    assert _queries(client, MARCH_TO_MAY) == before


def test_researchers_and_admins_reach_the_exports_from_the_dashboard(history, create_user, client, login):
    login(create_user(R.RESEARCHER))
    assert 'href="/research/exports"' in client.get("/dashboard").get_data(as_text=True)
    lead_client = client.application.test_client()
    login(create_user(R.SITE_LEAD, site=history.site_a, no_team=True), the_client=lead_client)
    assert "/research/exports" not in lead_client.get("/dashboard").get_data(as_text=True)


def test_a_feature_section_is_drawn_with_its_own_figures_for_the_chosen_scope(
    app, history, lead_a, client, login
):
    from jinja2 import DictLoader

    from react_toolkit.dashboard import sections

    asked = []

    def figures(period, scope):
        asked.append((period.start.isoformat(), scope.site_ids))
        return {"answer": 42}

    app.jinja_env.loader.loaders.insert(
        0, DictLoader({"_section.html": '<h2 id="extra">Extra</h2><p class="extra">{{ figures.answer }}</p>'})
    )
    sections.register(app, "extra", "_section.html", figures, 10)
    sections.register(app, "hidden", "_section.html", lambda period, scope: None, 20)
    rollup.refresh()
    login(lead_a)
    page = client.get(MARCH_TO_MAY).get_data(as_text=True)
    assert page.count('<p class="extra">42</p>') == 1
    assert page.index('id="maintenance"') < page.index('id="extra"')
    assert asked == [("2026-03-01", (history.site_a.id,))]


def test_no_hidden_count_can_be_worked_out_from_the_total(history, lead_a, client, login):
    # A2 sends ten invitations by email: A1's four are then the only hidden count of the trust's
    # fourteen, and 14 - 10 would give them away, so A2's count is hidden too. A1's one code
    # would likewise be its four invitations less its three emails.
    for day in range(1, 11):
        invite(history.c1, history.a2, f"2026-04-{day:02d} 10:00", f"person{day}@example.org")
    db.session.commit()
    login(lead_a)
    uptake = cells(client.get(MARCH_TO_MAY).get_data(as_text=True), "uptake-table")
    a1, a2, total = (
        next(row for row in uptake if row[0] == name)
        for name in (history.a1.name, history.a2.name, "All teams")
    )
    invites, by_email, by_code = 5, 13, 14
    assert (a1[invites], a2[invites], total[invites]) == ("<5", "*", "14")
    assert (a1[by_email], a1[by_code]) == ("<5", "<5")
    # The trust's 14 are 13 by email and 1 by code: the 13 would give the 1 away.
    assert (a2[by_email], a2[by_code], total[by_email], total[by_code]) == ("*", "0", "*", "<5")
    assert a2[9] == "–"  # no share is shown from a hidden count
