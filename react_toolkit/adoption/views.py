"""Staff adoption pages: the staff learning area, the adoption overview, NoMAD waves and results, team logs."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice

from react_toolkit.adoption import figures, learning, nomad, services
from react_toolkit.adoption.forms import ChampionForm, LogForm, TargetForm, WaveForm, nomad_form
from react_toolkit.adoption.permissions import (
    can_answer_nomad,
    can_keep_a_team_log,
    can_lead_adoption,
    can_learn,
    may_answer_wave,
    may_keep_team_log,
    may_lead_site,
)
from react_toolkit.auth import roles as R
from react_toolkit.core.access import only
from react_toolkit.core.numbers import query_number
from react_toolkit.core.refusal import Refusal
from react_toolkit.dashboard.figures import Period, Scope
from react_toolkit.dashboard.present import Presenter
from react_toolkit.dashboard.rollup import month_start, next_month
from react_toolkit.organisations import services as organisation_services
from react_toolkit.timeutil import now, today

bp = Blueprint("adoption", __name__)


def _may_see_waves(user) -> bool:
    return can_answer_nomad(user) or can_lead_adoption(user)


def _led_site():
    """The trust a lead asked for (?site=, admins) or runs (site leads); None for an admin who has not chosen."""
    site_id = query_number("site")
    if site_id is None and not current_user.has_role(R.ADMIN):
        site_id = current_user.site_id
    if site_id is None:
        return None
    site = organisation_services.get_site(site_id)
    if site is None:
        abort(404)
    if not may_lead_site(current_user, site.id):
        abort(403)
    return site


def _led_team(team_id: int):
    team = organisation_services.get_team(team_id)
    if team is None:
        abort(404)
    if not may_lead_site(current_user, team.site_id):
        abort(403)
    return team


# The staff learning area ----------------------------------------------------------------------


@bp.get("/staff/learning")
@login_required
@only(can_learn)
def list_staff_modules():
    return render_template(
        "adoption/list_staff_modules.html",
        modules=learning.all_modules(),
        done=services.completed_slugs(current_user),
        champions=services.champions_of(current_user.team_id) if current_user.team_id else [],
    )


@bp.get("/staff/learning/<slug>")
@login_required
@only(can_learn)
def show_staff_module(slug: str):
    module = learning.get_module(slug)
    if module is None:
        abort(404)
    return render_template(
        "adoption/show_staff_module.html",
        module=module,
        done=services.completed_slugs(current_user).get(module.slug),
    )


@bp.post("/staff/learning/<slug>/done")
@login_required
@only(can_learn)
def complete_staff_module(slug: str):
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.complete_module(current_user, slug)
    except Refusal as error:
        abort(error.status)
    flash(_("Thank you. We have recorded that you finished this module."), "success")
    return redirect(url_for("adoption.list_staff_modules"))


# The adoption overview: training beside invitations, champions, targets ------------------------------


@bp.get("/staff/adoption")
@login_required
@only(can_lead_adoption)
def overview():
    site = _led_site()
    sites = organisation_services.all_sites() if current_user.has_role(R.ADMIN) else []
    teams = services.teams_led_by(current_user, site.id if site else None)
    # Invitations since the start, beside training to date.
    scope = Scope((site.id,) if site else None)
    rows, site_rows, total = figures.training(
        Period(figures.earliest_month(scope), next_month(month_start(now()))), scope
    )
    show = Presenter(current_user.has_role(R.ADMIN))
    if site is not None:
        site_rows = []
    figures.protect_training(show, rows, site_rows, total)
    return render_template(
        "adoption/overview.html",
        site=site,
        sites=sites,
        rows=rows,
        site_rows=site_rows,
        total=total,
        progress=figures.progress(teams),
        modules=len(learning.all_modules()),
        show=show,
    )


def _render_team(team, champion_form=None, target_form=None, status: int = 200):
    staff = services.team_staff(team.id)
    champion_form = champion_form or ChampionForm()
    champion_form.champion_id.choices = [SelectChoice(0, _("Choose a member of staff"))] + [
        SelectChoice(user.id, user.full_name or user.email) for user in staff
    ]
    target = services.target_of(team.id)
    if target_form is None:
        target_form = TargetForm(
            data={
                "offered_percent": ""
                if not target or target.offered_percent is None
                else str(target.offered_percent),
                "registered_percent": ""
                if not target or target.registered_percent is None
                else str(target.registered_percent),
            }
        )
    return render_template(
        "adoption/manage_team.html",
        team=team,
        champions=services.champions_of(team.id),
        champion_form=champion_form,
        target_form=target_form,
        progress=figures.progress([team])[0],
    ), status


@bp.get("/staff/adoption/teams/<int:team_id>")
@login_required
@only(can_lead_adoption)
def manage_team(team_id: int):
    return _render_team(_led_team(team_id))


@bp.post("/staff/adoption/teams/<int:team_id>/champions")
@login_required
@only(can_lead_adoption)
def add_champion(team_id: int):
    team = _led_team(team_id)
    form = ChampionForm()
    if form.validate_on_submit():
        try:
            person = services.add_champion(current_user, team, form.champion_id.data)
        except Refusal as error:
            form.champion_id.errors = [error.message]
            return _render_team(team, champion_form=form, status=error.status)
        flash(_("%(name)s is now a champion for this team.", name=person.full_name), "success")
        return redirect(url_for("adoption.manage_team", team_id=team.id))
    return _render_team(team, champion_form=form, status=422 if form.errors.get("champion_id") else 400)


@bp.post("/staff/adoption/teams/<int:team_id>/champions/remove")
@login_required
@only(can_lead_adoption)
def remove_champion(team_id: int):
    team = _led_team(team_id)
    form = ChampionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.remove_champion(team, form.champion_id.data)
    except Refusal as error:
        abort(error.status)
    flash(_("That person is no longer shown as a champion."), "success")
    return redirect(url_for("adoption.manage_team", team_id=team.id))


@bp.post("/staff/adoption/teams/<int:team_id>/targets")
@login_required
@only(can_lead_adoption)
def save_targets(team_id: int):
    team = _led_team(team_id)
    form = TargetForm()
    if form.validate_on_submit():
        try:
            services.save_targets(
                current_user, team, form.offered_percent.number, form.registered_percent.number
            )
        except Refusal as error:
            form[error.field].errors = [error.message]
            return _render_team(team, target_form=form, status=error.status)
        flash(_("The team's targets are saved."), "success")
        return redirect(url_for("adoption.manage_team", team_id=team.id))
    return _render_team(team, target_form=form, status=422)


# The team's reflection log --------------------------------------------------------------------------


def _log_team(team_id: int):
    team = organisation_services.get_team(team_id)
    if team is None:
        abort(404)
    if not may_keep_team_log(current_user, team):
        abort(403 if may_lead_site(current_user, current_user.site_id) else 404)
    return team


def _render_log(team, form: LogForm, status: int = 200):
    return render_template(
        "adoption/team_log.html",
        team=team,
        form=form,
        entries=services.log_of(team.id),
        kinds=services.LOG_KINDS,
    ), status


@bp.get("/staff/teams/<int:team_id>/log")
@login_required
@only(can_keep_a_team_log)
def team_log(team_id: int):
    team = _log_team(team_id)
    return _render_log(team, LogForm(data={"noted_on": today().isoformat()}))


@bp.post("/staff/teams/<int:team_id>/log/notes")
@login_required
@only(can_keep_a_team_log)
def add_log_entry(team_id: int):
    team = _log_team(team_id)
    form = LogForm()
    if form.validate_on_submit():
        services.add_log_entry(current_user, team, form.kind.data, form.noted_on.day, form.text.data)
        flash(_("The note is added to the team's log."), "success")
        return redirect(url_for("adoption.team_log", team_id=team.id))
    return _render_log(team, form, 422)


# NoMAD ------------------------------------------------------------------------------------------------


@bp.get("/staff/nomad")
@login_required
@only(_may_see_waves)
def list_waves():
    leads = can_lead_adoption(current_user)
    site = _led_site() if leads else None
    return render_template(
        "adoption/list_waves.html",
        site=site,
        sites=organisation_services.all_sites() if current_user.has_role(R.ADMIN) else [],
        waves=services.waves_of(site.id) if site else [],
        counts={wave.id: figures.respondents(wave) for wave in services.waves_of(site.id)} if site else {},
        waiting=services.open_wave_for(current_user) if can_answer_nomad(current_user) else None,
        form=WaveForm(),
        leads=leads,
        show=Presenter(current_user.has_role(R.ADMIN)),
    )


@bp.post("/staff/nomad/waves")
@login_required
@only(can_lead_adoption)
def open_wave():
    site = _led_site()
    form = WaveForm()
    if form.validate_on_submit():
        try:
            if site is None:
                raise Refusal(_("Choose a trust first."), field="title", status=422)
            services.open_wave(current_user, site.id, form.title.data)
        except Refusal as error:
            form.title.errors = [error.message]
            status = error.status
        else:
            flash(_("The wave is open. Staff at the trust will see it on their home page."), "success")
            return redirect(url_for("adoption.list_waves", site=site.id))
    else:
        status = 422
    return render_template(
        "adoption/list_waves.html",
        site=site,
        sites=organisation_services.all_sites() if current_user.has_role(R.ADMIN) else [],
        waves=services.waves_of(site.id) if site else [],
        counts={},
        waiting=None,
        form=form,
        leads=True,
        show=Presenter(current_user.has_role(R.ADMIN)),
    ), status


def _wave(wave_id: int):
    wave = services.get_wave(wave_id)
    if wave is None:
        abort(404)
    return wave


@bp.post("/staff/nomad/waves/<int:wave_id>/close")
@login_required
@only(can_lead_adoption)
def close_wave(wave_id: int):
    wave = _wave(wave_id)
    if not may_lead_site(current_user, wave.site_id):
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        services.close_wave(wave)
    except Refusal as error:
        flash(error.message, "error")
        return redirect(url_for("adoption.list_waves", site=wave.site_id)), 303
    flash(_("The wave is closed. Its results are final."), "success")
    return redirect(url_for("adoption.nomad_results", site=wave.site_id))


def _render_answers(wave, form, status: int = 200):
    return render_template(
        "adoption/answer_wave.html",
        wave=wave,
        form=form,
        survey=nomad.survey(),
        done=services.answered(current_user, wave),
    ), status


@bp.get("/staff/nomad/waves/<int:wave_id>")
@login_required
@only(can_answer_nomad)
def answer_wave(wave_id: int):
    wave = _wave(wave_id)
    if not may_answer_wave(current_user, wave):
        abort(404)
    return _render_answers(wave, nomad_form(nomad.survey()))


@bp.post("/staff/nomad/waves/<int:wave_id>/answers")
@login_required
@only(can_answer_nomad)
def save_answers(wave_id: int):
    wave = _wave(wave_id)
    if not may_answer_wave(current_user, wave):
        abort(404)
    form = nomad_form(nomad.survey())
    if form.validate_on_submit():
        try:
            services.save_answers(current_user, wave, form.answers())
        except Refusal as error:
            flash(error.message, "error")
            return _render_answers(wave, form, error.status)
        flash(_("Thank you. Your answers are saved."), "success")
        return redirect(url_for("core.home"))
    return _render_answers(wave, form, 422)


@bp.get("/staff/nomad/results")
@login_required
@only(can_lead_adoption)
def nomad_results():
    site = _led_site()
    results = figures.nomad_results(site) if site else []
    show = Presenter(current_user.has_role(R.ADMIN))
    figures.protect_results(show, results)
    return render_template(
        "adoption/nomad_results.html",
        site=site,
        sites=organisation_services.all_sites() if current_user.has_role(R.ADMIN) else [],
        results=results,
        survey=nomad.survey(),
        show=show,
    )
