"""The resource directory: find help; supporters and site leads keep their site's entries current."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from react_toolkit.auth.queries import manageable_sites
from react_toolkit.core.access import only
from react_toolkit.extensions import db
from react_toolkit.resources import services
from react_toolkit.resources.forms import ResourceForm
from react_toolkit.resources.models import CATEGORIES, Resource
from react_toolkit.resources.permissions import can_check_resource, can_edit_resource, can_manage_resources

bp = Blueprint("resources", __name__, url_prefix="/resources")


@bp.get("/")
@login_required
def list_resources():
    words = request.args.get("q", "").strip()[:200]
    category = request.args.get("category", "")
    if category not in CATEGORIES:
        category = ""
    resources = services.search(current_user, words, category)
    return render_template(
        "resources/list_resources.html",
        resources=resources,
        checked=services.last_checked([resource.id for resource in resources]),
        words=words,
        category=category,
        categories=CATEGORIES,
    )


@bp.get("/<int:resource_id>/visit")
@login_required
def visit_resource(resource_id: int):
    resource = services.visible_resource(current_user, resource_id)
    if resource is None or not resource.website:
        abort(404)
    return redirect(services.visit(current_user, resource))


@bp.get("/manage")
@login_required
@only(can_manage_resources)
def manage_resources():
    local = [r for r in services.search(current_user, include_retired=True) if r.site_id is not None]
    return render_template("resources/manage_resources.html", resources=local)


def _site_choice(form: ResourceForm) -> int | None:
    sites = manageable_sites(current_user)
    if len(sites) == 1:
        return sites[0].id
    chosen = request.form.get("site_id", type=int)
    return chosen if chosen in {site.id for site in sites} else None


@bp.route("/new", methods=["GET", "POST"])
@login_required
@only(can_manage_resources)
def new_resource():
    form = ResourceForm()
    sites = manageable_sites(current_user)
    if form.validate_on_submit():
        site_id = _site_choice(form)
        if site_id is None:
            flash(_("Choose the trust this entry belongs to."), "error")
        else:
            services.add_local(current_user, site_id, form.data)
            flash(_("%(data)s has been added.", data=form.name.data), "success")
            return redirect(url_for("resources.manage_resources"))
    site_choices = [SelectChoice(site.id, site.name) for site in sites]
    return render_template(
        "resources/edit_resource.html", form=form, resource=None, site_choices=site_choices
    ), (400 if form.errors else 200)


def _editable_or_404(resource_id: int) -> Resource:
    resource = db.session.scalar(select(Resource).where(Resource.id == resource_id))
    if resource is None or not can_edit_resource(current_user, resource):
        abort(404)
    return resource


@bp.route("/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit_resource(resource_id: int):
    resource = _editable_or_404(resource_id)
    form = ResourceForm(obj=resource)
    if form.validate_on_submit():
        changed = services.edit_local(current_user, resource, form.data)
        flash(
            _("%(name)s has been saved.", name=resource.name) if changed else _("Nothing was changed."),
            "success",
        )
        return redirect(url_for("resources.manage_resources"))
    return render_template("resources/edit_resource.html", form=form, resource=resource, site_choices=[]), (
        400 if form.errors else 200
    )


@bp.post("/<int:resource_id>/retire")
@login_required
def retire_resource(resource_id: int):
    resource = _editable_or_404(resource_id)
    retire = resource.retired_at is None
    services.set_retired(current_user, resource, retire)
    message = _("%(name)s has been retired.") if retire else _("%(name)s has been brought back.")
    flash(message % {"name": resource.name}, "success")
    return redirect(url_for("resources.manage_resources"))


@bp.post("/<int:resource_id>/checked")
@login_required
def mark_resource_checked(resource_id: int):
    resource = services.visible_resource(current_user, resource_id)
    if resource is None or not can_check_resource(current_user, resource):
        abort(404)
    services.mark_checked(current_user, resource)
    flash(_("%(name)s is marked as checked today.", name=resource.name), "success")
    return redirect(url_for("resources.list_resources") + f"#resource-{resource.id}")
