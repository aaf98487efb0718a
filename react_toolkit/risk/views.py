"""The 'Need help now?' page. It must work even when the database does not."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from react_toolkit.core.access import only
from react_toolkit.core.numbers import query_number
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db, login_manager
from react_toolkit.risk import services
from react_toolkit.risk.crisis import NATIONAL_CONTACTS, team_contact
from react_toolkit.risk.forms import PhraseForm
from react_toolkit.risk.models import ACTIONS, CATEGORIES, RiskPhrase
from react_toolkit.risk.permissions import can_edit_lexicon

bp = Blueprint("risk", __name__)
log = logging.getLogger(__name__)


@bp.get("/crisis")
def crisis():
    try:
        local = team_contact(current_user)
    except SQLAlchemyError as error:
        # Without the database we cannot know the person's team; the national numbers still show.
        log.error("crisis page without team details: %s", type(error).__name__)
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()
        local = None
    return render_template("risk/crisis.html", contacts=NATIONAL_CONTACTS, team_contact=local)


# The whole lexicon on one page was over 500 KB: too much for a phone to load or a screen reader to list.
PHRASES_PER_PAGE = 100


@bp.get("/risk/lexicon")
@login_required
@only(can_edit_lexicon)
def list_phrases():
    page = max(1, query_number("page") or 1)
    phrases, total = services.phrases_page(page, PHRASES_PER_PAGE)
    return render_template(
        "risk/list_phrases.html",
        phrases=phrases,
        categories=CATEGORIES,
        actions=ACTIONS,
        form=PhraseForm(),
        page=page,
        size=PHRASES_PER_PAGE,
        total=total,
    )


def _save(form: PhraseForm, row: RiskPhrase | None, template: str):
    if form.validate_on_submit():
        try:
            services.save_phrase(
                current_user,
                row,
                phrase=form.phrase.data,
                category=form.category.data,
                action=form.action.data,
                message=form.message.data or "",
            )
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("The risk list has been saved. It applies to everything written from now on."), "success")
            return redirect(url_for("risk.list_phrases"))
    return render_template(template, form=form, phrase=row), 400 if form.errors else 200


@bp.route("/risk/lexicon/new", methods=["GET", "POST"])
@login_required
@only(can_edit_lexicon)
def new_phrase():
    return _save(PhraseForm(), None, "risk/edit_phrase.html")


@bp.route("/risk/lexicon/<int:phrase_id>/edit", methods=["GET", "POST"])
@login_required
@only(can_edit_lexicon)
def edit_phrase(phrase_id: int):
    row = services.get_phrase(phrase_id) or abort(404)
    return _save(PhraseForm(obj=row), row, "risk/edit_phrase.html")


@bp.post("/risk/lexicon/<int:phrase_id>/toggle")
@login_required
@only(can_edit_lexicon)
def toggle_phrase(phrase_id: int):
    row = services.get_phrase(phrase_id) or abort(404)
    services.set_active(current_user, row, not row.active)
    message = _("'%(phrase)s' is on.") if row.active else _("'%(phrase)s' is off.")
    flash(message % {"phrase": row.phrase}, "success")
    return redirect(url_for("risk.list_phrases") + f"#phrase-{row.id}")
