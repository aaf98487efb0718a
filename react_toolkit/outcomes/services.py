"""Use cases for outcome measures: the wellbeing check-in, and the routine questionnaires at set times."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from flask import render_template
from flask_babel import gettext as _
from sqlalchemy import select

from react_toolkit import signals
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.i18n import language_of
from react_toolkit.outcomes import instruments, schedule
from react_toolkit.outcomes.instruments import Instrument
from react_toolkit.outcomes.items import HIGHEST, ITEMS, LOWEST
from react_toolkit.outcomes.models import CheckIn, MeasureAnswer, MeasurePreference
from react_toolkit.outcomes.permissions import can_answer_measures
from react_toolkit.timeutil import format_datetime, now


class OutcomeError(Refusal):
    """Refused by the check-in's rules."""


def complete_checkin(user, answers: Mapping[str, int]) -> CheckIn:
    """Save a relative's answers as direction-corrected scores, so a higher total means better wellbeing."""
    scores: dict[str, int] = {}
    for item in ITEMS:
        answer = answers.get(item.key)
        if isinstance(answer, bool) or not isinstance(answer, int) or not LOWEST <= answer <= HIGHEST:
            raise OutcomeError(item.missing, field=item.key)
        scores[item.key] = item.score(answer)
    checkin = CheckIn(user_id=user.id, completed_at=now(), answers=scores, total=sum(scores.values()))
    db.session.add(checkin)
    db.session.flush()
    signals.checkin_completed.send(user, object_type="checkin", object_id=checkin.id)
    db.session.commit()
    return checkin


def own_checkins(user) -> list[CheckIn]:
    """A relative's own check-ins, newest first: never anyone else's."""
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.user_id == user.id)
            .order_by(CheckIn.completed_at.desc(), CheckIn.id.desc())
        )
    )


# The routine questionnaires -------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A time point open now with questionnaires still to answer."""

    time_point: schedule.TimePoint
    closes: date
    instruments: list[Instrument]
    declined: bool  # the relative said "not now" to the first offer


def preference(user) -> MeasurePreference | None:
    return db.session.get(MeasurePreference, user.id)


def choose_at_offer(user, *, tell_team: bool, start: bool) -> MeasurePreference:
    """Keep what the relative chose when first offered the questionnaires; starting is never required."""
    chosen = preference(user) or MeasurePreference(user_id=user.id)
    chosen.tell_team = tell_team
    chosen.chosen_at = now()
    chosen.baseline_declined_at = None if start else now()
    db.session.add(chosen)
    db.session.commit()
    return chosen


def own_answers(user) -> list[MeasureAnswer]:
    """A relative's own answer sets, oldest first: never anyone else's."""
    return list(
        db.session.scalars(
            select(MeasureAnswer)
            .where(MeasureAnswer.user_id == user.id)
            .order_by(MeasureAnswer.completed_at, MeasureAnswer.id)
        )
    )


def _answered(user) -> dict[str, set[str]]:
    """Instrument key -> the time points it has been answered at."""
    found: dict[str, set[str]] = {}
    rows = db.session.execute(
        select(MeasureAnswer.instrument, MeasureAnswer.time_point).where(MeasureAnswer.user_id == user.id)
    )
    for instrument, time_point in rows:
        found.setdefault(instrument, set()).add(time_point)
    return found


def due_now(user) -> Due | None:
    """The time point whose window is open today and the routine questionnaires not yet answered at it."""
    point = schedule.open_now(user.created_at)
    if point is None:
        return None
    answered = _answered(user)
    waiting = [i for i in instruments.routine() if point.key not in answered.get(i.key, set())]
    if not waiting:
        return None
    chosen = preference(user)
    declined = bool(point.key == "baseline" and chosen and chosen.baseline_declined_at)
    return Due(point, point.window(schedule.registration_day(user.created_at))[1], waiting, declined)


def next_due(user) -> tuple[schedule.TimePoint, date] | None:
    """The next time point the routine questionnaires are still to be answered at, and when it opens."""
    answered = _answered(user)
    done = (
        set.intersection(*(answered.get(i.key, set()) for i in instruments.routine())) if answered else set()
    )
    return schedule.next_due(user.created_at, done)


def home_panel(user) -> dict | None:
    """Home's notice for a relative with questionnaires due now; nothing once they said "not now"."""
    if not can_answer_measures(user):
        return None
    due = due_now(user)
    if due is None or due.declined:
        return None
    return {"due": due, "first": due.time_point.key == "baseline" and preference(user) is None}


def _staff_notice(user, answer: MeasureAnswer) -> None:
    from react_toolkit.inbox import services as inbox

    with language_of(None):
        subject = _("A safety answer was given in a questionnaire")
        body = _(
            "On %(when)s this relative answered the questionnaire's question about thoughts of being "
            'better off dead or of hurting themselves with an answer other than "not at all". They '
            "agreed that the team would be told. Their other answers are not shared. They were shown "
            "the crisis numbers straight away.",
            when=format_datetime(answer.completed_at),
        )
    try:
        inbox.add_staff_notice(user, subject, body)
    except Refusal:
        return  # no team to tell: the relative is told so, beside the crisis numbers
    answer.team_told = True


def save_answers(user, instrument: Instrument, answers: Mapping[str, int | None]) -> MeasureAnswer:
    """Score a relative's answers to one questionnaire and keep them with the time point they count for."""
    kept: dict[str, int] = {}
    for item in instrument.items:
        value = answers.get(item.key)
        if value is None and not item.required:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value not in item.values:
            raise OutcomeError(_("Choose an answer for this question"), field=item.key)
        kept[item.key] = value
    answered = _answered(user).get(instrument.key, set())
    if instrument.schedule == instruments.ROUTINE:
        time_point, in_window = schedule.placing(user.created_at, answered)
    else:
        time_point, in_window = schedule.EXTRA, False
    total = instrument.total(kept)
    band = instrument.band(total)
    answer = MeasureAnswer(
        user_id=user.id,
        instrument=instrument.key,
        time_point=time_point,
        in_window=in_window,
        days_since_registration=schedule.days_since(user.created_at),
        completed_at=now(),
        answers=kept,
        total=total,
        band=band.key if band else None,
        safety_answer=instrument.safety_answered(kept),
    )
    db.session.add(answer)
    db.session.flush()
    chosen = preference(user)
    if answer.safety_answer and chosen is not None and chosen.tell_team:
        _staff_notice(user, answer)
    signals.measure_completed.send(user, object_type="measure", object_id=answer.id)
    db.session.commit()
    return answer


def latest_answer(user, instrument_key: str) -> MeasureAnswer | None:
    """The relative's own newest answer set to one questionnaire."""
    return db.session.scalar(
        select(MeasureAnswer)
        .where(MeasureAnswer.user_id == user.id, MeasureAnswer.instrument == instrument_key)
        .order_by(MeasureAnswer.completed_at.desc(), MeasureAnswer.id.desc())
        .limit(1)
    )


def still_to_answer(user, answer: MeasureAnswer) -> list[Instrument]:
    """The other routine questionnaires not yet answered at the same time point as this answer set."""
    if answer.time_point == schedule.EXTRA:
        return []
    answered = _answered(user)
    return [i for i in instruments.routine() if answer.time_point not in answered.get(i.key, set())]


# The summary a relative may share with their team ---------------------------------------------

QUESTIONS_MAX = 2000


def summary_parts(user) -> dict:
    """What a shared summary holds: the latest score and band of each routine questionnaire, the modules read."""
    from react_toolkit.modules import services as modules

    latest = []
    for instrument in instruments.routine():
        answer = latest_answer(user, instrument.key)
        if answer is not None:
            band = next((b for b in instrument.bands if b.key == answer.band), None)
            latest.append({"instrument": instrument, "answer": answer, "band": band})
    statuses = modules.module_statuses(user)
    return {
        "latest": latest,
        "read": [status.module for status in statuses if status.completed],
        "started": [status.module for status in statuses if status.viewed and not status.completed],
    }


def summary_text(user, questions: str) -> str:
    """The summary exactly as it is sent: Markdown, shown to the relative before sending."""
    questions = (questions or "").strip()
    if len(questions) > QUESTIONS_MAX:
        raise OutcomeError(
            _("Your questions must be %(most)s characters or fewer", most=f"{QUESTIONS_MAX:,}"),
            field="questions",
        )
    return render_template("outcomes/summary.md", questions=questions, **summary_parts(user)).strip()


def share_summary(user, questions: str) -> int:
    """Send the summary to the relative's team as a message from them; the team reads it in its inbox."""
    from react_toolkit.inbox import services as inbox

    body = summary_text(user, questions)
    conversation, _sent = inbox.start_conversation(user, _("My questionnaire summary"), body)
    signals.measure_summary_shared.send(user, object_type="conversation", object_id=conversation.id)
    db.session.commit()
    return conversation.id
