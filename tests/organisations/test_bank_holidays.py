"""Admins keep the bank holidays and the national supporter team current."""

from datetime import date

import pytest

from react_toolkit.extensions import db
from react_toolkit.organisations.models import BankHoliday, Team
from tests.conftest import post

pytestmark = pytest.mark.dates


def test_admin_adds_and_removes_a_bank_holiday(client, create_user, login):
    login(create_user("admin"))
    response = post(
        client,
        "/organisations/bank-holidays",
        {"day": "2028-01-03", "name": "New Year's Day (substitute)"},
        token_from="/organisations/bank-holidays",
    )
    assert response.status_code == 302
    holiday = db.session.scalar(db.select(BankHoliday))
    assert holiday.day == date(2028, 1, 3)
    assert "New Year" in client.get("/organisations/bank-holidays").get_data(as_text=True)
    response = post(
        client, f"/organisations/bank-holidays/{holiday.id}/remove", token_from="/organisations/bank-holidays"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(BankHoliday)) is None


def test_bad_or_repeated_date_is_refused_with_the_name_kept(client, create_user, login):
    db.session.add(BankHoliday(day=date(2028, 1, 3), name="Existing"))
    db.session.commit()
    login(create_user("admin"))
    response = post(
        client,
        "/organisations/bank-holidays",
        {"day": "2028-01-03", "name": "Again"},
        token_from="/organisations/bank-holidays",
    )
    assert response.status_code == 400
    assert "already in the list" in response.get_data(as_text=True)
    response = post(
        client,
        "/organisations/bank-holidays",
        {"day": "3rd of Jan", "name": "Kept name"},
        token_from="/organisations/bank-holidays",
    )
    assert response.status_code == 400
    assert 'value="Kept name"' in response.get_data(as_text=True)


def test_only_admins_manage_bank_holidays(client, create_user, login):
    login(create_user("site_lead", no_team=True, site=None))
    assert client.get("/organisations/bank-holidays").status_code == 403


def test_admin_names_one_national_team(client, create_user, create_team, login):
    first, second = create_team(), create_team()
    first.national = True
    db.session.commit()
    login(create_user("admin"))
    path = f"/organisations/teams/{second.id}/edit"
    data = {"name": second.name, "caseload": "10", "national": "y"}
    assert post(client, path, data, token_from=path).status_code == 302
    db.session.expire_all()
    assert db.session.get(Team, second.id).national is True
    assert db.session.get(Team, first.id).national is False
