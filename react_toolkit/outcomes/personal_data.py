"""What the outcomes feature holds about a relative: check-ins, questionnaire answers, choices, reminders."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.outcomes.models import CheckIn, MeasureAnswer, MeasurePreference, MeasureReminder


def _check_ins(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.scalars(select(CheckIn).where(CheckIn.user_id == uid).order_by(CheckIn.completed_at))
    return [
        {"completed_at": when(row.completed_at), "answers": row.answers, "total": row.total} for row in rows
    ]


def _measures(user: User) -> dict[str, Any]:
    uid = user.id
    answers = db.session.scalars(
        select(MeasureAnswer)
        .where(MeasureAnswer.user_id == uid)
        .order_by(MeasureAnswer.completed_at, MeasureAnswer.id)
    )
    chosen = db.session.get(MeasurePreference, uid)
    reminders = db.session.scalars(
        select(MeasureReminder).where(MeasureReminder.user_id == uid).order_by(MeasureReminder.sent_at)
    )
    return {
        "answers": [
            {
                "questionnaire": row.instrument,
                "time_point": row.time_point,
                "in_window": row.in_window,
                "days_since_registration": row.days_since_registration,
                "completed_at": when(row.completed_at),
                "answers": row.answers,
                "total": row.total,
                "band": row.band,
                "team_told_of_safety_answer": row.team_told,
            }
            for row in answers
        ],
        "choices": None
        if chosen is None
        else {
            "tell_team_of_safety_answer": chosen.tell_team,
            "chosen_at": when(chosen.chosen_at),
            "first_offer_declined_at": when(chosen.baseline_declined_at),
        },
        "reminders": [{"time_point": row.time_point, "sent_at": when(row.sent_at)} for row in reminders],
    }


def erase(user: User) -> None:
    """Forget the relative's answers and choices: answers about their wellbeing are theirs alone."""
    for model in (CheckIn, MeasureAnswer, MeasurePreference, MeasureReminder):
        db.session.execute(delete(model).where(model.user_id == user.id))


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "outcomes",
        tables=("wellbeing_checkins", "measure_answers", "measure_preferences", "measure_reminders"),
        erase=erase,
        sections=(
            Section(
                "wellbeing_check_ins",
                "Your answers to the wellbeing check-in, as scores from 0 to 4.",
                70,
                _check_ins,
            ),
            Section(
                "questionnaires",
                "Your answers to the PHQ-9 and GAD-7 questionnaires, each with its time point, total and band; "
                "what you chose when they were first offered; and the reminders we sent.",
                71,
                _measures,
            ),
        ),
    )
