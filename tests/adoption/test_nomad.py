"""NoMAD: the survey as data, waves a site lead opens and closes, answers once each, results with small numbers hidden."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from react_toolkit.adoption import NOMAD_FILE, figures, nomad, services
from react_toolkit.adoption.models import NomadResponse, NomadWave
from react_toolkit.auth import roles as R
from react_toolkit.core.content import ContentError
from react_toolkit.core.refusal import Refusal
from react_toolkit.dashboard.present import Presenter
from react_toolkit.extensions import db
from tests.conftest import post


def answers(value: int = 4, **overrides: int) -> dict[str, int]:
    found = {item.key: value for item in nomad.survey().items}
    found.update(overrides)
    return found


def form(value: int = 4, **overrides: int) -> dict[str, str]:
    return {key: str(answer) for key, answer in answers(value, **overrides).items()}


def test_the_survey_has_twenty_statements_in_four_constructs_and_says_its_source(app):
    survey = nomad.survey()
    assert len(survey.items) == 20
    assert [len(survey.items_of(c.key)) for c in survey.constructs] == [4, 4, 7, 5]
    assert "Finch TL" in survey.source and "Rapley T" in survey.source
    assert [item.key for item in survey.items if item.reversed] == ["b10"]
    # Nobody has checked the wording against the published instrument yet, and the file says so.
    assert survey.wording_checked is False
    assert "NOT been checked" in NOMAD_FILE.read_text(encoding="utf-8")


def test_a_survey_file_without_twenty_statements_is_refused(tmp_path):
    text = NOMAD_FILE.read_text(encoding="utf-8")
    shorter = "\n".join(line for line in text.splitlines() if "key: b20" not in line)
    (tmp_path / "nomad.yaml").write_text(shorter)
    with pytest.raises(ContentError, match="20 statements"):
        nomad.load(tmp_path / "nomad.yaml")


def test_a_site_lead_opens_one_wave_at_a_time_and_closes_it(client, create_user, create_site, login):
    site = create_site()
    lead = create_user(R.SITE_LEAD, site=site)
    login(lead)
    empty = post(client, "/staff/nomad/waves", {"title": ""}, token_from="/staff/nomad")
    assert empty.status_code == 422 and "Enter a name for the wave" in empty.get_data(as_text=True)
    assert (
        post(client, "/staff/nomad/waves", {"title": "Spring"}, token_from="/staff/nomad").status_code == 302
    )
    second = post(client, "/staff/nomad/waves", {"title": "Summer"}, token_from="/staff/nomad")
    assert second.status_code == 409 and "already open" in second.get_data(as_text=True)
    assert 'value="Summer"' in second.get_data(as_text=True)  # what was typed is kept
    wave = db.session.scalar(select(NomadWave))
    assert wave.site_id == site.id and wave.is_open
    assert post(client, f"/staff/nomad/waves/{wave.id}/close", token_from="/staff/nomad").status_code == 302
    db.session.refresh(wave)
    assert wave.closed_at is not None
    assert (
        post(client, "/staff/nomad/waves", {"title": "Summer"}, token_from="/staff/nomad").status_code == 302
    )


def test_staff_answer_once_and_see_the_survey_on_home_until_then(client, create_user, create_team, login):
    team = create_team()
    lead = create_user(R.SITE_LEAD, site=team.site)
    wave = services.open_wave(lead, team.site_id, "Spring")
    clinician = create_user(R.CLINICIAN, team=team)
    login(clinician)
    assert "A short survey about the toolkit in your work" in client.get("/").get_data(as_text=True)
    page = client.get(f"/staff/nomad/waves/{wave.id}").get_data(as_text=True)
    assert "I can see the potential value of the toolkit for my work" in page
    assert "Finch TL et al. 2015" in page
    missing = post(client, f"/staff/nomad/waves/{wave.id}/answers", {"b1": "5"}, token_from="/staff/nomad")
    assert missing.status_code == 422
    assert "Choose how much you agree with this statement" in missing.get_data(as_text=True)
    assert 'value="5" checked' in missing.get_data(as_text=True)  # the answer given is kept
    sent = post(client, f"/staff/nomad/waves/{wave.id}/answers", form(5, b10=1), token_from="/staff/nomad")
    assert sent.status_code == 302
    response = db.session.scalar(select(NomadResponse))
    assert response.user_id == clinician.id and response.team_id == team.id and response.answers["b10"] == 1
    assert "A short survey" not in client.get("/").get_data(as_text=True)
    again = post(client, f"/staff/nomad/waves/{wave.id}/answers", form(3), token_from="/staff/nomad")
    assert again.status_code == 409
    assert db.session.scalar(select(NomadResponse.answers)) == answers(5, b10=1)


def test_a_closed_wave_takes_no_answers(app, create_user, create_team):
    team = create_team()
    wave = services.open_wave(create_user(R.SITE_LEAD, site=team.site), team.site_id, "Spring")
    services.close_wave(wave)
    with pytest.raises(Refusal) as refused:
        services.save_answers(create_user(R.CLINICIAN, team=team), wave, answers())
    assert refused.value.status == 409


def test_staff_of_another_trust_cannot_see_or_answer_a_wave(client, create_user, create_team, login):
    team = create_team()
    wave = services.open_wave(create_user(R.SITE_LEAD, site=team.site), team.site_id, "Spring")
    stranger = create_user(R.SUPPORTER, team=create_team())
    login(stranger)
    assert client.get(f"/staff/nomad/waves/{wave.id}").status_code == 404
    assert (
        post(client, f"/staff/nomad/waves/{wave.id}/answers", form(), token_from="/staff/nomad").status_code
        == 404
    )
    assert db.session.scalar(select(NomadResponse.id)) is None


def test_a_site_lead_cannot_close_another_trust_s_wave(client, create_user, create_team, login):
    team = create_team()
    wave = services.open_wave(create_user(R.SITE_LEAD, site=team.site), team.site_id, "Spring")
    login(create_user(R.SITE_LEAD, site=create_team().site))
    assert post(client, f"/staff/nomad/waves/{wave.id}/close", token_from="/staff/nomad").status_code == 403
    db.session.refresh(wave)
    assert wave.is_open


def _answered_wave(create_user, team, other_team, count: int, other_count: int, value: int = 4):
    lead = create_user(R.SITE_LEAD, site=team.site)
    wave = services.open_wave(lead, team.site_id, "Spring")
    for _ in range(count):
        services.save_answers(create_user(R.CLINICIAN, team=team), wave, answers(value, b10=2, b20=0))
    for _ in range(other_count):
        services.save_answers(create_user(R.SUPPORTER, team=other_team), wave, answers(2, b10=4))
    return lead, wave


def test_results_per_construct_and_item_reverse_the_negative_statement_and_leave_out_not_relevant(
    app, create_user, create_team
):
    team = create_team()
    other = create_team(team.site)
    _lead, _wave = _answered_wave(create_user, team, other, 5, 0)
    [result] = figures.nomad_results(team.site)
    row = next(row for row in result.teams if row.name == team.name)
    assert row.respondents == 5
    assert row.item_means["b1"] == 4
    assert row.item_means["b10"] == 4  # "disrupts" answered 2 (disagree) counts as 4
    assert row.item_means["b20"] is None and row.item_counts["b20"] == 0  # all "not relevant"
    assert row.construct_means["collective_action"] == 4
    assert row.construct_means["reflexive_monitoring"] == 4  # b20 left out, not counted as 0
    other_row = next(row for row in result.teams if row.name == other.name)
    assert other_row.respondents == 0 and other_row.construct_means["coherence"] is None


def test_fewer_than_five_people_give_no_mean_and_their_count_is_protected(app, create_user, create_team):
    team = create_team()
    other = create_team(team.site)
    _answered_wave(create_user, team, other, 6, 2)
    results = figures.nomad_results(team.site)
    small = next(row for row in results[0].teams if row.name == other.name)
    assert small.respondents == 2 and small.construct_means["coherence"] is None
    assert all(value is None for value in small.item_means.values())
    assert results[0].trust.respondents == 8 and results[0].trust.construct_means["coherence"] is not None
    show = Presenter(exact=False)
    figures.protect_results(show, results)
    assert show.cell(small, "respondents") == "<5"
    # The trust's total less the other teams would give the small count away: another is hidden too.
    hidden = [row for row in results[0].teams if show.cell(row, "respondents") in ("<5", "*")]
    assert len(hidden) >= 2 and any(show.cell(row, "respondents") == "*" for row in hidden)


def test_the_results_page_compares_waves_and_hides_small_counts(client, create_user, create_team, login):
    team = create_team()
    other = create_team(team.site)
    lead, wave = _answered_wave(create_user, team, other, 5, 1, value=3)
    services.close_wave(wave)
    second = services.open_wave(lead, team.site_id, "Autumn")
    for _ in range(5):
        services.save_answers(create_user(R.CLINICIAN, team=team), second, answers(5, b10=1))
    login(lead)
    page = client.get("/staff/nomad/results").get_data(as_text=True)
    constructs = re.search(r'id="nomad-constructs".*?</table>', page, re.S).group(0)
    assert constructs.index("Spring") < constructs.index("Autumn")
    assert ">3.0<" in constructs and ">5.0<" in constructs
    assert "&lt;5" in constructs
    assert "BMC Medical Research Methodology" in page


def test_only_site_leads_and_admins_read_results(client, create_user, create_team, login):
    team = create_team()
    login(create_user(R.CLINICIAN, team=team))
    assert client.get("/staff/nomad/results").status_code == 403
    assert client.get("/staff/adoption").status_code == 403


def test_a_site_lead_cannot_read_another_trust_s_results(client, create_user, create_team, login):
    mine, theirs = create_team(), create_team()
    login(create_user(R.SITE_LEAD, site=mine.site))
    assert client.get(f"/staff/nomad/results?site={theirs.site_id}").status_code == 403


def test_answers_that_are_not_on_the_scale_are_explained_in_our_words(
    client, create_user, create_team, login
):
    team = create_team()
    wave = services.open_wave(create_user(R.SITE_LEAD, site=team.site), team.site_id, "Spring")
    login(create_user(R.CLINICIAN, team=team))
    response = post(
        client, f"/staff/nomad/waves/{wave.id}/answers", form(4, b1="lots", b2=9), token_from="/staff/nomad"
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.count("Choose how much you agree with this statement") >= 2 and "coerce" not in html
    assert db.session.scalar(select(NomadResponse.id)) is None
