"""Training beside invitations: on the adoption overview and as the dashboard's section."""

from __future__ import annotations

import re

from react_toolkit.adoption import figures, learning, services
from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.dashboard.figures import Period, Scope
from react_toolkit.dashboard.rollup import month_start, next_month
from react_toolkit.timeutil import now


def _train(user, slugs) -> None:
    for slug in slugs:
        services.complete_module(user, slug)


def test_training_counts_staff_who_finished_any_and_all_modules_beside_invitations(
    app, create_user, create_team
):
    team = create_team()
    every = [module.slug for module in learning.all_modules()]
    people = [create_user(R.CLINICIAN, team=team) for _ in range(7)]
    for person in people[:6]:
        _train(person, every[:1])
    for person in people[:5]:
        _train(person, every)
    auth_services.create_invitation(people[0], team, "code")
    month = month_start(now())
    teams, _sites, total = figures.training(Period(month, next_month(month)), Scope((team.site_id,)))
    row = next(row for row in teams if row.team_id == team.id)
    assert (row.staff, row.trained_any, row.trained_all) == (7, 6, 5)
    assert (row.clinicians, row.inviting_clinicians, row.invites) == (7, 1, 1)
    assert total.trained_all >= 5


def test_the_overview_shows_training_beside_invitations_with_small_counts_hidden(
    client, create_user, create_team, login
):
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site)
    trained = create_user(R.CLINICIAN, team=team)
    _train(trained, [module.slug for module in learning.all_modules()])
    login(lead)
    html = client.get("/staff/adoption").get_data(as_text=True)
    table = re.search(r'id="training".*?</table>', html, re.S).group(0)
    assert "Finished all 6 staff modules" in table
    row = re.search(
        rf"<td class=\"nhsuk-table__cell\">{re.escape(team.name)}</td>(.*?)</tr>", table, re.S
    ).group(1)
    assert "&lt;5" in row and ">1<" not in row


def test_the_dashboard_draws_the_staff_learning_section(client, create_user, create_team, login):
    team = create_team()
    login(create_user(R.SITE_LEAD, site=team.site))
    html = client.get("/dashboard").get_data(as_text=True)
    assert 'id="adoption"' in html and 'id="adoption-training"' in html


def test_admins_see_exact_counts_on_the_overview(client, create_user, create_team, login):
    team = create_team()
    trained = create_user(R.CLINICIAN, team=team)
    services.complete_module(trained, learning.all_modules()[0].slug)
    login(create_user(R.ADMIN))
    html = client.get(f"/staff/adoption?site={team.site_id}").get_data(as_text=True)
    row = re.search(
        rf"<td class=\"nhsuk-table__cell\">{re.escape(team.name)}</td>(.*?)</tr>", html, re.S
    ).group(1)
    assert ">1<" in row and "&lt;5" not in row
