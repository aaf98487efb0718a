"""The support map's pages: the map (picture and list), an entry, the history, needs and matched help.

Every page is the relative's own: staff of any role get 403, and another relative's entry is 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.network import picture, services
from react_toolkit.network.choices import CIRCLE_HINTS, CIRCLES, INTERESTS, KINDS, SUPPORT_KINDS, TIMES, WAYS
from react_toolkit.network.forms import EntryForm, MoveForm, NeedsForm, RespondForm
from react_toolkit.network.models import MapEntry
from react_toolkit.network.permissions import can_use_map
from react_toolkit.resources import services as resource_services

bp = Blueprint("network", __name__, url_prefix="/support-map")


def _show(form: EntryForm | None = None, status: int = 200):
    mine = services.entries(current_user)
    gaps = services.person(current_user).gaps
    return render_template(
        "network/show_map.html",
        entries=mine,
        drawing=picture.draw(mine),
        form=form or EntryForm(formdata=None, circle="2"),
        missing=[kind for kind in SUPPORT_KINDS if kind in gaps],
        has_needs=services.needs(current_user) is not None,
        circles=CIRCLES,
        circle_hints=CIRCLE_HINTS,
        kinds=KINDS,
        support_kinds=SUPPORT_KINDS,
    ), status


def _own_entry(entry_id: int) -> MapEntry:
    found = services.entry(current_user, entry_id)
    if found is None:
        abort(404)
    return found


def _back_to(found: MapEntry | None = None):
    return redirect(url_for("network.show_map") + (f"#entry-{found.id}" if found else ""))


@bp.get("/")
@login_required
@only(can_use_map)
def show_map():
    return _show()


@bp.post("/entries")
@login_required
@only(can_use_map)
def add_entry():
    form = EntryForm()
    if form.validate_on_submit():
        try:
            added = services.add_entry(current_user, form.data)
        except Refusal as error:
            form[error.field or "label"].errors.append(error.message)
        else:
            flash(_("%(label)s is on your map.", label=added.label), "success")
            return _back_to(added)
    return _show(form, 400)


@bp.route("/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@login_required
@only(can_use_map)
def edit_entry(entry_id: int):
    found = _own_entry(entry_id)
    form = EntryForm(obj=found) if request.method == "GET" else EntryForm()
    if request.method == "GET":
        form.circle.data = str(found.circle)
    elif form.validate_on_submit():
        try:
            changed = services.edit_entry(current_user, found, form.data)
        except Refusal as error:
            form[error.field or "label"].errors.append(error.message)
        else:
            flash(_("Your changes are saved.") if changed else _("Nothing was changed."), "success")
            return _back_to(found)
    return render_template("network/edit_entry.html", form=form, entry=found), (400 if form.errors else 200)


@bp.post("/entries/<int:entry_id>/move")
@login_required
@only(can_use_map)
def move_entry(entry_id: int):
    found = _own_entry(entry_id)
    form = MoveForm()
    quiet = request.headers.get("X-Requested-With") == "fetch"  # the picture's drag or keys: no page back
    if not form.validate_on_submit():
        if quiet:
            return "", 400
        flash(_("Choose how close they are to you"), "error")
        return _back_to(found), 303
    try:
        services.move_entry(current_user, found, int(form.circle.data), form.angle_value())
    except Refusal as error:
        if quiet:
            return "", 400
        flash(error.message, "error")
        return _back_to(found), 303
    if quiet:
        return "", 204
    flash(
        _("%(label)s is now in the circle: %(circle)s.", label=found.label, circle=CIRCLES[found.circle]),
        "success",
    )
    return _back_to(found)


@bp.post("/entries/<int:entry_id>/remove")
@login_required
@only(can_use_map)
def remove_entry(entry_id: int):
    found = _own_entry(entry_id)
    label = found.label
    services.remove_entry(current_user, found)
    flash(_("%(label)s is no longer on your map.", label=label), "success")
    return _back_to()


@bp.post("/reviewed")
@login_required
@only(can_use_map)
def confirm_map():
    try:
        services.confirm_map(current_user)
    except Refusal as error:
        flash(error.message, "error")
        return _back_to(), 303
    flash(_("Thank you. We have noted that your map is still right today."), "success")
    return _back_to()


@bp.get("/history")
@login_required
@only(can_use_map)
def map_history():
    return render_template("network/map_history.html", steps=services.history(current_user), circles=CIRCLES)


def _needs_page(form: NeedsForm, status: int = 200):
    return render_template("network/needs.html", form=form), status


@bp.get("/needs")
@login_required
@only(can_use_map)
def edit_needs():
    answers = services.needs(current_user)
    return _needs_page(NeedsForm(obj=answers) if answers else NeedsForm())


@bp.post("/needs")
@login_required
@only(can_use_map)
def save_needs():
    form = NeedsForm()
    if form.validate_on_submit():
        try:
            services.save_needs(current_user, form.data)
        except Refusal as error:
            form[error.field or "travel"].errors.append(error.message)
        else:
            flash(_("Your answers are saved. Here is help that may suit you."), "success")
            return redirect(url_for("network.matched_help"))
    return _needs_page(form, 400)


@bp.get("/help")
@login_required
@only(can_use_map)
def matched_help():
    shown, declined = services.suggestions(current_user)
    return render_template(
        "network/matched_help.html",
        shown=shown,
        declined=declined,
        answers=services.needs(current_user),
        has_map=bool(services.entries(current_user)),
        support_kinds=SUPPORT_KINDS,
        interests=INTERESTS,
        times=TIMES,
        ways=WAYS,
    )


@bp.post("/help/<int:resource_id>")
@login_required
@only(can_use_map)
def respond(resource_id: int):
    resource = resource_services.visible_resource(current_user, resource_id)
    if resource is None:
        abort(404)
    form = RespondForm()
    if not form.validate_on_submit():
        flash(_("Choose what you want to do with this suggestion"), "error")
        return redirect(url_for("network.matched_help")), 303
    services.respond(current_user, resource, form.action.data)
    messages = {
        "save": _("%(name)s is saved in your toolbox."),
        "decline": _("We will not suggest %(name)s again. You can bring it back at the bottom of this page."),
        "followed": _("Thank you for telling us you contacted %(name)s or went along."),
        "restore": _("%(name)s can be suggested again."),
    }
    flash(messages[form.action.data] % {"name": resource.name}, "success")
    return redirect(url_for("network.matched_help") + f"#suggestion-{resource.id}")
