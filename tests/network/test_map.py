"""The support map's pages: making and changing a map, its history, needs, matched help, and who may see it."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.modules.models import ToolboxItem
from react_toolkit.network import services
from react_toolkit.network.models import MapEntry, MapVersion, Needs, Suggestion
from react_toolkit.resources import services as resource_services
from react_toolkit.resources.models import Resource
from react_toolkit.timeutil import LONDON, now, today
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

STAFF = (R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER, R.ADMIN)


def joined_days_ago(user, days: int) -> None:
    """Registered `days` days ago by the UK calendar, at noon, whatever the clock change in between."""
    user.created_at = datetime.combine(today() - timedelta(days=days), time(12), tzinfo=LONDON)
    db.session.commit()


def add(client, **values):
    data = {"label": "Ann", "kind": "person", "circle": "1", "gives": ["talk"], **values}
    return post(client, "/support-map/entries", data, token_from="/support-map/")


def entries_of(user) -> list[MapEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(MapEntry).where(MapEntry.user_id == user.id).order_by(MapEntry.id)))


def events(*names: str) -> list[UsageEvent]:
    return list(
        db.session.scalars(select(UsageEvent).where(UsageEvent.name.in_(names)).order_by(UsageEvent.id))
    )


def test_a_relative_makes_a_map_and_sees_it_drawn_and_listed(client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    html = client.get("/support-map/").get_data(as_text=True)
    assert "Your map is empty" in html
    assert "Only you can see it" in html

    assert add(client).status_code == 302
    assert add(client, label="Biscuit", kind="pet", circle="2", gives=["company"]).status_code == 302
    assert add(client, label="Walking group", kind="activity", circle="3", gives=[]).status_code == 302
    ann, biscuit, walking = entries_of(relative)
    assert (ann.label, ann.kind, ann.circle, ann.gives) == ("Ann", "person", 1, ["talk"])
    assert (biscuit.circle, biscuit.gives) == (2, ["company"])
    assert walking.gives == []

    html = client.get("/support-map/").get_data(as_text=True)
    # The picture and the list hold the same entries.
    assert re.findall(r'data-label="([^"]+)"', html) == ["Ann", "Biscuit", "Walking group"]
    assert f'id="entry-{ann.id}"' in html and f'id="entry-{walking.id}"' in html
    assert "3 entries in three circles around you" in html
    # Nobody gives practical help, information or a break.
    summary = html.split("Nobody on your map gives you:")[1].split("</ul>")[0]
    assert re.findall(r"<li>([^<]+)</li>", summary) == [
        "Practical help",
        "Information",
        "A break from caring",
    ]


def test_contact_details_and_bad_choices_are_refused_next_to_the_field_keeping_what_was_typed(
    client, create_user, login
):
    relative = create_user(R.RELATIVE)
    login(relative)
    response = add(client, label="Ann 07700 900123")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Do not put phone numbers or email addresses on your map" in html
    assert 'value="Ann 07700 900123"' in html
    assert add(client, label="ann@example.org").status_code == 400
    response = add(client, label="Sam", circle="7")
    assert response.status_code == 400
    assert "Choose how close they are to you" in response.get_data(as_text=True)
    assert 'value="Sam"' in response.get_data(as_text=True)
    assert add(client, label="", kind="").status_code == 400
    assert entries_of(relative) == []


def test_entries_are_moved_edited_and_removed_and_the_history_shows_each_change(client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    add(client)
    add(client, label="Jo", circle="2", gives=[])
    ann, jo = entries_of(relative)

    # The list view's button, without a script.
    response = post(client, f"/support-map/entries/{jo.id}/move", {"circle": "1"}, token_from="/support-map/")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#entry-{jo.id}")
    # The picture's drag or arrow keys: a place on the circle too, and no page back.
    response = post(
        client,
        f"/support-map/entries/{ann.id}/move",
        {"circle": "3", "angle": "95"},
        token_from="/support-map/",
        headers={"X-Requested-With": "fetch"},
    )
    assert response.status_code == 204
    ann, jo = entries_of(relative)
    assert (ann.circle, ann.angle, jo.circle) == (3, 95, 1)

    response = post(
        client,
        f"/support-map/entries/{jo.id}/edit",
        {"label": "Joanne", "kind": "person", "circle": "1", "gives": ["practical", "company"]},
        token_from=f"/support-map/entries/{jo.id}/edit",
    )
    assert response.status_code == 302
    assert (
        post(client, f"/support-map/entries/{ann.id}/remove", token_from="/support-map/").status_code == 302
    )
    [joanne] = entries_of(relative)
    assert (joanne.label, joanne.gives) == ("Joanne", ["practical", "company"])
    assert post(client, "/support-map/reviewed", token_from="/support-map/").status_code == 302

    versions = db.session.scalars(select(MapVersion.change).where(MapVersion.user_id == relative.id)).all()
    assert versions == ["added", "added", "moved", "moved", "edited", "removed", "reviewed"]
    html = client.get("/support-map/history").get_data(as_text=True)
    assert html.index("still right") < html.index("Taken off: Ann") < html.index("Changed: Joanne")
    assert "Moved: Ann, from Closest to me to Further out" in html
    assert "Moved: Jo, from Close to me to Closest to me" in html

    # Events say a map was made, changed and looked over; never what is on it.
    assert [e.name for e in events("network.map.created", "network.map.changed", "network.map.reviewed")] == [
        "network.map.created",
        *["network.map.changed"] * 5,
        "network.map.reviewed",
    ]
    for event in db.session.scalars(select(UsageEvent)):
        values = " ".join(str(value) for value in event.__dict__.values())
        assert "Ann" not in values and "Joanne" not in values


@pytest.mark.parametrize("role", STAFF)
def test_no_staff_role_can_open_or_change_a_map(client, create_user, login, role):
    relative = create_user(R.RELATIVE)
    # A label with a space: a random CSRF token on the page can hold "Ann" but never a space.
    label = "Ann Marsh"
    entry = services.add_entry(relative, {"label": label, "kind": "person", "circle": 1, "gives": ["talk"]})
    login(create_user(role, team=relative.team))
    for path in ("/support-map/", "/support-map/history", "/support-map/needs", "/support-map/help"):
        assert client.get(path).status_code == 403, path
    assert client.get(f"/support-map/entries/{entry.id}/edit").status_code == 403
    response = post(client, f"/support-map/entries/{entry.id}/remove", token_from="/account")
    assert response.status_code == 403
    assert label not in response.get_data(as_text=True)
    assert len(entries_of(relative)) == 1


def test_another_relative_gets_404_for_an_entry_that_is_not_theirs(client, create_user, login):
    owner = create_user(R.RELATIVE)
    entry = services.add_entry(owner, {"label": "Ann Marsh", "kind": "person", "circle": 1, "gives": []})
    login(create_user(R.RELATIVE, team=owner.team))
    assert client.get(f"/support-map/entries/{entry.id}/edit").status_code == 404
    for action, data in (
        ("move", {"circle": "3"}),
        ("remove", {}),
        ("edit", {"label": "X", "kind": "pet", "circle": "2"}),
    ):
        assert post(client, f"/support-map/entries/{entry.id}/{action}", data).status_code == 404
    assert "Ann Marsh" not in client.get("/support-map/").get_data(as_text=True)  # a token holds no space
    [kept] = entries_of(owner)
    assert (kept.label, kept.circle) == ("Ann Marsh", 1)


def _directory(create_user, relative):
    supporter = create_user(R.SUPPORTER, team=relative.team)
    site_id = relative.site_id
    walking = resource_services.add_local(
        supporter,
        site_id,
        {
            "name": "Riverside walking group",
            "category": "local-groups",
            "description": "A gentle walk for carers.",
            "phone": "0115 496 0000",
            "areas": "ng7 NG8",
            "support_kinds": ["company"],
        },
    )
    derby = resource_services.add_local(
        supporter,
        site_id,
        {
            "name": "Derby carers' coffee",
            "category": "local-groups",
            "description": "Coffee mornings.",
            "phone": "01332 496000",
            "areas": "DE1",
            "support_kinds": ["company"],
        },
    )
    helpline = Resource(
        name="Families helpline",
        category="carers",
        description="Advice for families.",
        phone="0300 000 0000",
        support="information",
    )
    db.session.add(helpline)
    db.session.commit()
    return walking, derby, helpline


def test_needs_are_asked_plainly_and_matched_help_is_ranked_saved_declined_and_followed(
    client, create_user, login
):
    relative = create_user(R.RELATIVE)
    walking, derby, helpline = _directory(create_user, relative)
    login(relative)
    add(client, label="Sam", gives=["talk"])

    response = post(
        client,
        "/support-map/needs",
        {"helps_most": ["company"], "ways": ["phone"], "travel": "nearby", "place": "Nottingham"},
        token_from="/support-map/needs",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter the first part of your postcode" in html
    assert 'value="Nottingham"' in html
    response = post(
        client,
        "/support-map/needs",
        {"helps_most": ["company"], "ways": ["phone"], "travel": "nearby", "place": " ng7 "},
        token_from="/support-map/needs",
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/support-map/help")
    answers = db.session.scalar(select(Needs).where(Needs.user_id == relative.id))
    assert (answers.helps_most, answers.place, answers.travel) == (["company"], "NG7", "nearby")

    html = client.get("/support-map/help").get_data(as_text=True)
    assert html.index("Riverside walking group") < html.index("Families helpline")
    assert "Derby carers" not in html
    assert "which you said would help most now" in html
    assert "It serves your area, NG7." in html
    assert "which nobody on your map gives you yet" in html
    assert "We have not checked every service ourselves." in html
    client.get("/support-map/help")  # shown twice, counted once
    assert len(events("network.suggestion.shown")) == 2

    def respond(resource, action):
        return post(
            client, f"/support-map/help/{resource.id}", {"action": action}, token_from="/support-map/help"
        )

    assert respond(walking, "save").status_code == 302
    assert respond(walking, "followed").status_code == 302
    assert respond(helpline, "decline").status_code == 302
    assert respond(helpline, "shout").status_code == 303  # not an action: nothing changes
    toolbox = db.session.scalars(
        select(ToolboxItem.resource_id).where(ToolboxItem.user_id == relative.id)
    ).all()
    assert toolbox == [walking.id]
    rows = {
        s.resource_id: s
        for s in db.session.scalars(select(Suggestion).where(Suggestion.user_id == relative.id))
    }
    assert rows[walking.id].saved_at and rows[walking.id].followed_at
    assert rows[helpline.id].declined_at and not rows[helpline.id].saved_at

    html = client.get("/support-map/help").get_data(as_text=True)
    assert "You told us you contacted them or went." in html
    declined = html.split("You said these were not for you")[1]
    assert "Families helpline" in declined and "Families helpline" not in html.split("You said these")[0]
    assert respond(helpline, "restore").status_code == 302
    assert "You said these were not for you" not in client.get("/support-map/help").get_data(as_text=True)
    for name in ("network.suggestion.saved", "network.suggestion.followed", "network.suggestion.declined"):
        [event] = events(name)
        assert event.object_type == "network_suggestion" and event.object_id == str(
            rows[walking.id].id if "declined" not in name else rows[helpline.id].id
        )


def test_a_relative_of_another_trust_cannot_act_on_a_local_entry_they_cannot_see(client, create_user, login):
    relative = create_user(R.RELATIVE)
    walking, _derby, _helpline = _directory(create_user, relative)
    login(create_user(R.RELATIVE))  # a team at another trust
    response = post(
        client, f"/support-map/help/{walking.id}", {"action": "save"}, token_from="/support-map/help"
    )
    assert response.status_code == 404
    assert db.session.scalars(select(Suggestion).where(Suggestion.resource_id == walking.id)).all() == []
    assert "Riverside" not in client.get("/support-map/help").get_data(as_text=True)


def test_staff_record_areas_served_and_kinds_of_support_on_a_local_entry(client, create_user, login):
    supporter = create_user(R.SUPPORTER)
    login(supporter)
    values = {
        "name": "Carers' café",
        "category": "local-groups",
        "description": "A friendly café for carers.",
        "website": "https://cafe.example.org",
        "areas": "NG7 Nottingham",
        "support_kinds": ["company", "break"],
    }
    response = post(client, "/resources/new", values, token_from="/resources/new")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Check: NOTTINGHAM" in html and 'value="NG7 Nottingham"' in html
    response = post(client, "/resources/new", {**values, "areas": "ng7, ng8"}, token_from="/resources/new")
    assert response.status_code == 302
    cafe = db.session.scalar(select(Resource).where(Resource.name == "Carers' café"))
    assert (cafe.areas, cafe.support) == ("NG7 NG8", "break company")
    html = client.get(f"/resources/{cafe.id}/edit").get_data(as_text=True)
    assert 'value="NG7 NG8"' in html
    assert re.search(r'value="company"\s+checked', html) and not re.search(r'value="talk"\s+checked', html)


@pytest.mark.dates
@pytest.mark.parametrize(
    ("days", "weeks"), [(84, 12), (84 - 14, 12), (84 + 14, 12), (168, 24), (168 + 10, 24)]
)
def test_the_review_prompt_shows_around_12_and_24_weeks(client, create_user, login, clock, days, weeks):
    relative = create_user(R.RELATIVE)
    joined_days_ago(relative, days)
    login(relative)
    assert services.review_due(relative) == {"weeks": weeks, "has_map": False}
    assert f"You have been with us about {weeks} weeks" in client.get("/").get_data(as_text=True)
    add(client)  # making the map in the window answers the prompt
    assert services.review_due(relative) is None
    assert "You have been with us about" not in client.get("/").get_data(as_text=True)


@pytest.mark.dates
@pytest.mark.parametrize("days", [0, 84 - 15, 84 + 15, 126, 168 + 15, 400])
def test_the_review_prompt_is_not_shown_outside_its_windows(create_user, clock, days):
    relative = create_user(R.RELATIVE)
    joined_days_ago(relative, days)
    assert services.review_due(relative) is None


def test_a_map_changed_before_the_window_still_gets_the_prompt_with_a_link_to_look_again(
    client, create_user, login, clock
):
    relative = create_user(R.RELATIVE)
    joined_days_ago(relative, 84)
    old = db.session.get(
        MapEntry, services.add_entry(relative, {"label": "Ann", "kind": "person", "circle": 1}).id
    )
    for version in db.session.scalars(select(MapVersion).where(MapVersion.user_id == relative.id)):
        version.saved_at = now() - timedelta(days=60)
    db.session.commit()
    assert old is not None
    assert services.review_due(relative) == {"weeks": 12, "has_map": True}
    login(relative)
    assert "Look at your support map" in client.get("/").get_data(as_text=True)
    assert post(client, "/support-map/reviewed", token_from="/support-map/").status_code == 302
    assert services.review_due(relative) is None
