"""Module list, reading sections, marking them done, exercises, the content-status page and the toolbox."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.i18n.language import current_language
from react_toolkit.modules import services
from react_toolkit.modules.forms import AnswerForm, MoveForm, NoteForm
from react_toolkit.modules.permissions import has_personal_space
from react_toolkit.resources import services as resource_services
from react_toolkit.usage.recorder import name_object

bp = Blueprint("modules", __name__)


def _module_or_404(slug: str):
    module = services.get_module(slug)
    if module is None:
        abort(404)
    return module


def _section_or_404(module, number: int):
    if not 1 <= number <= len(module.sections):
        abort(404)
    return module.sections[number - 1]


def _in_language(module):
    """The module as this reader sees it: in their language where it is translated, else in English."""
    return services.in_language([module], current_language())[0]


@bp.get("/modules")
@login_required
def list_modules():
    statuses = services.module_statuses(current_user)
    for status, shown in zip(
        statuses,
        services.in_language([status.module for status in statuses], current_language()),
        strict=True,
    ):
        status.module = shown
    resume = services.continue_point(current_user) if has_personal_space(current_user) else None
    shown = _in_language(resume.module) if resume else None
    return render_template("modules/list_modules.html", statuses=statuses, resume=resume, resume_module=shown)


@bp.get("/modules/<slug>")
@login_required
def view_module(slug: str):
    module = _module_or_404(slug)
    name_object("module", module.id)
    progress = services.section_progress(current_user, module) if has_personal_space(current_user) else {}
    return render_template("modules/view_module.html", module=_in_language(module), progress=progress)


def _render_section(module, number: int, forms: dict | None = None, status: int = 200):
    section = _section_or_404(module, number)
    name_object("section", section.id)
    personal = has_personal_space(current_user)
    exercises = services.exercises_for_section(section)
    answers = services.answers_for(current_user, [e.id for e in exercises.values() if e]) if personal else {}
    forms = forms or {}
    for key, exercise in exercises.items():
        if key not in forms and exercise is not None:
            answer = answers.get(exercise.id)
            forms[key] = AnswerForm(prefix=key, formdata=None, data={"answer": answer.text if answer else ""})
    progress = services.section_progress(current_user, module) if personal else {}
    shown = _in_language(module)
    return render_template(
        "modules/view_section.html",
        module=shown,
        section=shown.sections[number - 1],
        number=number,
        exercises=exercises,
        answers=answers,
        forms=forms,
        progress=progress,
        personal=personal,
    ), status


@bp.get("/modules/<slug>/<int:number>")
@login_required
def view_section(slug: str, number: int):
    module = _module_or_404(slug)
    section = _section_or_404(module, number)
    if has_personal_space(current_user):
        services.record_view(current_user, section)
    return _render_section(module, number)


@bp.post("/modules/<slug>/<int:number>/done")
@login_required
@only(has_personal_space)
def complete_section(slug: str, number: int):
    module = _module_or_404(slug)
    section = _section_or_404(module, number)
    finished = services.complete_section(current_user, section)
    if finished or number == len(module.sections):
        return redirect(url_for("modules.module_end", slug=slug))
    flash(
        _("'%(title)s' is marked as done.", title=_in_language(module).sections[number - 1].title), "success"
    )
    return redirect(url_for("modules.view_section", slug=slug, number=number + 1))


@bp.post("/modules/<slug>/<int:number>/exercises/<key>")
@login_required
@only(has_personal_space)
def save_answer(slug: str, number: int, key: str):
    module = _module_or_404(slug)
    section = _section_or_404(module, number)
    exercise = services.exercise_for(module, key)
    if exercise is None or exercise.section_id != section.id:
        abort(404)
    form = AnswerForm(prefix=key)
    if form.validate_on_submit():
        if request.form.get("action") == "delete":
            services.delete_answer(current_user, exercise)
            flash(_("Your answer has been deleted."), "success")
            return redirect(url_for("modules.view_section", slug=slug, number=number) + f"#exercise-{key}")
        try:
            services.save_answer(current_user, exercise, form.answer.data)
        except Refusal as error:
            form.answer.errors.append(error.message)
        else:
            flash(_("Your answer is saved. Only you can see it."), "success")
            return redirect(url_for("modules.view_section", slug=slug, number=number) + f"#exercise-{key}")
    return _render_section(module, number, forms={key: form}, status=400)


@bp.get("/modules/<slug>/end")
@login_required
def module_end(slug: str):
    module = _module_or_404(slug)
    name_object("module", module.id)
    modules = services.published_modules()
    following = next((m for m in modules if m.position > module.position), None)
    resources = resource_services.by_slugs(current_user, module.resource_slugs)
    return render_template(
        "modules/module_end.html",
        module=_in_language(module),
        following=_in_language(following) if following else None,
        resources=resources,
    )


# Toolbox -------------------------------------------------------------------------------


def _item_or_404(item_id: int):
    item = services.toolbox_item(current_user, item_id)
    if item is None:
        abort(404)
    return item


@bp.get("/toolbox")
@login_required
@only(has_personal_space)
def view_toolbox():
    return render_template(
        "modules/view_toolbox.html", items=services.toolbox_items(current_user), form=NoteForm()
    )


@bp.post("/toolbox/sections/<int:section_id>")
@login_required
@only(has_personal_space)
def save_section(section_id: int):
    section = services.published_section(section_id)
    if section is None:
        abort(404)
    services.add_section_to_toolbox(current_user, section)
    flash(_("'%(title)s' is saved in your toolbox.", title=section.title), "success")
    number = section.position
    return redirect(url_for("modules.view_section", slug=section.module.slug, number=number))


@bp.post("/toolbox/resources/<int:resource_id>")
@login_required
@only(has_personal_space)
def save_resource(resource_id: int):
    resource = resource_services.visible_resource(current_user, resource_id)
    if resource is None:
        abort(404)
    services.add_resource_to_toolbox(current_user, resource)
    flash(_("%(name)s is saved in your toolbox.", name=resource.name), "success")
    return redirect(url_for("resources.list_resources") + f"#resource-{resource.id}")


@bp.post("/toolbox/notes")
@login_required
@only(has_personal_space)
def add_note():
    form = NoteForm()
    if form.validate_on_submit():
        try:
            services.add_note(current_user, form.title.data, form.text.data)
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("Your note is saved."), "success")
            return redirect(url_for("modules.view_toolbox"))
    return render_template(
        "modules/view_toolbox.html", items=services.toolbox_items(current_user), form=form
    ), 400


@bp.route("/toolbox/<int:item_id>/edit", methods=["GET", "POST"])
@login_required
@only(has_personal_space)
def edit_note(item_id: int):
    item = _item_or_404(item_id)
    if item.kind != "note":
        abort(404)
    form = NoteForm(
        data={"title": item.note_title or "", "text": item.note_text} if request.method == "GET" else None
    )
    if form.validate_on_submit():
        try:
            services.update_note(current_user, item, form.title.data, form.text.data)
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("Your note is saved."), "success")
            return redirect(url_for("modules.view_toolbox"))
    return render_template("modules/edit_note.html", form=form, item=item), 400 if form.errors else 200


@bp.post("/toolbox/<int:item_id>/remove")
@login_required
@only(has_personal_space)
def remove_item(item_id: int):
    services.remove_from_toolbox(current_user, _item_or_404(item_id))
    flash(_("Removed from your toolbox."), "success")
    return redirect(url_for("modules.view_toolbox"))


@bp.post("/toolbox/<int:item_id>/move")
@login_required
@only(has_personal_space)
def move_item(item_id: int):
    item = _item_or_404(item_id)
    form = MoveForm()
    if not form.validate_on_submit() or form.direction.data not in ("up", "down"):
        abort(400)
    services.move_in_toolbox(current_user, item, form.direction.data)
    return redirect(url_for("modules.view_toolbox") + f"#item-{item.id}")
