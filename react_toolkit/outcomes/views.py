"""The wellbeing check-in page: the statements, and the relative's own past totals."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.outcomes import services
from react_toolkit.outcomes.forms import CheckInForm
from react_toolkit.outcomes.items import MAX_TOTAL, PERIOD
from react_toolkit.outcomes.permissions import can_check_in

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
