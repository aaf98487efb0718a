"""Home: each feature's cards and panels, drawn for the people they are for and nobody else."""

from __future__ import annotations

import re

import pytest
from jinja2 import DictLoader

from react_toolkit.auth import roles as R
from react_toolkit.core import home

CARDS_BY_ROLE = {
    R.RELATIVE: [
        "Modules",
        "Write to a supporter",
        "My toolbox",
        "Your support map",
        "Places that can help",
        "Wellbeing check-in",
        "Notification settings",
        "Your account",
    ],
    R.SUPPORTER: [
        "Modules",
        "Team inbox",
        "Places that can help",
        "Invite a relative",
        "Staff learning",
        "Notification settings",
        "Your account",
    ],
    R.CLINICIAN: [
        "Modules",
        "Places that can help",
        "Invite a relative",
        "Staff learning",
        "Notification settings",
        "Your account",
    ],
    R.SITE_LEAD: [
        "Modules",
        "Places that can help",
        "Staff learning",
        "Teams and caseloads",
        "Staff adoption",
        "Staff accounts",
        "Notification settings",
        "Your account",
    ],
}


def card_titles(page: str) -> list[str]:
    return re.findall(r'class="nhsuk-card__link" href="[^"]*">([^<]+)</a>', page)


@pytest.mark.parametrize("role", list(CARDS_BY_ROLE))
def test_each_role_sees_the_cards_of_the_features_it_may_use_in_order(client, create_user, login, role):
    login(create_user(role))
    assert card_titles(client.get("/").get_data(as_text=True)) == CARDS_BY_ROLE[role]


def test_every_card_points_at_a_page_the_app_has(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert {card.endpoint for card in app.extensions["home_cards"]} <= endpoints


def test_a_panel_is_drawn_only_for_the_people_it_has_something_for(app, client, create_user, login):
    panel = '<p class="test-panel">For {{ panel.name }}</p>'
    app.jinja_env.loader.loaders.insert(0, DictLoader({"_test_panel.html": panel}))
    chosen = create_user(email="chosen@example.org")
    other = create_user(email="other@example.org")
    home.register_panel(
        app, "_test_panel.html", lambda user: {"name": "you"} if user.id == chosen.id else None, 1
    )

    login(chosen)
    page = client.get("/").get_data(as_text=True)
    assert '<p class="test-panel">For you</p>' in page
    assert page.index("test-panel") < page.index("nhsuk-card-group")

    second = login(other, the_client=app.test_client())
    assert "test-panel" not in second.get("/").get_data(as_text=True)


def test_registering_twice_keeps_one_card(app):
    before = len(app.extensions["home_cards"])
    home.register_card(app, "Modules", "again", "modules.list_modules", lambda user: True, 10)
    assert len(app.extensions["home_cards"]) == before
