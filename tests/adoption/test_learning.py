"""The staff learning area: modules read with the relatives' loader, completion per person, champions."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from react_toolkit.adoption import STAFF_MODULES_DIR, learning
from react_toolkit.adoption.models import StaffModuleCompletion
from react_toolkit.auth import roles as R
from react_toolkit.core.content import ContentError
from react_toolkit.extensions import db
from react_toolkit.modules.content import parse_directory
from tests.conftest import post

SLUGS = [
    "the-toolkit-and-the-evidence",
    "introducing-it-in-two-minutes",
    "inviting",
    "the-forum-supporters-and-risk",
    "being-a-supporter",
    "being-a-moderator",
]


def test_the_shipped_staff_modules_load_in_order_and_claim_no_review(app):
    assert [module.slug for module in learning.all_modules()] == SLUGS
    for module in learning.all_modules():
        assert module.author_role == "REACT toolkit project team"
        text = module.path.read_text(encoding="utf-8")
        assert "reviewed" not in text.split("---")[1]


def test_the_risk_module_gives_the_measured_detection_figures_from_the_safety_case():
    safety = (Path(STAFF_MODULES_DIR).parent.parent / "docs" / "clinical-safety.md").read_text(
        encoding="utf-8"
    )
    module = (STAFF_MODULES_DIR / "04-the-forum-supporters-and-risk.md").read_text(encoding="utf-8")
    # The figures quoted are the held-out set's, as the clinical safety notes give them.
    assert "| All risk posts | 220 | 0.945 (precision 0.816) | |" in safety
    assert "found 94.5% of the risk posts" in module and "81.6%" in module
    assert "6 of 37" in module and "(6 of 37 missed)" in safety
    assert "| Phrases alone, all risk posts | 220 | 0.250" in safety and "only 25%" in module
    for contact in ("999", "NHS 111", "116 123", "SHOUT to 85258", "crisis number"):
        assert contact in module


def test_a_staff_module_with_a_retired_review_field_is_refused(tmp_path):
    text = (STAFF_MODULES_DIR / "03-inviting.md").read_text(encoding="utf-8")
    (tmp_path / "bad.md").write_text(text.replace("sources: []", "sources: []\nlast_reviewed: 2026-12-01"))
    with pytest.raises(ContentError, match="last_reviewed"):
        parse_directory(tmp_path)


def test_a_clinician_reads_a_module_and_marks_it_finished_once(client, create_user, login):
    clinician = create_user(R.CLINICIAN)
    login(clinician)
    listing = client.get("/staff/learning").get_data(as_text=True)
    assert "You have finished 0 of 6 modules." in listing
    page = client.get("/staff/learning/inviting").get_data(as_text=True)
    assert "Two ways to invite" in page and "I have finished this module" in page
    response = post(client, "/staff/learning/inviting/done", token_from="/staff/learning/inviting")
    assert response.status_code == 302
    again = post(client, "/staff/learning/inviting/done", token_from="/staff/learning/inviting")
    assert again.status_code == 302
    rows = db.session.scalars(
        select(StaffModuleCompletion).where(StaffModuleCompletion.user_id == clinician.id)
    )
    assert [row.module_slug for row in rows] == ["inviting"]
    assert "You have finished 1 of 6 modules." in client.get("/staff/learning").get_data(as_text=True)
    assert "You finished this module on" in client.get("/staff/learning/inviting").get_data(as_text=True)


def test_a_module_that_does_not_exist_is_not_found_and_records_nothing(client, create_user, login):
    login(create_user(R.SUPPORTER))
    assert client.get("/staff/learning/no-such-module").status_code == 404
    response = post(client, "/staff/learning/no-such-module/done", token_from="/staff/learning")
    assert response.status_code == 404
    assert db.session.scalar(select(StaffModuleCompletion.id)) is None


def test_relatives_cannot_open_the_staff_learning_area(client, create_user, login):
    login(create_user(R.RELATIVE))
    assert client.get("/staff/learning").status_code == 403
    assert client.get("/staff/learning/inviting").status_code == 403


def test_completion_needs_the_csrf_token(client, create_user, login):
    clinician = create_user(R.CLINICIAN)
    login(clinician)
    assert client.post("/staff/learning/inviting/done").status_code == 400
    assert db.session.scalar(select(StaffModuleCompletion.id)) is None


def test_colleagues_see_their_team_s_champions_and_not_another_team_s(
    client, create_user, create_team, login
):
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site)
    champion = create_user(R.CLINICIAN, team=team)
    colleague = create_user(R.CLINICIAN, team=team)
    elsewhere = create_user(R.CLINICIAN, team=create_team(team.site))
    login(lead)
    response = post(
        client,
        f"/staff/adoption/teams/{team.id}/champions",
        {"champion_id": champion.id},
        token_from=f"/staff/adoption/teams/{team.id}",
    )
    assert response.status_code == 302
    client.get("/sign-out")
    other = client.application.test_client()
    login(colleague, the_client=other)
    assert champion.full_name in other.get("/staff/learning").get_data(as_text=True)
    third = client.application.test_client()
    login(elsewhere, the_client=third)
    assert champion.full_name not in third.get("/staff/learning").get_data(as_text=True)


def test_a_champion_must_be_staff_of_the_team(client, create_user, create_team, login):
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site)
    outsider = create_user(R.CLINICIAN, team=create_team(team.site))
    relative = create_user(R.RELATIVE, team=team)
    login(lead)
    for person in (outsider, relative):
        response = post(
            client,
            f"/staff/adoption/teams/{team.id}/champions",
            {"champion_id": person.id},
            token_from=f"/staff/adoption/teams/{team.id}",
        )
        assert response.status_code == 422
        assert "Choose a member of this team" in response.get_data(as_text=True)


def test_a_site_lead_removes_a_champion(client, create_user, create_team, login):
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site)
    champion = create_user(R.SUPPORTER, team=team)
    login(lead)
    page = f"/staff/adoption/teams/{team.id}"
    post(client, f"{page}/champions", {"champion_id": champion.id}, token_from=page)
    assert f"Remove {champion.full_name} as a champion" in client.get(page).get_data(as_text=True)
    response = post(client, f"{page}/champions/remove", {"champion_id": champion.id}, token_from=page)
    assert response.status_code == 302
    assert "This team has no champion yet." in client.get(page).get_data(as_text=True)
    assert (
        post(client, f"{page}/champions/remove", {"champion_id": champion.id}, token_from=page).status_code
        == 422
    )


def test_a_site_lead_cannot_manage_another_trust_s_team(client, create_user, create_team, login):
    mine, theirs = create_team(), create_team()
    lead = create_user(R.SITE_LEAD, site=mine.site)
    staff = create_user(R.CLINICIAN, team=theirs)
    login(lead)
    assert client.get(f"/staff/adoption/teams/{theirs.id}").status_code == 403
    response = post(client, f"/staff/adoption/teams/{theirs.id}/champions", {"champion_id": staff.id})
    assert response.status_code == 403
