"""Sites and teams: site leads manage their own trust's teams; admins manage every trust."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.auth.permissions import can_manage_site, can_manage_staff, is_admin
from react_toolkit.auth.queries import manageable_sites
from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.organisations import services
from react_toolkit.organisations.forms import BankHolidayForm, SiteForm, SiteSettingsForm, TeamForm
from react_toolkit.organisations.models import Team

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/")
@login_required
@only(can_manage_staff)
def list_sites():
    return render_template("organisations/list_sites.html", sites=manageable_sites(current_user))


@bp.route("/sites/new", methods=["GET", "POST"])
@login_required
@only(is_admin)
def new_site():
    form = SiteForm()
    if form.validate_on_submit():
        try:
            services.create_site(form.name.data, form.code.data)
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("The trust has been added."), "success")
            return redirect(url_for("organisations.list_sites"))
    return render_template("organisations/new_site.html", form=form), 400 if form.errors else 200


@bp.route("/sites/<int:site_id>/settings", methods=["GET", "POST"])
@login_required
def site_settings(site_id: int):
    site = services.get_site(site_id)
    if site is None or not can_manage_site(current_user, site.id):
        abort(404)
    form = SiteSettingsForm(obj=site)
    if form.validate_on_submit():
        services.save_site_settings(
            current_user, site, record_invitation_reference=form.record_invitation_reference.data
        )
        flash(_("The settings for %(name)s have been saved.", name=site.name), "success")
        return redirect(url_for("organisations.list_sites"))
    return render_template(
        "organisations/site_settings.html", form=form, site=site
    ), 400 if form.errors else 200


def _fill_hours(form: TeamForm, team: Team) -> None:
    for slot in team.hours:
        getattr(form, f"opens_{slot.weekday}").data = slot.opens.strftime("%H:%M")
        getattr(form, f"closes_{slot.weekday}").data = slot.closes.strftime("%H:%M")


def _save(form: TeamForm, target: Team, template: str, **context):
    if form.validate_on_submit():
        try:
            services.save_team(
                current_user,
                target,
                name=form.name.data,
                caseload=form.caseload.data,
                crisis_phone=form.crisis_phone.data,
                crisis_phone_label=form.crisis_phone_label.data,
                hours=form.hours(),
                national=form.national.data if is_admin(current_user) else None,
            )
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("%(name)s has been saved.", name=target.name), "success")
            return redirect(url_for("organisations.list_sites"))
    return render_template(template, form=form, **context), 400 if form.errors else 200


@bp.route("/sites/<int:site_id>/teams/new", methods=["GET", "POST"])
@login_required
def new_team(site_id: int):
    site = services.get_site(site_id)
    if site is None or not can_manage_site(current_user, site.id):
        abort(404)
    form = TeamForm()
    if request.method == "GET":
        for day in range(5):
            getattr(form, f"opens_{day}").data = "09:00"
            getattr(form, f"closes_{day}").data = "17:00"
    return _save(form, Team(site_id=site.id), "organisations/edit_team.html", site=site, team=None)


@bp.route("/teams/<int:team_id>/edit", methods=["GET", "POST"])
@login_required
def edit_team(team_id: int):
    team = services.get_team(team_id)
    if team is None or not can_manage_site(current_user, team.site_id):
        abort(404)
    form = TeamForm(obj=team)
    if request.method == "GET":
        _fill_hours(form, team)
    return _save(form, team, "organisations/edit_team.html", site=team.site, team=team)


@bp.route("/bank-holidays", methods=["GET", "POST"])
@login_required
@only(is_admin)
def bank_holidays():
    form = BankHolidayForm()
    if form.validate_on_submit():
        try:
            services.add_bank_holiday(form.day.data, form.name.data)
        except Refusal as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("%(data)s has been added.", data=form.name.data), "success")
            return redirect(url_for("organisations.bank_holidays"))
    holidays = services.bank_holidays()
    return render_template("organisations/bank_holidays.html", form=form, holidays=holidays), (
        400 if form.errors else 200
    )


@bp.post("/bank-holidays/<int:holiday_id>/remove")
@login_required
@only(is_admin)
def remove_bank_holiday(holiday_id: int):
    services.remove_bank_holiday(holiday_id)
    flash(_("The date has been removed."), "success")
    return redirect(url_for("organisations.bank_holidays"))
