"""Outcome pages: the wellbeing check-in, and the routine questionnaires with the relative's own results.

Every page here is for relatives, about their own answers only.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.outcomes import charts, instruments, schedule, services
from react_toolkit.outcomes.forms import CheckInForm, OfferForm, ShareForm, measure_form
from react_toolkit.outcomes.items import MAX_TOTAL, PERIOD
from react_toolkit.outcomes.permissions import can_answer_measures, can_check_in

bp = Blueprint("outcomes", __name__)


def _render(form: CheckInForm, status: int = 200):
    return render_template(
        "outcomes/check_in.html",
        form=form,
        checkins=services.own_checkins(current_user),
        max_total=MAX_TOTAL,
        period=PERIOD,
    ), status


@bp.get("/check-in")
@login_required
@only(can_check_in)
def check_in():
    return _render(CheckInForm())


@bp.post("/check-in")
@login_required
@only(can_check_in)
def save_check_in():
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            checkin = services.complete_checkin(current_user, form.scores())
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(
                _(
                    "Thank you. Your check-in is saved. Your score this time is %(total)s out of %(max_total)s.",
                    total=checkin.total,
                    max_total=MAX_TOTAL,
                ),
                "success",
            )
            return redirect(url_for("outcomes.check_in"))
    return _render(form, 400)


# The routine questionnaires -------------------------------------------------------------------


def _routine_instrument(key: str) -> instruments.Instrument:
    instrument = instruments.get(key)
    if instrument is None or instrument.schedule != instruments.ROUTINE:
        abort(404)
    return instrument


@bp.get("/measures")
@login_required
@only(can_answer_measures)
def list_measures():
    """The relative's own scores over time, with what is due and what the bands mean."""
    answers = services.own_answers(current_user)
    routine = instruments.routine()
    return render_template(
        "outcomes/list_measures.html",
        due=services.due_now(current_user),
        next_due=services.next_due(current_user),
        results=[charts.results(instrument, answers) for instrument in routine],
        instruments=routine,
        label=schedule.label,
    )


def _render_offer(form: OfferForm, status: int = 200):
    return render_template(
        "outcomes/offer.html",
        form=form,
        due=services.due_now(current_user),
        instruments=instruments.routine(),
    ), status


@bp.get("/measures/start")
@login_required
@only(can_answer_measures)
def offer_measures():
    """Why the questionnaires are asked and who sees what, before anything is answered."""
    chosen = services.preference(current_user)
    return _render_offer(OfferForm(formdata=None, data={"tell_team": bool(chosen and chosen.tell_team)}))


@bp.post("/measures/start")
@login_required
@only(can_answer_measures)
def choose_offer():
    form = OfferForm()
    if not form.validate_on_submit():
        return _render_offer(form, 400)
    start = request.form.get("action") != "later"
    services.choose_at_offer(current_user, tell_team=form.tell_team.data, start=start)
    if not start:
        flash(_("That is fine. You can answer the questionnaires later from your scores page."), "success")
        return redirect(url_for("core.home"))
    first = instruments.routine()[0]
    return redirect(url_for("outcomes.answer_measure", instrument=first.key))


def _render_measure(instrument: instruments.Instrument, form, status: int = 200):
    return render_template(
        "outcomes/answer_measure.html",
        instrument=instrument,
        form=form,
        asked_first=services.preference(current_user) is not None,
    ), status


@bp.get("/measures/<instrument>")
@login_required
@only(can_answer_measures)
def answer_measure(instrument: str):
    found = _routine_instrument(instrument)
    return _render_measure(found, measure_form(found))


@bp.post("/measures/<instrument>")
@login_required
@only(can_answer_measures)
def save_measure(instrument: str):
    found = _routine_instrument(instrument)
    form = measure_form(found)
    if form.validate_on_submit():
        try:
            services.save_answers(current_user, found, form.answers())
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            return redirect(url_for("outcomes.view_result", instrument=found.key))
    return _render_measure(found, form, 400)


@bp.get("/measures/<instrument>/result")
@login_required
@only(can_answer_measures)
def view_result(instrument: str):
    """The relative's newest answers to one questionnaire: the crisis card and a kind word come first."""
    found = _routine_instrument(instrument)
    answer = services.latest_answer(current_user, found.key)
    if answer is None:
        return redirect(url_for("outcomes.answer_measure", instrument=found.key))
    return render_template(
        "outcomes/view_result.html",
        instrument=found,
        answer=answer,
        band=next((band for band in found.bands if band.key == answer.band), None),
        high=found.is_high(answer.total),
        following=services.still_to_answer(current_user, answer),
        label=schedule.label,
    )


def _render_share(form: ShareForm, preview: str | None = None, status: int = 200):
    return render_template(
        "outcomes/share_summary.html",
        form=form,
        preview=preview,
        parts=services.summary_parts(current_user),
    ), status


@bp.get("/measures/share")
@login_required
@only(can_answer_measures)
def share_summary():
    """Write questions for the team, and see exactly what will be sent before sending it."""
    return _render_share(ShareForm())


@bp.post("/measures/share")
@login_required
@only(can_answer_measures)
def send_summary():
    form = ShareForm()
    if not form.validate_on_submit():
        return _render_share(form, status=400)
    try:
        if request.form.get("action") != "send":
            return _render_share(form, services.summary_text(current_user, form.questions.data))
        conversation_id = services.share_summary(current_user, form.questions.data)
    except Refusal as error:
        # Refusals about the team (none to write to) are shown beside the box too.
        form.questions.errors = [*form.questions.errors, error.message]
        return _render_share(form, status=error.status)
    flash(_("Your summary has been sent to your team. You can read it here."), "success")
    return redirect(url_for("inbox.view_message", conversation_id=conversation_id))
