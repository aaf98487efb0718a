"""A relative who did not agree to research use is in no export, not even as the object of someone else's event.

Staff open relatives' accounts, erase one, and add a member of staff; relatives who agreed and
relatives who did not use the toolkit. Every format of every export is then searched for each
relative's pseudonym: only those who agreed may be found. Before, the page views of
/admin/relatives/<id>/erase kept the relative's id as the event's object, and the export turned
it into the same pseudonym it gives actors.
"""

from __future__ import annotations

import io

import pyarrow.parquet as pq
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.extensions import db
from react_toolkit.research.exports import pseudonym
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.research.conftest import COMBINATIONS, read, run_export


def as_text(fmt: str, data: bytes) -> str:
    if fmt == "parquet":
        return repr(pq.read_table(io.BytesIO(data)).to_pylist())
    return data.decode("utf-8")


def test_no_export_names_a_relative_who_did_not_agree(app, create_team, create_user, login, client):
    team = create_team()
    agreed = [create_user(R.RELATIVE, team=team) for _ in range(2)]
    declined = [create_user(R.RELATIVE, team=team) for _ in range(3)]
    for person in agreed:
        person.research_consent = True
    db.session.commit()
    admin = create_user(R.ADMIN)
    lead = create_user(R.SITE_LEAD, team=team)

    for person in agreed + declined:
        browser = app.test_client()
        login(person, the_client=browser)
        browser.get("/modules")
        browser.get("/account")

    login(admin)
    for person in agreed + declined:
        assert client.get(f"/admin/relatives/{person.id}/erase").status_code == 200
    # A form sent without a reason is shown again (400): another page view naming the relative.
    erase = f"/admin/relatives/{declined[0].id}/erase"
    assert post(client, erase, {"reason": ""}, token_from=erase).status_code == 400
    erased = f"/admin/relatives/{declined[1].id}/erase"
    assert post(client, erased, {"reason": "Asked by letter"}, token_from=erased).status_code == 302
    auth_services.create_staff_account(
        lead, email="new.starter@example.org", full_name="New Starter", roles=[R.CLINICIAN],
        site_id=team.site_id, team_id=team.id,
    )  # fmt: skip

    key = app.config["USAGE_PSEUDONYM_KEY"]
    for kind, fmt in COMBINATIONS:
        data, _record = run_export(kind, fmt)
        text = as_text(fmt, data)
        for person in declined:
            assert pseudonym(person.id, key) not in text, (kind, fmt, person.id)
        if kind == "usage":
            for person in agreed:
                assert pseudonym(person.id, key) in text, (kind, fmt)  # the search would find one
            rows = read(fmt, data)
            if fmt == "xapi":
                objects = [row["object"]["id"] for row in rows]
                assert not [iri for iri in objects if "/activities/user/" in iri]
            else:
                assert {row["object_id"] or None for row in rows if row["object_type"] == "user"} == {None}

    # Nor does the database keep them: each event about a person says so, with no id.
    person_events = db.session.scalars(select(UsageEvent).where(UsageEvent.object_type == "user")).all()
    assert len(person_events) >= len(agreed + declined) + 2
    assert {event.object_id for event in person_events} == {None}


def test_a_page_naming_a_person_records_the_kind_of_object_without_its_id(app, client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(create_user(R.ADMIN))
    client.get(f"/admin/relatives/{relative.id}/erase")
    event = db.session.scalar(
        select(UsageEvent).where(UsageEvent.route == "/admin/relatives/<int:user_id>/erase")
    )
    assert (event.object_type, event.object_id) == ("user", None)
    assert event.user_id != relative.id
