"""Reminders for the 12- and 24-week questionnaires: who is due one, once per time point, on a set clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.outcomes.models import MeasureAnswer, MeasureReminder
from react_toolkit.outcomes.reminders import due_reminders, send_due_reminders
from react_toolkit.timeutil import LONDON, today
from react_toolkit.usage.models import UsageEvent


def joined_days_ago(user, days: int) -> None:
    user.created_at = datetime.combine(today() - timedelta(days=days), time(12), LONDON).astimezone(UTC)
    db.session.commit()


def answered(user, point: str, *instruments: str) -> None:
    for key in instruments:
        db.session.add(
            MeasureAnswer(user_id=user.id, instrument=key, time_point=point, in_window=True,
                          days_since_registration=84, answers={}, total=3, band="minimal")
        )  # fmt: skip
    db.session.commit()


@pytest.mark.dates
def test_only_relatives_inside_a_follow_up_window_with_questionnaires_left_are_due(app, create_user):
    people = {}
    for name, days in (("new", 3), ("between", 40), ("opening", 70), ("middle", 84), ("closing", 98),
                       ("closed", 99), ("week24", 160), ("done", 84), ("half", 84)):  # fmt: skip
        people[name] = create_user(R.RELATIVE)
        joined_days_ago(people[name], days)
    answered(people["done"], "week12", "phq9", "gad7")
    answered(people["half"], "week12", "phq9")
    staff = create_user(R.SUPPORTER)
    joined_days_ago(staff, 84)
    gone = create_user(R.RELATIVE)
    gone.active = False
    joined_days_ago(gone, 84)

    due = {(person.id, point.key) for person, point in due_reminders()}
    expected = {
        (people[name].id, point) for name, point in
        (("opening", "week12"), ("middle", "week12"), ("closing", "week12"), ("week24", "week24"), ("half", "week12"))
    }  # fmt: skip
    assert due == expected


@pytest.mark.dates
def test_each_reminder_is_sent_once_in_the_person_s_language_with_no_score(app, create_user, outbox):
    english, welsh = create_user(R.RELATIVE), create_user(R.RELATIVE)
    welsh.language = "cy"
    for person in (english, welsh):
        joined_days_ago(person, 80)

    assert send_due_reminders() == 2
    assert send_due_reminders() == 0  # idempotent: each time point is reminded once
    assert sorted(mail.to for mail in outbox) == sorted([english.email, welsh.email])
    first = next(mail for mail in outbox if mail.to == english.email)
    assert "12 weeks questionnaires" in first.body
    assert "/measures" in first.body
    assert "out of" not in first.body
    cymraeg = next(mail for mail in outbox if mail.to == welsh.email)
    assert "holiadur" in cymraeg.subject.lower() or "holiadur" in cymraeg.body.lower()
    rows = db.session.scalars(select(MeasureReminder).order_by(MeasureReminder.user_id)).all()
    assert [(row.user_id, row.time_point) for row in rows] == [(english.id, "week12"), (welsh.id, "week12")]
    events = db.session.scalars(select(UsageEvent).where(UsageEvent.name == "outcomes.reminder.sent")).all()
    assert {(event.user_id, event.object_id) for event in events} == {
        (english.id, "week12"),
        (welsh.id, "week12"),
    }


def test_a_reminder_claimed_elsewhere_is_not_sent_again(app, create_user, outbox):
    person = create_user(R.RELATIVE)
    joined_days_ago(person, 84)
    db.session.add(MeasureReminder(user_id=person.id, time_point="week12"))
    db.session.commit()
    assert send_due_reminders() == 0
    assert outbox == []


def test_the_command_reports_how_many_were_sent(app, create_user, outbox):
    person = create_user(R.RELATIVE)
    joined_days_ago(person, 160)
    result = app.test_cli_runner().invoke(args=["react", "measures-reminders"])
    assert result.exit_code == 0, result.output
    assert "Questionnaire reminders sent: 1" in result.output
    assert [mail.to for mail in outbox] == [person.email]
