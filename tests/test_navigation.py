"""The header: each feature's entries, current on that feature's own pages and no others."""

from __future__ import annotations

from flask import Flask

from react_toolkit.core.navigation import is_current


def entry(app: Flask, endpoint: str):
    return next(e for e in app.extensions["navigation"] if e.endpoint == endpoint)


def test_entries_match_by_blueprint_or_endpoint_not_by_part_of_a_name(app):
    risk = entry(app, "risk.list_phrases")
    assert is_current(risk, "risk.edit_phrase")
    assert not is_current(risk, "risk.crisis")  # the crisis page is for everyone, not the lexicon
    modules = entry(app, "modules.list_modules")
    assert is_current(modules, "modules.view_section") and is_current(modules, "modules.view_toolbox")
    toolbox = entry(app, "modules.view_toolbox")
    assert is_current(toolbox, "modules.view_toolbox") and not is_current(toolbox, "modules.view_section")
    forum = entry(app, "forum.list_categories")
    assert is_current(forum, "forum.view_thread") and not is_current(forum, "forum.moderation_queue")
    assert not is_current(forum, None)


def test_every_entry_points_at_a_page_the_app_has(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    entries = app.extensions["navigation"]
    assert len(entries) == 18
    for nav in entries:
        assert nav.endpoint in endpoints
        assert nav.endpoints <= endpoints, nav.label
        assert all(any(e.startswith(f"{bp}.") for e in endpoints) for bp in nav.blueprints), nav.label


def test_the_current_page_is_marked_in_the_header(client, create_user, login):
    login(create_user())
    page = client.get("/modules").get_data(as_text=True)
    assert page.count("nhsuk-header__navigation-item--current") == 1
