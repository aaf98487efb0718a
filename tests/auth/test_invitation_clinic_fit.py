"""Invitations that fit a clinic: a private label and record reference, resend, extend, the A5
handout and the inviter's home panel. The label and reference stay with the inviting team."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from react_toolkit.auth import services
from react_toolkit.auth.models import Invitation, User
from react_toolkit.dashboard.figures import Period, Scope, uptake
from react_toolkit.extensions import db
from react_toolkit.research import exports
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

LABEL = "JS Tuesday clinic"
REFERENCE = "CA-2026/0417"
RELATIVE = {
    "email": "carer@example.org",
    "forum_name": "Quiet Harbour",
    "password": "tea and toast at dawn",
    "terms": "y",
    "research_consent": "y",
}
ROOT = Path(__file__).resolve().parents[2]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def invite(client, **data):
    return post(client, "/invitations/new", data, token_from="/invitations/new")


def recording(site) -> None:
    site.record_invitation_reference = True
    db.session.commit()


def everything_recorded() -> str:
    """Every usage event row, every column, as one text to search."""
    rows = db.session.scalars(select(UsageEvent)).all()
    assert rows, "expected some usage events"
    return "\n".join(
        repr({column.name: getattr(row, column.key) for column in UsageEvent.__mapper__.columns})
        for row in rows
    )


# The label and the reference ------------------------------------------------------------------


def test_label_is_kept_and_shown_to_the_inviter(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    response = invite(client, method="code", team_id=clinician.team_id, label=f"  {LABEL} ")
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.label == LABEL
    page = client.get(f"/invitations/{invitation.id}").get_data(as_text=True)
    assert LABEL in page
    assert LABEL in client.get("/invitations").get_data(as_text=True)


def test_a_label_too_long_is_refused_beside_the_field_and_kept(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    long_label = "x" * 61
    response = invite(client, method="code", team_id=clinician.team_id, label=long_label)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="label-error"' in page
    assert "The label must be 60 characters or fewer" in page
    assert f'value="{long_label}"' in page
    assert db.session.scalar(select(Invitation)) is None


def test_the_reference_is_neither_asked_for_nor_kept_while_the_site_has_it_off(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    assert clinician.team.site.record_invitation_reference is False
    assert 'name="reference"' not in client.get("/invitations/new").get_data(as_text=True)
    response = invite(client, method="code", team_id=clinician.team_id, reference=REFERENCE)
    assert response.status_code == 302
    assert db.session.scalar(select(Invitation)).record_reference is None


def test_the_reference_is_kept_where_the_site_turns_it_on(client, create_user, login):
    clinician = create_user("clinician")
    recording(clinician.team.site)
    login(clinician)
    assert 'name="reference"' in client.get("/invitations/new").get_data(as_text=True)
    response = invite(client, method="code", team_id=clinician.team_id, reference=REFERENCE, label=LABEL)
    assert response.status_code == 302
    invitation = db.session.scalar(select(Invitation))
    assert invitation.record_reference == REFERENCE
    assert REFERENCE in client.get(f"/invitations/{invitation.id}").get_data(as_text=True)


def test_a_reference_with_odd_characters_is_refused_and_kept(client, create_user, login):
    clinician = create_user("clinician")
    recording(clinician.team.site)
    login(clinician)
    response = invite(client, method="code", team_id=clinician.team_id, reference="CA;DROP")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert 'id="reference-error"' in page
    assert "letters, numbers, spaces, full stops, dashes and slashes" in page
    assert 'value="CA;DROP"' in page


def test_only_the_inviting_team_sees_the_label_and_reference(app, create_user, login):
    clinician = create_user("clinician")
    site = clinician.team.site
    recording(site)
    invitation = services.create_invitation(
        clinician, clinician.team, "code", label=LABEL, reference=REFERENCE
    )
    # The site lead sees the invitation, as before, but not the team's private words.
    lead = create_user("site_lead", site=site, no_team=True)
    lead_client = login(lead, the_client=app.test_client())
    page = lead_client.get(f"/invitations/{invitation.id}")
    assert page.status_code == 200
    for text in (page.get_data(as_text=True), lead_client.get("/invitations").get_data(as_text=True)):
        assert LABEL not in text and REFERENCE not in text
    # A site lead who works in the team does see them.
    team_lead = create_user("site_lead", site=site, no_team=True)
    team_lead.team_id = clinician.team_id
    db.session.commit()
    team_client = login(team_lead, the_client=app.test_client())
    text = team_client.get(f"/invitations/{invitation.id}").get_data(as_text=True)
    assert LABEL in text and REFERENCE in text
    # An administrator sees the invitation, not the words.
    admin = create_user("admin")
    admin_client = login(admin, the_client=app.test_client())
    text = admin_client.get(f"/invitations/{invitation.id}").get_data(as_text=True)
    assert LABEL not in text and REFERENCE not in text
    # Another team's clinician, at the same site or not, cannot open it at all.
    other = create_user("clinician", site=site)
    other_client = login(other, the_client=app.test_client())
    assert other_client.get(f"/invitations/{invitation.id}").status_code == 404
    assert LABEL not in other_client.get("/invitations").get_data(as_text=True)
    assert LABEL not in other_client.get("/").get_data(as_text=True)


def test_turning_the_setting_off_removes_the_references_kept(app, client, create_user, login):
    clinician = create_user("clinician")
    site = clinician.team.site
    recording(site)
    invitation = services.create_invitation(clinician, clinician.team, "code", reference=REFERENCE)
    elsewhere = create_user("clinician")
    recording(elsewhere.team.site)
    theirs = services.create_invitation(elsewhere, elsewhere.team, "code", reference=REFERENCE)
    lead = create_user("site_lead", site=site, no_team=True)
    login(lead)
    path = f"/organisations/sites/{site.id}/settings"
    page = client.get(path).get_data(as_text=True)
    assert 'name="record_invitation_reference"' in page and "checked" in page
    response = post(client, path, {}, token_from=path)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).record_reference is None
    assert db.session.get(Invitation, theirs.id).record_reference == REFERENCE  # another trust's stay
    assert db.session.get(type(site), site.id).record_invitation_reference is False
    event = db.session.scalar(
        select(UsageEvent).where(UsageEvent.name == "organisations.site.settings_changed")
    )
    assert event.object_id == str(site.id)
    # Turning it on again asks for references on new invitations only.
    response = post(client, path, {"record_invitation_reference": "y"}, token_from=path)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(type(site), site.id).record_invitation_reference is True


def test_a_site_lead_cannot_change_another_trusts_settings(client, create_user, create_site, login):
    lead = create_user("site_lead", site=create_site(), no_team=True)
    other = create_site()
    login(lead)
    path = f"/organisations/sites/{other.id}/settings"
    assert client.get(path).status_code == 404
    response = post(client, path, {"record_invitation_reference": "y"})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(type(other), other.id).record_invitation_reference is False


def test_label_and_reference_stay_out_of_events_download_and_research_exports(client, create_user, login):
    clinician = create_user("clinician")
    recording(clinician.team.site)
    login(clinician)
    invite(client, method="code", team_id=clinician.team_id, label=LABEL, reference=REFERENCE)
    invitation = db.session.scalar(select(Invitation))
    assert invitation.record_reference == REFERENCE
    post(client, f"/invitations/{invitation.id}/extend", token_from=f"/invitations/{invitation.id}")
    post(client, f"/invitations/{invitation.id}/resend", token_from=f"/invitations/{invitation.id}")
    newest = db.session.scalar(select(Invitation).order_by(Invitation.id.desc()))
    post(client, "/sign-out", token_from="/")

    data = dict(RELATIVE, code=services.format_code(newest.code))
    assert post(client, "/register", data, token_from="/register").status_code == 302
    download = client.get("/account/data")
    assert download.status_code == 200
    text = download.get_data(as_text=True)
    json.loads(text)
    assert LABEL not in text and REFERENCE not in text
    assert services.format_code(newest.code) not in text

    recorded = everything_recorded()
    assert LABEL not in recorded and REFERENCE not in recorded
    names = set(db.session.scalars(select(UsageEvent.name)))
    assert {"auth.invitation.sent", "auth.invitation.extended", "auth.invitation.resent"} <= names

    for kind, formats in exports.FORMATS.items():
        for fmt in formats:
            out = io.BytesIO()
            exports.write_export(out, kind, fmt, key="research-key", window=exports.Window())
            body = out.getvalue()
            assert LABEL.encode() not in body and REFERENCE.encode() not in body, (kind, fmt)


def test_erasing_the_relative_forgets_the_label_and_reference(client, create_user, login):
    clinician = create_user("clinician")
    recording(clinician.team.site)
    invitation = services.create_invitation(
        clinician, clinician.team, "email", "carer@example.org", label=LABEL, reference=REFERENCE
    )
    # A code sent again: the relative takes up the second, and the first holds the same label.
    first_code = services.create_invitation(
        clinician, clinician.team, "code", label=LABEL, reference=REFERENCE
    )
    second_code = services.resend_invitation(clinician, first_code)
    someone_else = services.create_invitation(clinician, clinician.team, "code", label="AB", reference="X1")
    data = dict(RELATIVE, code=services.format_code(second_code.code))
    assert post(client, "/register", data, token_from="/register").status_code == 302
    path = "/account/delete"
    assert post(client, path, {"password": RELATIVE["password"]}, token_from=path).status_code == 302
    db.session.expire_all()
    for invitation_id in (invitation.id, first_code.id, second_code.id):
        row = db.session.get(Invitation, invitation_id)
        assert (row.email, row.label, row.record_reference) == (None, "", None)
    other = db.session.get(Invitation, someone_else.id)
    assert (other.label, other.record_reference) == ("AB", "X1")


# Resend and extend -----------------------------------------------------------------------------


def test_resending_a_code_gives_a_new_code_and_stops_the_old(client, create_user, login, clock):
    clock.set(clock.moment)  # held still, to compare times exactly
    clinician = create_user("clinician")
    login(clinician)
    first = services.create_invitation(clinician, clinician.team, "code", label=LABEL)
    old_code = first.code
    path = f"/invitations/{first.id}"
    response = post(client, f"{path}/resend", token_from=path)
    assert response.status_code == 302
    db.session.expire_all()
    again = db.session.scalar(select(Invitation).where(Invitation.id != first.id))
    assert response.headers["Location"].endswith(f"/invitations/{again.id}")
    assert again.code != old_code
    assert (again.label, again.team_id, again.invited_by_id, again.resent_from_id) == (
        LABEL,
        first.team_id,
        clinician.id,
        first.id,
    )
    assert again.expires_at == now() + timedelta(days=14)
    assert db.session.get(Invitation, first.id).revoked_at == now()
    with pytest.raises(services.ServiceError):
        services.check_invitation(old_code)
    assert services.check_invitation(again.code).id == again.id
    page = client.get(path).get_data(as_text=True)
    assert "sent again with a new code" in page
    assert f"/invitations/{again.id}" in page
    event = db.session.scalar(select(UsageEvent).where(UsageEvent.name == "auth.invitation.resent"))
    assert event.object_id == str(again.id) and event.user_id == clinician.id

    # Sent again a second time: the chain still names the first invitation.
    post(client, f"/invitations/{again.id}/resend", token_from=f"/invitations/{again.id}")
    third = db.session.scalar(select(Invitation).order_by(Invitation.id.desc()))
    assert third.id not in (first.id, again.id) and third.resent_from_id == first.id
    assert services.resent_as(again).id == third.id


def test_resending_an_email_invitation_emails_the_new_code(client, create_user, login, outbox):
    clinician = create_user("clinician")
    login(clinician)
    first = services.create_invitation(clinician, clinician.team, "email", "Family@Example.org")
    assert len(outbox) == 1
    path = f"/invitations/{first.id}"
    assert post(client, f"{path}/resend", token_from=path).status_code == 302
    again = db.session.scalar(select(Invitation).where(Invitation.id != first.id))
    assert again.email == "family@example.org"
    assert len(outbox) == 2 and outbox[1].to == "family@example.org"
    assert f"/register/{again.code}" in outbox[1].body
    assert first.code not in outbox[1].body


def test_a_used_or_withdrawn_invitation_cannot_be_resent_or_extended(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    used = services.create_invitation(clinician, clinician.team, "code")
    used.accepted_at = now()
    withdrawn = services.create_invitation(clinician, clinician.team, "code")
    withdrawn.revoked_at = now()
    db.session.commit()
    for invitation, words in ((used, "has been used"), (withdrawn, "was withdrawn")):
        expires_at = invitation.expires_at
        path = f"/invitations/{invitation.id}"
        for action in ("resend", "extend"):
            response = post(client, f"{path}/{action}", token_from=path)
            assert response.status_code == 409, action
            assert words in response.get_data(as_text=True)
        db.session.expire_all()
        assert db.session.get(Invitation, invitation.id).expires_at == expires_at
    assert db.session.scalar(select(Invitation.id).where(Invitation.resent_from_id.is_not(None))) is None


def test_extending_gives_fourteen_days_from_now_with_the_same_code(client, create_user, login, clock):
    clinician = create_user("clinician")
    invitation = services.create_invitation(clinician, clinician.team, "code")
    code = invitation.code
    clock.advance(days=20)  # expired six days ago
    login(clinician)
    path = f"/invitations/{invitation.id}"
    assert "expired" in client.get(path).get_data(as_text=True)
    response = post(client, f"{path}/extend", token_from=path)
    assert response.status_code == 302
    db.session.expire_all()
    row = db.session.get(Invitation, invitation.id)
    assert row.expires_at == now() + timedelta(days=14)
    assert row.code == code and row.status(now()) == "waiting"
    assert services.check_invitation(code).id == invitation.id
    event = db.session.scalar(select(UsageEvent).where(UsageEvent.name == "auth.invitation.extended"))
    assert event.object_id == str(invitation.id)


def test_another_teams_clinician_cannot_resend_extend_or_print(app, create_user, login):
    mine = create_user("clinician")
    invitation = services.create_invitation(mine, mine.team, "code")
    expires_at = invitation.expires_at
    other = create_user("clinician", site=mine.team.site)
    other_client = login(other, the_client=app.test_client())
    for action in ("resend", "extend"):
        assert post(other_client, f"/invitations/{invitation.id}/{action}").status_code == 404
    assert other_client.get(f"/invitations/{invitation.id}/handout").status_code == 404
    db.session.expire_all()
    assert db.session.scalar(select(Invitation.id).where(Invitation.id != invitation.id)) is None
    assert db.session.get(Invitation, invitation.id).expires_at == expires_at


def test_resend_and_extend_need_the_form_token(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    invitation = services.create_invitation(clinician, clinician.team, "code")
    for action in ("resend", "extend"):
        response = client.post(f"/invitations/{invitation.id}/{action}", data={})
        assert response.status_code == 400, action
    db.session.expire_all()
    assert db.session.get(Invitation, invitation.id).revoked_at is None


def test_a_resent_code_counts_as_one_relative_on_the_dashboard(app, create_user, clock):
    clock.set(at("2026-03-10T09:00:00"))
    clinician = create_user("clinician")
    first = services.create_invitation(clinician, clinician.team, "code")
    again = services.resend_invitation(clinician, first)
    services.resend_invitation(clinician, again)
    services.create_invitation(clinician, clinician.team, "code")  # someone else
    teams, _sites, _total = uptake(Period(date(2026, 3, 1), date(2026, 4, 1)), Scope(None))
    row = next(row for row in teams if row.team_id == clinician.team_id)
    assert row.invites == 4
    assert row.relatives_invited == 2


# The handout -----------------------------------------------------------------------------------


def test_the_handout_has_the_code_address_qr_and_crisis_numbers_but_no_private_words(
    app, client, create_user, login
):
    clinician = create_user("clinician")
    recording(clinician.team.site)
    login(clinician)
    invitation = services.create_invitation(
        clinician, clinician.team, "code", label=LABEL, reference=REFERENCE
    )
    response = client.get(f"/invitations/{invitation.id}/handout")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert services.format_code(invitation.code) in page
    assert f"{app.config['BASE_URL']}/register" in page
    svg = re.search(r"<svg[^>]*react-handout__qr.*?</svg>", page, re.S)
    assert svg is not None and 'role="img"' in svg.group(0)
    for number in ("999", "111", "116 123", "85258", clinician.team.crisis_phone):
        assert number in page
    assert LABEL not in page and REFERENCE not in page
    assert "css/handout.css" in page
    assert f"/invitations/{invitation.id}/handout" in client.get(f"/invitations/{invitation.id}").get_data(
        as_text=True
    )


def test_the_qr_code_opens_registration_with_the_code(app, create_user):
    import segno

    clinician = create_user("clinician")
    invitation = services.create_invitation(clinician, clinician.team, "code")
    with app.test_request_context():
        drawn = str(services.handout_qr(invitation, "QR"))
    expected = segno.make(f"{app.config['BASE_URL']}/register/{invitation.code}", error="m")
    path = re.search(r' d="([^"]+)"', drawn).group(1)
    assert path in expected.svg_inline(scale=4, dark="#212b32", light="#ffffff")


def test_the_handout_prints_on_a5():
    css = (ROOT / "static/css/handout.css").read_text()
    page_rule = re.search(r"@page\s*{([^}]*)}", css)
    assert page_rule is not None
    assert re.search(r"size:\s*A5\b", page_rule.group(1))


def test_no_handout_for_an_invitation_no_longer_waiting(client, create_user, login):
    clinician = create_user("clinician")
    login(clinician)
    invitation = services.create_invitation(clinician, clinician.team, "code")
    invitation.revoked_at = now()
    db.session.commit()
    assert client.get(f"/invitations/{invitation.id}/handout").status_code == 404


# Home ------------------------------------------------------------------------------------------


def test_home_shows_invitations_waiting_and_relatives_who_joined_this_month(
    app, client, create_user, login, clock
):
    clock.set(at("2026-04-28T10:00:00"))
    clinician = create_user("clinician")
    last_month = services.create_invitation(clinician, clinician.team, "code")
    data = dict(RELATIVE, code=services.format_code(last_month.code))
    relative_client = app.test_client()
    assert post(relative_client, "/register", data, token_from="/register").status_code == 302

    clock.set(at("2026-05-03T10:00:00"))
    labelled = services.create_invitation(clinician, clinician.team, "code", label=LABEL)
    services.create_invitation(clinician, clinician.team, "code")
    joining = services.create_invitation(clinician, clinician.team, "code")
    withdrawn = services.create_invitation(clinician, clinician.team, "code")
    services.revoke_invitation(clinician, withdrawn)
    data = dict(
        RELATIVE,
        email="second@example.org",
        forum_name="Calm Meadow",
        code=services.format_code(joining.code),
    )
    assert post(app.test_client(), "/register", data, token_from="/register").status_code == 302

    login(clinician)
    page = client.get("/").get_data(as_text=True)
    assert "2 invitations are waiting to be used." in page
    assert "1 relative you invited joined this month." in page
    assert LABEL in page and f"/invitations/{labelled.id}" in page

    # A colleague who has invited nobody sees no panel; a relative never does.
    colleague = create_user("clinician", team=clinician.team)
    colleague_client = login(colleague, the_client=app.test_client())
    assert "react-home-invitations" not in colleague_client.get("/").get_data(as_text=True)
    relative = db.session.scalar(select(User).where(User.email == "second@example.org"))
    relative_client = login(relative, password=RELATIVE["password"], the_client=app.test_client())
    home = relative_client.get("/").get_data(as_text=True)
    assert "react-home-invitations" not in home and LABEL not in home


def test_home_panel_leaves_out_invitations_that_have_expired(client, create_user, login, clock):
    clinician = create_user("clinician")
    services.create_invitation(clinician, clinician.team, "code")
    clock.advance(days=15)
    login(clinician)
    assert "react-home-invitations" not in client.get("/").get_data(as_text=True)
