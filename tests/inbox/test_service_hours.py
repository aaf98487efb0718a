"""Service-hours arithmetic, first-reply times, overdue urgent conversations and the alert command."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.inbox import services
from react_toolkit.inbox.models import Conversation
from react_toolkit.organisations.hours import is_open, next_opening, service_seconds
from react_toolkit.organisations.models import BankHoliday
from tests.inbox.helpers import fresh, seen_up_to, send

LONDON = ZoneInfo("Europe/London")
HOUR = 3600
RISK = "I want to end it all"


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall-clock time in London."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def team(create_team):
    return create_team()


@pytest.fixture
def clock(clock):
    """The suite's clock, stopped on Monday 9 March 2026 at 10:00."""
    clock.set(datetime(2026, 3, 9, 10, tzinfo=UTC))
    return clock


# service_seconds ---------------------------------------------------------------------------------


def test_within_one_day(team):
    # Monday 9 March 2026.
    assert service_seconds(team, at(2026, 3, 9, 10), at(2026, 3, 9, 12, 30)) == 2 * HOUR + 30 * 60
    assert service_seconds(team, at(2026, 3, 9, 7), at(2026, 3, 9, 10)) == HOUR
    assert service_seconds(team, at(2026, 3, 9, 16), at(2026, 3, 9, 20)) == HOUR


def test_overnight_counts_only_opening_hours(team):
    assert service_seconds(team, at(2026, 3, 9, 17), at(2026, 3, 10, 10)) == HOUR


def test_weekend_does_not_count(team):
    assert service_seconds(team, at(2026, 3, 13, 16), at(2026, 3, 16, 10)) == 2 * HOUR


def test_bank_holiday_does_not_count(team):
    start, end = at(2026, 5, 1, 16), at(2026, 5, 5, 10)  # Friday to Tuesday
    assert service_seconds(team, start, end) == 10 * HOUR  # Monday counts while it is a working day
    db.session.add(BankHoliday(day=date(2026, 5, 4), name="Early May bank holiday"))
    db.session.commit()
    assert service_seconds(team, start, end) == 2 * HOUR


def test_clock_change_weekend(team):
    # UK clocks go forward at 01:00 GMT on Sunday 29 March 2026.
    start, end = at(2026, 3, 27, 16), at(2026, 3, 30, 10)
    assert start.utcoffset().total_seconds() == 0 and end.utcoffset().total_seconds() == HOUR
    assert service_seconds(team, start, end) == 2 * HOUR
    assert service_seconds(team, start.astimezone(UTC), end.astimezone(UTC)) == 2 * HOUR
    # Monday 09:00 BST is 08:00 UTC: an hour counted in UTC would be wrong.
    assert service_seconds(team, at(2026, 3, 30, 8, 30).astimezone(UTC), at(2026, 3, 30, 9, 30)) == 30 * 60


def test_end_before_start_is_zero(team):
    assert service_seconds(team, at(2026, 3, 10, 12), at(2026, 3, 10, 11)) == 0
    assert service_seconds(team, at(2026, 3, 10, 12), at(2026, 3, 10, 12)) == 0


def test_is_open_and_next_opening_on_a_saturday(team):
    saturday = at(2026, 3, 7, 12)
    assert not is_open(team, saturday)
    assert next_opening(team, saturday) == at(2026, 3, 9, 9)
    assert next_opening(team, saturday.astimezone(UTC)) == datetime(2026, 3, 9, 9, tzinfo=UTC)
    # After the clock change, Monday 09:00 in London is 08:00 UTC.
    assert next_opening(team, at(2026, 3, 28, 12)) == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert is_open(team, at(2026, 3, 9, 9)) and is_open(team, at(2026, 3, 9, 16, 59))
    assert not is_open(team, at(2026, 3, 9, 17))
    monday = at(2026, 3, 9, 11)
    assert next_opening(team, monday) == monday


def test_next_opening_skips_a_bank_holiday(team):
    db.session.add(BankHoliday(day=date(2026, 5, 4), name="Early May bank holiday"))
    db.session.commit()
    assert not is_open(team, at(2026, 5, 4, 11))
    assert next_opening(team, at(2026, 5, 2, 12)) == at(2026, 5, 5, 9)


# First reply time ---------------------------------------------------------------------------------


def test_first_response_seconds_counts_service_time_only(team, clock, create_user, login):
    relative = create_user(R.RELATIVE, team=team)
    supporter = create_user(R.SUPPORTER, team=team)
    clock.moment = at(2026, 3, 6, 16, 30)  # Friday
    conversation, _ = services.start_conversation(
        relative, "Friday afternoon", "A question before the weekend."
    )
    cid = conversation.id
    clock.moment = at(2026, 3, 9, 9, 30)  # Monday
    client = login(supporter)
    page = client.get(f"/inbox/{cid}").get_data(as_text=True)
    response = send(
        client, f"/inbox/{cid}/reply", {"body": "Sorry to keep you.", "seen_up_to": seen_up_to(page)}
    )
    assert response.status_code == 302
    stored = fresh(cid)
    assert stored.first_response_seconds == HOUR
    assert stored.first_response_at == at(2026, 3, 9, 9, 30)
    assert stored.waiting_since is None

    clock.moment = at(2026, 3, 9, 11)
    page = client.get(f"/inbox/{cid}").get_data(as_text=True)
    send(client, f"/inbox/{cid}/reply", {"body": "And a second reply.", "seen_up_to": seen_up_to(page)})
    assert fresh(cid).first_response_seconds == HOUR  # only the first reply counts


# Overdue urgent conversations -----------------------------------------------------------------------


def urgent_conversation(relative, clock, moment: datetime) -> int:
    clock.moment = moment
    conversation, sent = services.start_conversation(relative, "Please help", RISK)
    assert sent.risk and conversation.urgent
    return conversation.id


def test_overdue_after_the_limit_in_service_minutes(team, clock, create_user):
    relative = create_user(R.RELATIVE, team=team)
    cid = urgent_conversation(relative, clock, at(2026, 3, 9, 10))
    conversation = fresh(cid)
    assert not services.is_overdue(conversation, at(2026, 3, 9, 11))
    assert services.is_overdue(conversation, at(2026, 3, 9, 11, 1))


def test_not_overdue_when_the_wait_fell_outside_service_hours(team, clock, create_user):
    relative = create_user(R.RELATIVE, team=team)
    cid = urgent_conversation(relative, clock, at(2026, 3, 6, 16, 50))  # Friday
    conversation = fresh(cid)
    assert not services.is_overdue(conversation, at(2026, 3, 7, 12))  # Saturday: 10 minutes
    assert not services.is_overdue(conversation, at(2026, 3, 9, 9, 50))  # Monday: 60 minutes
    assert services.is_overdue(conversation, at(2026, 3, 9, 9, 51))  # 61 minutes


def test_overdue_limit_comes_from_settings(app, team, clock, create_user, monkeypatch):
    monkeypatch.setitem(app.config, "URGENT_REPLY_MINUTES", 15)
    relative = create_user(R.RELATIVE, team=team)
    cid = urgent_conversation(relative, clock, at(2026, 3, 9, 10))
    assert services.is_overdue(fresh(cid), at(2026, 3, 9, 10, 16))
    assert not services.is_overdue(fresh(cid), at(2026, 3, 9, 10, 15))


def test_ordinary_conversation_is_never_overdue(team, clock, create_user):
    relative = create_user(R.RELATIVE, team=team)
    clock.moment = at(2026, 3, 9, 10)
    conversation, _ = services.start_conversation(relative, "Ordinary", "An ordinary question.")
    assert not services.is_overdue(fresh(conversation.id), at(2026, 3, 10, 16))


def test_alert_command_emails_the_team_once(app, team, clock, create_team, create_user, outbox):
    relative = create_user(R.RELATIVE, team=team)
    supporters = [create_user(R.SUPPORTER, team=team) for _ in range(2)]
    outsider = create_user(R.SUPPORTER, team=create_team(team.site))
    cid = urgent_conversation(relative, clock, at(2026, 3, 9, 10))
    outbox.clear()
    runner = app.test_cli_runner()

    clock.moment = at(2026, 3, 9, 10, 30)
    result = runner.invoke(args=["react", "inbox-alerts"])
    assert result.exit_code == 0, result.output
    assert "0 conversation(s)" in result.output
    assert outbox == []

    clock.moment = at(2026, 3, 9, 11, 5)
    result = runner.invoke(args=["react", "inbox-alerts"])
    assert result.exit_code == 0, result.output
    assert "1 conversation(s)" in result.output
    assert sorted(m.to for m in outbox) == sorted(s.email for s in supporters)
    assert outsider.email not in [m.to for m in outbox]
    assert all(m.subject.startswith("Overdue") and f"/inbox/{cid}" in m.body for m in outbox)
    assert all(RISK not in m.body for m in outbox)
    assert fresh(cid).overdue_alert_at == at(2026, 3, 9, 11, 5)

    clock.moment = at(2026, 3, 9, 12)
    result = runner.invoke(args=["react", "inbox-alerts"])
    assert result.exit_code == 0, result.output
    assert "0 conversation(s)" in result.output
    assert len(outbox) == 2
    db.session.expire_all()
    assert db.session.scalars(select(Conversation)).one().overdue_alert_at == at(2026, 3, 9, 11, 5)
