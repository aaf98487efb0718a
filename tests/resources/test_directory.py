"""The resource directory: who sees which entries, search, outbound visits, and keeping local entries."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Site
from react_toolkit.resources.models import Resource, ResourceChange
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post


def add_resource(site: Site | None = None, **values) -> Resource:
    fields = {
        "category": "carers",
        "description": "Support for carers.",
        "phone": "",
        "website": "https://example.org/",
        **values,
    }
    resource = Resource(site_id=site.id if site else None, **fields)
    db.session.add(resource)
    db.session.commit()
    return resource


@dataclass
class Directory:
    home: Site
    away: Site
    national: Resource
    national_crisis: Resource
    home_voices: Resource
    home_carers: Resource
    away_carers: Resource


@pytest.fixture
def directory(app, create_site) -> Directory:
    home, away = create_site("Northshire Trust"), create_site("Southshire Trust")
    return Directory(
        home=home,
        away=away,
        national=add_resource(
            None,
            slug="carers-national",
            name="Carers Direct Line",
            description="A national helpline giving advice to carers about money and rights.",
            category="money-and-rights",
            website="https://carers.example.org/",
        ),
        national_crisis=add_resource(
            None,
            slug="listening-line",
            name="Listening Line",
            description="Someone to talk to, any time, when things feel too much.",
            category="crisis",
            phone="116 123",
            website="https://listening.example.org/",
        ),
        home_voices=add_resource(
            home,
            name="Northshire Hearing Voices Group",
            description="Peer groups for people who hear voices, and their families.",
            category="psychosis",
            website="https://voices.example.org/north",
        ),
        home_carers=add_resource(
            home,
            name="Northshire Carers Centre",
            description="Advice and a monthly support group for carers in Northshire.",
            category="local-groups",
            phone="01234 567890",
            website="https://north-carers.example.org/",
        ),
        away_carers=add_resource(
            away,
            name="Southshire Carers Hub",
            description="Advice and a weekly support group for carers and families in Southshire.",
            category="local-groups",
            website="https://south-carers.example.org/",
        ),
    )


def names_on(client, query: str = "") -> set[str]:
    response = client.get("/resources/" + query)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    return set(re.findall(r'<h2 class="nhsuk-card__heading nhsuk-heading-m">([^<]+)</h2>', html))


def changes_of(resource_id: int) -> list[ResourceChange]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ResourceChange)
            .where(ResourceChange.resource_id == resource_id)
            .order_by(ResourceChange.id)
        )
    )


# Finding help ---------------------------------------------------------------------------------


def test_relatives_see_national_and_their_own_sites_entries(directory, client, create_user, login):
    login(create_user("relative", site=directory.home))
    everything = names_on(client)
    assert everything == {
        "Carers Direct Line",
        "Listening Line",
        "Northshire Hearing Voices Group",
        "Northshire Carers Centre",
    }
    assert "Southshire" not in client.get("/resources/").get_data(as_text=True)
    # A search the other site's entry matches does not bring it in either.
    assert names_on(client, "?q=carers") == {"Carers Direct Line", "Northshire Carers Centre"}
    assert names_on(client, "?q=Southshire") == set()
    assert names_on(client, "?category=local-groups") == {"Northshire Carers Centre"}


def test_the_other_sites_relative_sees_their_own_entries(directory, client, create_user, login):
    login(create_user("relative", site=directory.away))
    assert names_on(client, "?q=support+group") == {"Southshire Carers Hub"}
    assert "Northshire" not in client.get("/resources/").get_data(as_text=True)


def test_search_matches_every_word_in_name_or_description_ignoring_case(
    directory, client, create_user, login
):
    login(create_user("relative", site=directory.home))
    assert names_on(client, "?q=VOICES") == {"Northshire Hearing Voices Group"}
    assert names_on(client, "?q=peer+families") == {"Northshire Hearing Voices Group"}
    assert names_on(client, "?q=northshire+monthly") == {"Northshire Carers Centre"}
    assert names_on(client, "?q=voices+monthly") == set()  # every word must match
    assert names_on(client, "?q=listening+LINE") == {"Listening Line"}
    assert names_on(client, "?q=advice") == {"Carers Direct Line", "Northshire Carers Centre"}
    html = client.get("/resources/?q=zebra").get_data(as_text=True)
    assert "0 results" in html and "Nothing matched" in html


def test_category_filter_and_words_together(directory, client, create_user, login):
    login(create_user("relative", site=directory.home))
    assert names_on(client, "?category=crisis") == {"Listening Line"}
    assert names_on(client, "?category=psychosis") == {"Northshire Hearing Voices Group"}
    assert names_on(client, "?category=money-and-rights&q=advice") == {"Carers Direct Line"}
    assert names_on(client, "?category=crisis&q=advice") == set()
    # An unknown category is ignored rather than hiding everything.
    assert len(names_on(client, "?category=nonsense")) == 4


def test_retired_entries_disappear_for_relatives(directory, client, create_user, login):
    login(create_user("relative", site=directory.home))
    directory.home_carers.retired_at = now()
    directory.national.retired_at = now()
    db.session.commit()
    assert names_on(client) == {"Listening Line", "Northshire Hearing Voices Group"}
    assert names_on(client, "?q=carers") == set()
    assert names_on(client, "?category=local-groups") == set()


def test_visit_redirects_to_the_website_and_records_an_event(directory, client, create_user, login):
    relative = create_user("relative", site=directory.home)
    login(relative)
    for resource in (directory.home_voices, directory.national):
        response = client.get(f"/resources/{resource.id}/visit")
        assert response.status_code == 302
        assert response.headers["Location"] == resource.website
    db.session.expire_all()
    events = db.session.scalars(
        select(UsageEvent).where(UsageEvent.name == "resources.resource.visited").order_by(UsageEvent.id)
    ).all()
    assert [(e.object_type, e.object_id, e.user_id) for e in events] == [
        ("resource", str(directory.home_voices.id), relative.id),
        ("resource", str(directory.national.id), relative.id),
    ]
    for row in events:
        for column in UsageEvent.__table__.columns:
            assert "example.org" not in str(getattr(row, column.key))


def test_visiting_another_sites_entry_is_404_and_records_nothing(directory, client, create_user, login):
    login(create_user("relative", site=directory.home))
    assert client.get(f"/resources/{directory.away_carers.id}/visit").status_code == 404
    assert client.get("/resources/999999/visit").status_code == 404
    db.session.expire_all()
    assert (
        db.session.scalars(select(UsageEvent).where(UsageEvent.name == "resources.resource.visited")).all()
        == []
    )


def test_saving_another_sites_entry_to_the_toolbox_is_404(directory, client, create_user, login):
    login(create_user("relative", site=directory.home))
    assert (
        post(client, f"/toolbox/resources/{directory.away_carers.id}", token_from="/resources/").status_code
        == 404
    )
    assert (
        post(client, f"/toolbox/resources/{directory.home_carers.id}", token_from="/resources/").status_code
        == 302
    )


# Keeping local entries ----------------------------------------------------------------------

GOOD_ENTRY = {
    "name": "Northshire Family Cafe",
    "category": "local-groups",
    "description": "A friendly drop-in for families, every Tuesday.",
    "phone": "",
    "text_number": "",
    "email": "cafe@example.org",
    "website": "",
    "opening_times": "Tuesdays 10am to 12 noon",
    "accessibility": "Step-free access.",
}


def editor_for(create_user, role: str, site: Site):
    return create_user(role, site=site)


@pytest.mark.parametrize("role", [R.SUPPORTER, R.SITE_LEAD])
def test_supporter_and_site_lead_add_edit_and_retire_their_sites_entries(
    directory, app, client, create_user, login, role
):
    editor = editor_for(create_user, role, directory.home)
    login(editor)
    manage = client.get("/resources/manage")
    assert manage.status_code == 200
    html = manage.get_data(as_text=True)
    assert (
        "Northshire Carers Centre" in html and "Southshire" not in html and "Carers Direct Line" not in html
    )

    response = post(client, "/resources/new", GOOD_ENTRY, token_from="/resources/new")
    assert response.status_code == 302
    db.session.expire_all()
    added = db.session.scalar(select(Resource).where(Resource.name == "Northshire Family Cafe"))
    assert added is not None and added.site_id == directory.home.id
    assert (added.email, added.opening_times) == ("cafe@example.org", "Tuesdays 10am to 12 noon")
    [change] = changes_of(added.id)
    assert (change.user_id, change.action) == (editor.id, "added")

    edit = {**GOOD_ENTRY, "phone": "01234 000111", "website": "https://cafe.example.org/"}
    response = post(client, f"/resources/{added.id}/edit", edit, token_from=f"/resources/{added.id}/edit")
    assert response.status_code == 302
    changes = changes_of(added.id)
    assert [(c.user_id, c.action) for c in changes] == [(editor.id, "added"), (editor.id, "edited")]
    assert set(changes[1].fields.split(", ")) == {"phone", "website"}
    db.session.expire_all()
    assert db.session.get(Resource, added.id).phone == "01234 000111"

    # Saving with nothing changed adds no change row.
    post(client, f"/resources/{added.id}/edit", edit, token_from=f"/resources/{added.id}/edit")
    assert len(changes_of(added.id)) == 2

    relative_client = app.test_client()
    login(create_user("relative", site=directory.home), the_client=relative_client)
    assert "Northshire Family Cafe" in names_on(relative_client)

    response = post(client, f"/resources/{added.id}/retire", token_from=f"/resources/{added.id}/edit")
    assert response.status_code == 302
    assert [(c.user_id, c.action) for c in changes_of(added.id)][-1] == (editor.id, "retired")
    assert "Northshire Family Cafe" not in names_on(relative_client)
    assert "Retired" in client.get("/resources/manage").get_data(as_text=True)

    post(client, f"/resources/{added.id}/retire", token_from=f"/resources/{added.id}/edit")
    assert [c.action for c in changes_of(added.id)][-1] == "restored"
    assert "Northshire Family Cafe" in names_on(relative_client)

    history = client.get(f"/resources/{added.id}/edit").get_data(as_text=True)
    assert "edited (" in history and editor.full_name in history


def error_for(html: str, field: str) -> str:
    match = re.search(
        rf'<span class="nhsuk-error-message" id="{field}-error">.*?Error: </span>(.*?)</span>', html, re.S
    )
    assert match, f"no error message for {field}"
    return match.group(1).strip()


def input_value(html: str, field: str) -> str:
    tag = re.search(rf'<(?:input|textarea)[^>]*name="{field}"[^>]*>', html)
    assert tag, f"no field {field}"
    if tag.group(0).startswith("<textarea"):
        return re.search(rf'name="{field}"[^>]*>(.*?)</textarea>', html, re.S).group(1).strip()
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


BAD_ENTRIES = [
    pytest.param(
        {"email": "", "opening_times": "Tuesdays"},
        "phone",
        "Give at least one way to get in touch",
        id="no-contact-route",
    ),
    pytest.param(
        {"website": "www.example.org"},
        "website",
        "Enter the website address, starting with https:// (or http://)",
        id="no-scheme",
    ),
    pytest.param(
        {"website": "javascript:alert(1)"},
        "website",
        "Enter the website address, starting with https:// (or http://)",
        id="javascript-url",
    ),
    pytest.param({"email": "cafe.example.org"}, "email", "Enter an email address", id="bad-email"),
    pytest.param({"name": ""}, "name", "Enter the name of the service", id="no-name"),
    pytest.param({"description": ""}, "description", "Enter a description", id="no-description"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_ENTRIES)
def test_bad_input_gets_a_clear_message_and_typed_values_are_kept(
    directory, client, create_user, login, change, field, message
):
    login(create_user(R.SUPPORTER, site=directory.home))
    data = {**GOOD_ENTRY, **change}
    response = post(client, "/resources/new", data, token_from="/resources/new")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in error_for(html, field)
    assert "There is a problem" in html
    for name in ("name", "description", "website", "email", "opening_times", "accessibility"):
        if data[name]:
            assert input_value(html, name) == data[name], name
    db.session.expire_all()
    names = db.session.scalars(select(Resource.name).where(Resource.site_id == directory.home.id)).all()
    assert sorted(names) == ["Northshire Carers Centre", "Northshire Hearing Voices Group"]
    assert db.session.scalars(select(ResourceChange)).all() == []


def test_bad_edit_changes_nothing_and_keeps_typed_values(directory, client, create_user, login):
    login(create_user(R.SITE_LEAD, site=directory.home))
    resource = directory.home_carers
    data = {
        "name": "Northshire Carers Centre (new)",
        "category": "local-groups",
        "description": resource.description,
        "phone": "",
        "text_number": "",
        "email": "",
        "website": "north-carers.example.org",
        "opening_times": "",
        "accessibility": "",
    }
    response = post(
        client, f"/resources/{resource.id}/edit", data, token_from=f"/resources/{resource.id}/edit"
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "starting with https://" in error_for(html, "website")
    assert input_value(html, "name") == "Northshire Carers Centre (new)"
    assert input_value(html, "website") == "north-carers.example.org"
    db.session.expire_all()
    kept = db.session.get(Resource, resource.id)
    assert (kept.name, kept.website) == ("Northshire Carers Centre", "https://north-carers.example.org/")
    assert changes_of(resource.id) == []


@pytest.mark.parametrize("role", [R.SUPPORTER, R.SITE_LEAD])
def test_editors_get_404_for_other_sites_and_national_entries(directory, client, create_user, login, role):
    login(create_user(role, site=directory.home))
    for resource in (directory.away_carers, directory.national):
        assert client.get(f"/resources/{resource.id}/edit").status_code == 404
        data = {**GOOD_ENTRY, "name": "Taken over"}
        assert (
            post(client, f"/resources/{resource.id}/edit", data, token_from="/resources/new").status_code
            == 404
        )
        assert (
            post(client, f"/resources/{resource.id}/retire", token_from="/resources/new").status_code == 404
        )
    db.session.expire_all()
    assert db.session.get(Resource, directory.away_carers.id).name == "Southshire Carers Hub"
    assert db.session.get(Resource, directory.away_carers.id).retired_at is None
    assert db.session.get(Resource, directory.national.id).name == "Carers Direct Line"
    assert changes_of(directory.away_carers.id) == changes_of(directory.national.id) == []


@pytest.mark.parametrize("role", [R.CLINICIAN, R.RELATIVE, R.MODERATOR, R.RESEARCHER])
def test_people_who_do_not_keep_entries_get_403(directory, client, create_user, login, role):
    login(create_user(role, site=directory.home) if role != R.RESEARCHER else create_user(role))
    assert client.get("/resources/manage").status_code == 403
    assert client.get("/resources/new").status_code == 403
    assert post(client, "/resources/new", GOOD_ENTRY, token_from="/resources/").status_code == 403
    assert client.get(f"/resources/{directory.home_carers.id}/edit").status_code == 404
    db.session.expire_all()
    assert db.session.scalar(select(Resource).where(Resource.name == GOOD_ENTRY["name"])) is None


def test_admin_edits_any_sites_entry_but_not_national_ones(directory, client, create_user, login):
    admin = create_user(R.ADMIN)
    login(admin)
    manage = client.get("/resources/manage").get_data(as_text=True)
    assert "Southshire Carers Hub" in manage and "Northshire Carers Centre" in manage

    resource = directory.away_carers
    data = {
        "name": "Southshire Carers Hub",
        "category": "local-groups",
        "description": resource.description,
        "phone": "",
        "text_number": "",
        "email": "",
        "website": "https://south-carers.example.org/new",
        "opening_times": "Mondays",
        "accessibility": "",
    }
    response = post(
        client, f"/resources/{resource.id}/edit", data, token_from=f"/resources/{resource.id}/edit"
    )
    assert response.status_code == 302
    [change] = changes_of(resource.id)
    assert (change.user_id, change.action) == (admin.id, "edited")
    assert set(change.fields.split(", ")) == {"website", "opening_times"}

    response = post(
        client,
        "/resources/new",
        {**GOOD_ENTRY, "site_id": str(directory.away.id)},
        token_from="/resources/new",
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (
        db.session.scalar(select(Resource.site_id).where(Resource.name == GOOD_ENTRY["name"]))
        == directory.away.id
    )

    assert client.get(f"/resources/{directory.national.id}/edit").status_code == 404
