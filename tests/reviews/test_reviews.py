"""Clinical reviews are recorded by the reviewer, shown only when real, and tied to the version they read."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.modules import services as module_services
from react_toolkit.modules.models import Module
from react_toolkit.reviews import services
from react_toolkit.reviews.models import LawChange, ModuleReview
from react_toolkit.timeutil import set_clock
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.modules.conftest import CONTENT_DIR
from tests.reviews.conftest import review_form

NOT_CHECKED = "This page has not yet been checked by a clinician."


@pytest.fixture(autouse=True)
def clock():
    set_clock(datetime(2026, 12, 8, 10, 0, tzinfo=UTC))
    yield
    set_clock(None)


def module(slug: str) -> Module:
    db.session.expire_all()
    return db.session.scalar(select(Module).where(Module.slug == slug))


def record(client, slug: str, **changes):
    path = f"/modules/{slug}/reviews/new"
    return post(client, path, review_form(module(slug), **changes), token_from=path)


def test_no_page_claims_a_review_that_has_no_record(app, content, client, create_user, login):
    assert db.session.scalar(select(ModuleReview.id)) is None
    login(create_user(R.RELATIVE))
    modules = module_services.published_modules()
    assert len(modules) >= 14
    for each in modules:
        for path in (f"/modules/{each.slug}", f"/modules/{each.slug}/1"):
            html = client.get(path).get_data(as_text=True)
            assert NOT_CHECKED in html, path
            assert "Checked by" not in html and "checked by an" not in html.lower(), path
    client = login(the_client=app.test_client(), user=create_user(R.CONTENT_REVIEWER))
    html = client.get("/modules/content-status").get_data(as_text=True)
    assert html.count("Not yet checked by a clinician") == len(modules)
    assert "Checked by" not in html and "Out of date" not in html


def test_a_reviewer_records_a_review_and_the_module_page_shows_it(content, client, create_user, login):
    reviewer = create_user(R.CONTENT_REVIEWER)
    login(reviewer)
    response = record(client, "what-is-psychosis")
    assert response.status_code == 302
    row = db.session.scalar(select(ModuleReview))
    target = module("what-is-psychosis")
    assert (row.reviewer_id, row.module_id, row.module_hash) == (reviewer.id, target.id, target.source_hash)
    assert (row.registration_body, row.registration_number, row.reviewed_on) == (
        "GMC",
        "7654321",
        date(2026, 12, 7),
    )
    html = client.get("/modules/what-is-psychosis").get_data(as_text=True)
    assert "Checked by Ama Owusu, Consultant psychiatrist, EIP team, on 7 December 2026." in html
    assert "Registered with the GMC, number 7654321." in html
    assert NOT_CHECKED not in html
    # Other modules still say plainly that nobody has checked them.
    assert NOT_CHECKED in client.get("/modules/what-is-bipolar-disorder").get_data(as_text=True)
    event = db.session.scalar(select(UsageEvent).where(UsageEvent.name == "reviews.review.recorded"))
    assert (event.object_type, event.object_id) == ("module", str(target.id))


@pytest.mark.parametrize("role", [R.RELATIVE, R.CLINICIAN, R.SUPPORTER, R.SITE_LEAD, R.ADMIN])
def test_only_a_content_reviewer_can_record_a_review(content, client, create_user, login, role):
    login(create_user(role))
    assert client.get("/modules/what-is-psychosis/reviews/new").status_code == 403
    assert record(client, "what-is-psychosis").status_code == 403
    assert db.session.scalar(select(ModuleReview.id)) is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"registration_number": ""}, "registration_number", "Enter your registration number"),
        (
            {"registration_body": "none", "registration_number": "123"},
            "registration_number",
            "Leave the registration",
        ),
        ({"reviewed_on": "2026-12-09"}, "reviewed_on", "today or in the past"),
        ({"reviewed_on": "next week"}, "reviewed_on", "like 2026-12-07"),
        ({"reviewer_kind": ""}, "reviewer_kind", "Choose what kind of reviewer you are"),
        ({"checked": ""}, "checked", "Say what you checked"),
    ],
)
def test_bad_review_input_is_refused_next_to_the_field_and_kept(
    content, client, create_user, login, changes, field, message
):
    login(create_user(R.CONTENT_REVIEWER))
    response = record(client, "what-is-psychosis", reviewer_name="Dr Kept Name", **changes)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and 'value="Dr Kept Name"' in html
    assert db.session.scalar(select(ModuleReview.id)) is None


def test_a_form_opened_before_the_text_changed_is_refused(content, client, create_user, login):
    login(create_user(R.CONTENT_REVIEWER))
    response = record(client, "what-is-psychosis", module_hash="0" * 64)
    assert response.status_code == 409
    assert "changed after you opened the form" in response.get_data(as_text=True)
    assert db.session.scalar(select(ModuleReview.id)) is None


def test_editing_the_text_after_a_review_marks_it_as_for_an_older_version(
    app, tmp_path, client, create_user, login
):
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    module_services.sync_content(folder)
    login(create_user(R.CONTENT_REVIEWER))
    assert record(client, "what-is-psychosis").status_code == 302
    reviewed_hash = module("what-is-psychosis").source_hash
    path = folder / "modules" / "02-what-is-psychosis.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "\nOne more plain sentence for readers.\n", encoding="utf-8"
    )
    module_services.sync_content(folder)
    assert module("what-is-psychosis").source_hash != reviewed_hash
    status = services.status_of(module("what-is-psychosis"))
    assert status.latest is None and [r.module_hash for r in status.older] == [reviewed_hash]
    html = client.get("/modules/what-is-psychosis").get_data(as_text=True)
    assert NOT_CHECKED in html and "An earlier version was checked on 7 December 2026." in html
    assert "Checked by Ama Owusu" not in html
    status_page = client.get("/modules/content-status").get_data(as_text=True)
    assert "Out of date" in status_page and "1 review is of an older version of the text." in status_page


def test_module_kinds_name_the_reviewers_still_missing(content, client, create_user, login):
    assert services.needed_reviewers(module("what-is-bipolar-disorder")) == ["eip-clinician", "pharmacist"]
    assert services.needed_reviewers(module("mental-health-services")) == [
        "eip-clinician",
        "amhp",
        "caldicott-guardian",
    ]
    login(create_user(R.CONTENT_REVIEWER))
    record(client, "what-is-bipolar-disorder")
    html = client.get("/modules/what-is-bipolar-disorder").get_data(as_text=True)
    assert "Still to be checked by:" in html and "Mental health pharmacist." in html
    assert services.status_of(module("what-is-bipolar-disorder")).missing == ["pharmacist"]
    record(
        client,
        "what-is-bipolar-disorder",
        reviewer_name="Sam Lee",
        professional_role="Mental health pharmacist",
        reviewer_kind="pharmacist",
        registration_body="GPhC",
        registration_number="2087654",
    )
    status = services.status_of(module("what-is-bipolar-disorder"))
    assert status.missing == [] and status.complete
    assert "Still to be checked by:" not in client.get("/modules/what-is-bipolar-disorder").get_data(
        as_text=True
    )


def test_a_law_marked_as_changed_flags_every_module_that_depends_on_it_until_reviewed_again(
    app, content, client, create_user, login
):
    reviewer = create_user(R.CONTENT_REVIEWER)
    admin = create_user(R.ADMIN)
    login(reviewer)
    record(client, "dealing-with-a-crisis")
    record(client, "what-is-psychosis")
    client = login(the_client=app.test_client(), user=admin)
    path = "/content/law-register/rcrp/changed"
    response = post(
        client, path, {"changed_on": "2026-12-08", "note": "New police guidance."}, token_from=path
    )
    assert response.status_code == 302
    change = db.session.scalar(select(LawChange))
    assert (change.entry_key, change.recorded_by_id) == ("rcrp", admin.id)
    flagged = services.status_of(module("dealing-with-a-crisis"))
    assert [c.entry_key for c in flagged.law_changes] == ["rcrp"] and not flagged.complete
    assert services.status_of(module("what-is-psychosis")).law_changes == []
    html = client.get("/modules/dealing-with-a-crisis").get_data(as_text=True)
    assert "has changed since it was last checked" in html
    assert "has changed since it was last checked" not in client.get("/modules/what-is-psychosis").get_data(
        as_text=True
    )
    assert "Law or guidance changed" in client.get("/modules/content-status").get_data(as_text=True)
    set_clock(datetime(2026, 12, 8, 11, 0, tzinfo=UTC))
    client = login(the_client=app.test_client(), user=reviewer)
    record(client, "dealing-with-a-crisis", reviewed_on="2026-12-08")
    assert services.status_of(module("dealing-with-a-crisis")).law_changes == []


@pytest.mark.parametrize("role", [R.CONTENT_REVIEWER, R.SUPPORTER, R.SITE_LEAD, R.RELATIVE])
def test_only_an_admin_marks_a_law_as_changed(content, client, create_user, login, role):
    login(create_user(role))
    path = "/content/law-register/rcrp/changed"
    response = client.post(path, data={"changed_on": "2026-12-08", "note": "x"})
    assert response.status_code in (400, 403)
    assert db.session.scalar(select(LawChange.id)) is None


def test_an_unknown_register_entry_or_a_future_date_is_refused(content, client, create_user, login):
    login(create_user(R.ADMIN))
    assert client.get("/content/law-register/not-a-law/changed").status_code == 404
    path = "/content/law-register/mha-2025/changed"
    response = post(client, path, {"changed_on": "2027-01-01", "note": "Typed note kept"}, token_from=path)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "today or in the past" in html and "Typed note kept" in html
    assert db.session.scalar(select(LawChange.id)) is None
