"""The implementation dashboard page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from react_toolkit.auth import roles as R
from react_toolkit.core.access import only
from react_toolkit.core.numbers import query_number
from react_toolkit.dashboard import feedback, figures, rollup, sections
from react_toolkit.dashboard.permissions import (
    can_see_dashboard,
    may_see_site,
    sees_all_sites,
    sees_exact_counts,
)
from react_toolkit.dashboard.present import UPTAKE_COUNTS, UPTAKE_PARTS, Presenter, protect_uptake
from react_toolkit.i18n.formatting import format_month
from react_toolkit.organisations import services as organisation_services
from react_toolkit.organisations.models import Site
from react_toolkit.timeutil import now

bp = Blueprint("dashboard", __name__)


def _scope_for(user, site_id: int | None) -> tuple[figures.Scope, Site | None]:
    """The sites this person asked for and may see; 403 for a site that is not theirs."""
    if site_id is not None:
        site = organisation_services.get_site(site_id)
        if site is None:
            abort(404)
        if not may_see_site(user, site.id):
            abort(403)
        return figures.Scope((site.id,)), site
    if sees_all_sites(user):
        return figures.Scope(None), None
    return figures.Scope((user.site_id,)), organisation_services.get_site(user.site_id)


def _month_choices(first, last) -> list[tuple[str, str]]:
    choices, month = [], first
    while month <= last:
        choices.append((f"{month:%Y-%m}", format_month(month)))
        month = rollup.next_month(month)
    return choices


@bp.get("/dashboard")
@login_required
@only(can_see_dashboard)
def show():
    site_id = query_number("site")
    scope, site = _scope_for(current_user, site_id)
    earliest = figures.earliest_month(scope)
    errors: dict[str, str] = {}
    chosen = {"from": request.args.get("from", ""), "to": request.args.get("to", "")}
    try:
        period = figures.Period.parse(chosen["from"] or None, chosen["to"] or None, earliest)
    except figures.MonthError as error:
        errors[error.field] = str(error)
        period = figures.Period.parse(None, None, earliest)
    this_month = rollup.month_start(now())
    choices = _month_choices(min(earliest, period.start), max(this_month, period.last))
    uptake_teams, uptake_sites, uptake_total = figures.uptake(period, scope)
    if site is not None:
        uptake_sites = []
    show = Presenter(sees_exact_counts(current_user))
    protect_uptake(show, uptake_teams, uptake_sites, uptake_total)
    return render_template(
        "dashboard/show.html",
        site=site,
        sites=organisation_services.all_sites() if sees_all_sites(current_user) else [],
        period=period,
        chosen={
            "from": chosen["from"] or f"{period.start:%Y-%m}",
            "to": chosen["to"] or f"{period.last:%Y-%m}",
        },
        choices=choices,
        errors=errors,
        uptake_teams=uptake_teams,
        uptake_sites=uptake_sites,
        uptake_total=uptake_total,
        reach=figures.reach(period, scope),
        use=figures.use(period, scope),
        safety=figures.safety(period, scope),
        reading=figures.forum_reading(period, scope),
        maintenance=figures.maintenance(scope),
        sections=sections.sections_for(period, scope),
        show=show,
        refreshed=rollup.last_refreshed(),
        can_refresh=sees_exact_counts(current_user),
    )


@bp.post("/dashboard/refresh")
@login_required
@only(sees_exact_counts)
def refresh():
    """Bring the page-view figures up to date now, rather than at the next scheduled run."""
    report = rollup.refresh()
    flash(
        ngettext(
            "Page-view figures brought up to date (%(num)d month recounted).",
            "Page-view figures brought up to date (%(num)d months recounted).",
            len(report.months),
        )
    )
    return redirect(url_for("dashboard.show"))


@bp.get("/dashboard/teams/<int:team_id>/report")
@login_required
@only(can_see_dashboard)
def team_report(team_id: int):
    """The monthly audit-and-feedback report for one team, ready to print."""
    team = organisation_services.get_team(team_id)
    if team is None:
        abort(404)
    if not may_see_site(current_user, team.site_id):
        abort(403)
    latest = feedback.last_full_month()
    error = None
    month = latest
    asked = request.args.get("month", "")
    if asked:
        try:
            month = figures.Period.parse(asked, asked, latest).start
        except ValueError:
            error = _("Enter the month like 2026-04")
        else:
            if month > rollup.month_start(now()):
                error, month = _("Choose a month that has started"), latest
    # Names of staff who have not invited lately are for the site lead of this trust only.
    is_site_lead = current_user.has_role(R.SITE_LEAD) and current_user.site_id == team.site_id
    report = feedback.team_report(team, month)
    show = Presenter(sees_exact_counts(current_user))
    for comparison in (report.this_month, report.to_date):
        show.protect([(comparison.trust, [comparison.team, *comparison.others])], UPTAKE_COUNTS, UPTAKE_PARTS)
    return render_template(
        "dashboard/team_report.html",
        report=report,
        quiet=feedback.quiet_staff(team) if is_site_lead else None,
        quiet_days=feedback.QUIET_DAYS,
        asked=asked or f"{month:%Y-%m}",
        error=error,
        show=show,
        parts=sections.report_parts_for(report.team, report.month, current_user),
    ), (400 if error else 200)
