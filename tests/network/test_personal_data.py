"""The support map in a relative's data download, and gone with their account; another's map untouched."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.network import services
from react_toolkit.network.models import MapEntry, MapVersion, Needs, Suggestion
from react_toolkit.resources.models import Resource
from tests.conftest import PASSWORD, post

MODELS = (MapEntry, MapVersion, Needs, Suggestion)


def _map_for(user, label: str) -> Resource:
    services.add_entry(user, {"label": label, "kind": "person", "circle": 1, "gives": ["talk"]})
    services.add_entry(user, {"label": "Biscuit", "kind": "pet", "circle": 2, "gives": ["company"]})
    services.save_needs(user, {"helps_most": ["break"], "ways": ["online"], "travel": "home", "place": "NG7"})
    helpline = db.session.scalar(select(Resource).where(Resource.name == "Sitting service"))
    if helpline is None:
        helpline = Resource(name="Sitting service", category="carers", description="Breaks.", support="break")
        db.session.add(helpline)
        db.session.commit()
    shown, _declined = services.suggestions(user)
    assert [s.resource.name for s in shown] == ["Sitting service"]
    services.respond(user, helpline, "followed")
    return helpline


def rows(user) -> dict[str, int]:
    db.session.expire_all()
    return {
        model.__tablename__: db.session.scalar(select(func.count()).where(model.user_id == user.id))
        for model in MODELS
    }


def test_the_download_holds_the_map_its_history_needs_and_suggestions(client, create_user, login):
    relative = create_user(R.RELATIVE)
    other = create_user(R.RELATIVE, team=relative.team)
    helpline = _map_for(relative, "Auntie Pat")
    _map_for(other, "Someone Else")
    login(relative)
    data = json.loads(client.get("/account/data").get_data(as_text=True))

    assert [(e["label"], e["circle"], e["gives"]) for e in data["support_map"]] == [
        ("Auntie Pat", 1, ["talk"]),
        ("Biscuit", 2, ["company"]),
    ]
    assert [v["change"] for v in data["support_map_history"]] == ["added", "added"]
    assert [e["label"] for e in data["support_map_history"][0]["entries"]] == ["Auntie Pat"]
    assert data["support_needs"] | {"updated_at": None} == {
        "helps_most": ["break"],
        "ways": ["online"],
        "times": [],
        "travel": "home",
        "interests": [],
        "postcode_area": "NG7",
        "updated_at": None,
    }
    [suggestion] = data["support_suggestions"]
    assert suggestion["resource_id"] == helpline.id and suggestion["contacted_or_went_at"]
    assert "Someone Else" not in json.dumps(data)


def test_erasing_the_account_erases_the_map_and_leaves_another_relatives(client, create_user, login):
    relative = create_user(R.RELATIVE)
    other = create_user(R.RELATIVE, team=relative.team)
    _map_for(relative, "Auntie Pat")
    _map_for(other, "Someone Else")
    assert rows(relative) == {
        "network_entries": 2,
        "network_versions": 2,
        "network_needs": 1,
        "network_suggestions": 1,
    }
    login(relative)
    response = post(client, "/account/delete", {"password": PASSWORD}, token_from="/account/delete")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/deleted")

    assert rows(relative) == dict.fromkeys(rows(relative), 0)
    assert rows(other) == {
        "network_entries": 2,
        "network_versions": 2,
        "network_needs": 1,
        "network_suggestions": 1,
    }
    everything = " ".join(
        str(value)
        for model in MODELS
        for row in db.session.scalars(select(model))
        for value in vars(row).values()
    )
    assert "Auntie Pat" not in everything and "Someone Else" in everything
