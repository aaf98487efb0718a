"""Reminders for the 12- and 24-week questionnaires: who is due one now, and sending each once.

A reminder is claimed (one row per person and time point, unique) and committed with its notice,
so running the command again, or on two hosts at once, never writes a second. `deliver` writes
the notice to the outbox by the person's choice (email, text or none, as a "questionnaire
reminder"); the outbox worker sends it.
"""

from __future__ import annotations

import logging

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from react_toolkit import signals
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import User, UserRole
from react_toolkit.extensions import db
from react_toolkit.i18n import language_of
from react_toolkit.notifications import services as notifications
from react_toolkit.outcomes import instruments, schedule
from react_toolkit.outcomes.models import MeasureAnswer, MeasureReminder
from react_toolkit.timeutil import now, today

log = logging.getLogger(__name__)


def due_reminders() -> list[tuple[User, schedule.TimePoint]]:
    """Relatives inside a follow-up window today, with a questionnaire still to answer and no reminder yet."""
    routine = {instrument.key for instrument in instruments.routine()}
    relatives = select(UserRole.user_id).where(UserRole.role == R.RELATIVE)
    people = db.session.scalars(select(User).where(User.id.in_(relatives), User.active).order_by(User.id))
    due = []
    on = today()
    for person in people:
        point = schedule.open_now(person.created_at, on)
        if point is None or point.key == "baseline":
            continue
        due.append((person, point))
    if not due:
        return []
    ids = [person.id for person, _point in due]
    answered: dict[tuple[int, str], set[str]] = {}
    for user_id, time_point, instrument in db.session.execute(
        select(MeasureAnswer.user_id, MeasureAnswer.time_point, MeasureAnswer.instrument).where(
            MeasureAnswer.user_id.in_(ids)
        )
    ):
        answered.setdefault((user_id, time_point), set()).add(instrument)
    reminded = {
        tuple(row)
        for row in db.session.execute(
            select(MeasureReminder.user_id, MeasureReminder.time_point).where(
                MeasureReminder.user_id.in_(ids)
            )
        )
    }
    return [
        (person, point)
        for person, point in due
        if (person.id, point.key) not in reminded
        and not routine <= answered.get((person.id, point.key), set())
    ]


def deliver(user: User, point: schedule.TimePoint) -> None:
    """How a reminder reaches the person: an email in their language, with no score or answer in it."""
    config = current_app.config
    with language_of(user):
        notifications.enqueue(
            "outcomes.reminder",
            user=user,
            subject=_("Two short questionnaires are ready for you"),
            body=render_template(
                "outcomes/email/reminder.txt",
                time_point=point,
                link=f"{config['BASE_URL']}/measures",
                service=config["SERVICE_NAME"],
            ),
        )


def send_due_reminders() -> int:
    """Claim and send every reminder due now; returns how many were sent."""
    sent = 0
    for person, point in due_reminders():
        db.session.add(MeasureReminder(user_id=person.id, time_point=point.key, sent_at=now()))
        signals.measure_reminder_sent.send(person, object_type="time_point", object_id=point.key)
        deliver(person, point)
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another run claimed it first
            continue
        sent += 1
    return sent
