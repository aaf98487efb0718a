"""Pages for clinical content review: the status of every module, recording a review, the register, feedback."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.i18n.language import current_language
from react_toolkit.modules import services as module_services
from react_toolkit.reviews import services
from react_toolkit.reviews.forms import FeedbackForm, LawChangeForm, ReviewForm
from react_toolkit.reviews.permissions import (
    can_give_feedback,
    can_mark_law_changed,
    can_read_feedback,
    can_record_review,
    can_see_content_status,
)
from react_toolkit.timeutil import today
from react_toolkit.usage.recorder import name_object

bp = Blueprint("reviews", __name__)


def _module_or_404(slug: str):
    module = services.published_module(slug)
    if module is None:
        abort(404)
    return module


@bp.get("/modules/content-status")
@login_required
@only(can_see_content_status)
def content_status():
    modules = module_services.published_modules()
    found = services.statuses(modules)
    return render_template(
        "reviews/content_status.html",
        statuses=[found[module.id] for module in modules],
        kinds=services.REVIEWER_KINDS,
        welsh=module_services.translation_statuses("cy"),
    )


@bp.get("/modules/<slug>/reviews")
@login_required
@only(can_see_content_status)
def module_reviews(slug: str):
    module = _module_or_404(slug)
    name_object("module", module.id)
    register = {entry.key: entry for entry in services.register()}
    return render_template(
        "reviews/module_reviews.html",
        status=services.status_of(module),
        kinds=services.REVIEWER_KINDS,
        bodies=services.REGISTRATION_BODIES,
        register=register,
    )


@bp.route("/modules/<slug>/reviews/new", methods=["GET", "POST"])
@login_required
@only(can_record_review)
def record_review(slug: str):
    module = _module_or_404(slug)
    name_object("module", module.id)
    form = ReviewForm()
    if not form.is_submitted():
        form.module_hash.data = module.source_hash
        form.reviewed_on.data = today()
        form.reviewer_name.data = current_user.full_name or ""
    status = 200
    if form.validate_on_submit():
        try:
            services.record_review(current_user, module, form.data)
        except Refusal as error:
            if error.field == "module_hash":
                form.module_hash.data = module.source_hash
                flash(error.message, "error")
            else:
                form[error.field].errors.append(error.message)
            status = error.status
        else:
            flash(_("Your review of %(title)s is recorded.", title=module.title), "success")
            return redirect(url_for("reviews.module_reviews", slug=module.slug))
    return render_template(
        "reviews/record_review.html",
        form=form,
        status=services.status_of(module),
        kinds=services.REVIEWER_KINDS,
    ), (status if status != 200 else (400 if form.errors else 200))


@bp.get("/content/law-register")
@login_required
@only(can_see_content_status)
def law_register():
    modules = module_services.published_modules()
    return render_template(
        "reviews/law_register.html",
        entries=services.register(),
        changes=services.changes_by_key(),
        dependants=services.dependants(modules),
    )


@bp.route("/content/law-register/<key>/changed", methods=["GET", "POST"])
@login_required
@only(can_mark_law_changed)
def mark_law_changed(key: str):
    entry = next((entry for entry in services.register() if entry.key == key), None)
    if entry is None:
        abort(404)
    form = LawChangeForm()
    if not form.is_submitted():
        form.changed_on.data = today()
    if form.validate_on_submit():
        try:
            services.mark_changed(current_user, key, form.changed_on.data, form.note.data)
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(
                _(
                    "%(title)s is marked as changed. Modules that depend on it need a new review.",
                    title=entry.title,
                ),
                "success",
            )
            return redirect(url_for("reviews.law_register"))
    modules = services.dependants(module_services.published_modules()).get(key, [])
    return render_template("reviews/mark_law_changed.html", form=form, entry=entry, modules=modules), (
        400 if form.errors else 200
    )


@bp.post("/modules/<slug>/feedback")
@login_required
@only(can_give_feedback)
def give_feedback(slug: str):
    module = _module_or_404(slug)
    form = FeedbackForm(prefix="feedback")
    number = (
        form.section.data if form.section.data and 1 <= form.section.data <= len(module.sections) else None
    )
    if form.validate_on_submit():
        try:
            services.give_feedback(
                current_user, module, number, form.helpful.data == "yes", form.comment.data
            )
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("Thank you. Your answer helps us make these pages better."), "success")
            if number:
                return redirect(url_for("modules.view_section", slug=slug, number=number))
            return redirect(url_for("modules.view_module", slug=slug))
    return render_template(
        "reviews/feedback.html",
        form=form,
        module=module_services.in_language([module], current_language())[0],
        number=number,
    ), 400


@bp.get("/content/feedback")
@login_required
@only(can_read_feedback)
def list_feedback():
    return render_template(
        "reviews/list_feedback.html", summaries=services.feedback_summary(module_services.published_modules())
    )
