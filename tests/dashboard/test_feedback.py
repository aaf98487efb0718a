"""The monthly team report and the reminders to staff who have stopped inviting."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from react_toolkit.auth import roles as R
from react_toolkit.dashboard import feedback
from react_toolkit.dashboard.models import StaffReminder
from react_toolkit.extensions import db
from react_toolkit.timeutil import simulated_time

from .conftest import at, invite
from .test_page import cells

pytestmark = pytest.mark.dates


def test_report_compares_the_team_with_its_trust_and_everyone(history):
    report = feedback.team_report(history.a1, date(2026, 3, 1))
    month = report.this_month
    assert (month.team.invites, month.team.relatives_invited, month.team.registered) == (3, 2, 1)
    assert [row.team_id for row in month.others] == [history.a2.id]
    assert month.trust.invites == 3
    assert month.national.invites == 3  # B1's invitation was in May
    to_date = report.to_date
    assert (to_date.team.invites, to_date.team.registered) == (4, 1)  # February's invitation included
    assert (to_date.national.invites, to_date.national.registered) == (4, 1)


def test_report_page_for_the_site_lead_names_quiet_staff(history, create_user, client, login):
    lead = create_user(R.SITE_LEAD, site=history.site_a, no_team=True)
    login(lead)
    with simulated_time(at("2026-04-20 12:00")):
        # c1 last invited on 11 March, c2 on 1 April, c3 on 10 February.
        quiet = [user.id for user, _ in feedback.quiet_staff(history.a1)]
    assert history.c1.id in quiet and history.c2.id not in quiet
    response = client.get(f"/dashboard/teams/{history.a1.id}/report?month=2026-03")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Monthly report: " in html and "March 2026" in html
    assert 'id="quiet-staff"' in html and history.c1.full_name in html
    table = cells(html, "report-1")
    assert table[1][0].endswith("(this team)") and table[-1][0] == "All trusts"
    assert table[1][1] == "<5"  # three invitations, suppressed for a site lead


def test_report_access(history, create_user, client, login):
    lead_b = create_user(R.SITE_LEAD, site=history.site_b, no_team=True)
    login(lead_b)
    assert client.get(f"/dashboard/teams/{history.a1.id}/report").status_code == 403
    assert client.get(f"/dashboard/teams/{history.b1.id}/report").status_code == 200
    assert client.get("/dashboard/teams/99999/report").status_code == 404
    clinician_client = client.application.test_client()
    login(create_user(R.CLINICIAN, team=history.a1), the_client=clinician_client)
    assert clinician_client.get(f"/dashboard/teams/{history.a1.id}/report").status_code == 403


def test_admins_and_researchers_get_figures_but_not_the_names(history, create_user, client, login):
    login(create_user(R.ADMIN))
    html = client.get(f"/dashboard/teams/{history.a1.id}/report?month=2026-03").get_data(as_text=True)
    assert 'id="quiet-staff"' not in html
    assert cells(html, "report-1")[1][1] == "3"  # exact for admins


def test_report_month_is_checked(history, create_user, client, login):
    login(create_user(R.ADMIN))
    response = client.get(f"/dashboard/teams/{history.a1.id}/report?month=soon")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Enter the month like 2026-04" in html and 'value="soon"' in html
    assert client.get(f"/dashboard/teams/{history.a1.id}/report?month=2999-01").status_code == 400


def test_reminders_go_to_quiet_inviters_once_a_month(history, create_user, outbox):
    supporter = create_user(R.SUPPORTER, team=history.a1)
    moderator = create_user(R.MODERATOR, team=history.a1)  # cannot invite: never reminded
    with simulated_time(at("2026-04-20 12:00")):
        invite(supporter, history.a1, "2026-04-19 12:00", None)
        db.session.commit()
        # c1 last invited 11 March and c3 in February; c2 on 1 April, the supporter yesterday.
        assert feedback.send_reminders() == 2
    assert sorted(mail.to for mail in outbox) == sorted([history.c1.email, history.c3.email])
    assert moderator.email not in [mail.to for mail in outbox]
    body = outbox[0].body
    assert "/invitations/new" in body
    assert not any(email in body for email in ("x@example.org", "y@example.org", history.r1.email))
    with simulated_time(at("2026-04-28 12:00")):
        assert feedback.send_reminders() == 0  # once a month
    with simulated_time(at("2026-05-02 12:00")):
        # A new month: c1 and c3 again, and now c2 (1 April is 31 days ago).
        assert feedback.send_reminders() == 3
    assert db.session.scalar(select(func.count()).select_from(StaffReminder)) == 5 == len(outbox)


def test_a_second_host_cannot_send_the_same_reminder(history, outbox):
    with simulated_time(at("2026-04-20 12:00")):
        db.session.add(StaffReminder(user_id=history.c1.id, month="2026-04", sent_at=at("2026-04-20 11:00")))
        db.session.commit()
        feedback.send_reminders()
    assert history.c1.email not in [mail.to for mail in outbox]


def test_send_reminders_command(history, app, outbox):
    with simulated_time(at("2026-04-20 12:00")):
        result = app.test_cli_runner().invoke(args=["react", "send-reminders"])
    assert result.exit_code == 0 and f"Reminders sent: {len(outbox)}." in result.output
