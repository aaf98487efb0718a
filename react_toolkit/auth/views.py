"""Sign in and out, registration, passwords, account, invitations and staff accounts."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from wtforms import SelectChoice

from react_toolkit.auth import erasure, permissions, queries, services
from react_toolkit.auth import roles as R
from react_toolkit.auth.forms import (
    ChangePasswordForm,
    DeleteAccountForm,
    EraseRelativeForm,
    ForgotPasswordForm,
    InvitationForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
    StaffForm,
)
from react_toolkit.auth.subject_access import subject_access_export
from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.i18n.formatting import format_date
from react_toolkit.timeutil import local, now

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, never a scheme-relative URL."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    return target


def _address() -> str:
    return request.remote_addr or ""


def _begin_browser_session(user) -> None:
    session.clear()
    session.permanent = True
    login_user(user)


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = SignInForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.sign_in(form.email.data, form.password.data, _address())
        except Refusal as error:
            form.email.errors.append(error.message)
            status = error.status
        else:
            _begin_browser_session(user)
            return redirect(safe_next(request.args.get("next")) or url_for("core.home"))
    elif form.errors:
        status = 400
    return render_template("auth/sign_in.html", form=form), status


@bp.post("/sign-out")
def sign_out():
    if current_user.is_authenticated:
        services.sign_out(current_user)
        logout_user()
    session.clear()
    idle = request.form.get("reason") == "idle"
    return redirect(url_for("auth.signed_out", reason="idle" if idle else None))


@bp.get("/signed-out")
def signed_out():
    return render_template("auth/signed_out.html", idle=request.args.get("reason") == "idle")


@bp.post("/session/keep-alive")
@login_required
def keep_alive():
    services.keep_alive(current_user)
    return jsonify(status="ok")


@bp.route("/register", methods=["GET", "POST"])
@bp.route("/register/<code>", methods=["GET", "POST"])
def register(code: str | None = None):
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = RegisterForm()
    if request.method == "GET" and code:
        form.code.data = services.format_code(services.normalise_code(code))
        form.email.data = services.invited_email(code)
    status = 200
    if form.validate_on_submit():
        data = services.Registration(
            email=form.email.data,
            forum_name=form.forum_name.data,
            password=form.password.data,
            research_consent=form.research_consent.data,
            code=form.code.data or "",
            return_nudge=bool(form.return_nudge.data),
        )
        try:
            user = services.register_relative(data, _address())
        except Refusal as error:
            form[error.field or "code"].errors.append(error.message)
            status = error.status
        else:
            _begin_browser_session(user)
            flash(_("Your account is ready. Welcome to the toolkit."), "success")
            return redirect(url_for("core.home"))
    elif form.errors:
        status = 400
    return render_template("auth/register.html", form=form), status


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data, _address())
        return render_template("auth/reset_sent.html")
    return render_template("auth/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    row = services.find_account_token(token)
    if row is None:
        return render_template("auth/reset_expired.html"), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.set_password_with_token(token, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("Your password is set. Sign in with your new password."), "success")
        return redirect(url_for("auth.sign_in"))
    return render_template(
        "auth/reset_password.html", form=form, welcome=row.purpose == "welcome"
    ), 400 if form.errors else 200


@bp.get("/account")
@login_required
def view_account():
    return render_template("auth/account.html")


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except Refusal as error:
            form[error.field].errors.append(error.message)
            status = error.status
        else:
            flash(
                _("Your password has been changed. You have been signed out on your other devices."),
                "success",
            )
            return redirect(url_for("auth.view_account"))
    elif form.errors:
        status = 400
    return render_template("auth/change_password.html", form=form), status


@bp.post("/account/sessions/end-others")
@login_required
def end_other_sessions():
    count = services.sign_out_everywhere_else(current_user)
    flash(
        ngettext("Signed out on %(num)d other device.", "Signed out on %(num)d other devices.", count),
        "success",
    )
    return redirect(url_for("auth.view_account"))


@bp.get("/account/data")
@login_required
def download_data():
    if not permissions.is_relative_account(current_user):
        abort(404)
    body = json.dumps(subject_access_export(current_user), indent=2, ensure_ascii=False)
    filename = f"react-my-data-{local(now()).date().isoformat()}.json"
    return Response(
        body,
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename={filename}", "Cache-Control": "no-store"},
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    if not permissions.is_relative_account(current_user):
        abort(404)
    form = DeleteAccountForm()
    status = 200
    if form.validate_on_submit():
        try:
            erasure.delete_own_account(current_user, form.password.data)
        except Refusal as error:
            form[error.field or "password"].errors.append(error.message)
            status = error.status
        else:
            logout_user()
            session.clear()
            return redirect(url_for("auth.account_deleted"))
    elif form.errors:
        status = 400
    return render_template("auth/delete_account.html", form=form), status


@bp.get("/account/deleted")
def account_deleted():
    return render_template("auth/account_deleted.html")


# Invitations -----------------------------------------------------------------


@bp.get("/invitations")
@login_required
@only(permissions.can_see_invitations)
def list_invitations():
    return render_template(
        "auth/list_invitations.html",
        invitations=queries.invitations_visible_to(current_user),
        moment=now(),
    )


@bp.route("/invitations/new", methods=["GET", "POST"])
@login_required
@only(permissions.can_invite)
def new_invitation():
    teams = queries.invitable_teams(current_user)
    form = InvitationForm()
    # The trust's record reference is asked for, and kept, only where the site has turned it on.
    if not services.records_references(current_user.site):
        del form.reference
    form.team_id.choices = [SelectChoice(team.id, team.name) for team in teams]
    if request.method == "GET" and current_user.team_id:
        form.team_id.data = current_user.team_id
    # Teams without a local crisis number cannot invite yet; say so before anyone fills the form in.
    blocked = [
        services.no_crisis_number_message(team) for team in teams if not (team.crisis_phone or "").strip()
    ]
    status = 200
    if form.validate_on_submit():
        team = next(team for team in teams if team.id == form.team_id.data)
        try:
            invitation = services.create_invitation(
                current_user,
                team,
                form.method.data,
                form.email.data if form.method.data == "email" else None,
                label=form.label.data or "",
                reference=form.reference.data if "reference" in form else None,
                mobile=form.mobile.data if form.method.data == "code" else None,
            )
        except Refusal as error:
            status = error.status
            if error.field in form:
                form[error.field].errors.append(error.message)
        else:
            return redirect(url_for("auth.view_invitation", invitation_id=invitation.id))
    return render_template("auth/new_invitation.html", form=form, blocked=blocked), (
        status if status != 200 else 400 if form.errors else 200
    )


def _invitation_or_404(invitation_id: int):
    invitation = queries.invitation_for(current_user, invitation_id)
    if invitation is None:
        abort(404)
    return invitation


def _show_invitation(invitation, problem: str | None = None, status: int = 200):
    return render_template(
        "auth/view_invitation.html",
        invitation=invitation,
        code=services.format_code(invitation.code),
        status=invitation.status(now()),
        resent_as=services.resent_as(invitation),
        problem=problem,
    ), status


@bp.get("/invitations/<int:invitation_id>")
@login_required
def view_invitation(invitation_id: int):
    return _show_invitation(_invitation_or_404(invitation_id))


@bp.post("/invitations/<int:invitation_id>/withdraw")
@login_required
def withdraw_invitation(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    services.revoke_invitation(current_user, invitation)
    flash(_("The invitation has been withdrawn. Its code no longer works."), "success")
    return redirect(url_for("auth.view_invitation", invitation_id=invitation.id))


@bp.post("/invitations/<int:invitation_id>/resend")
@login_required
def resend_invitation(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    try:
        again = services.resend_invitation(current_user, invitation)
    except Refusal as error:
        return _show_invitation(invitation, error.message, error.status)
    if again.method == "email":
        flash(
            _("We have sent the invitation again with a new code. The old code no longer works."), "success"
        )
    else:
        flash(_("Here is a new code for the relative. The old code no longer works."), "success")
    return redirect(url_for("auth.view_invitation", invitation_id=again.id))


@bp.post("/invitations/<int:invitation_id>/extend")
@login_required
def extend_invitation(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    try:
        services.extend_invitation(current_user, invitation)
    except Refusal as error:
        return _show_invitation(invitation, error.message, error.status)
    flash(
        _(
            "The invitation now works until %(date)s, with the same code.",
            date=format_date(invitation.expires_at),
        ),
        "success",
    )
    return redirect(url_for("auth.view_invitation", invitation_id=invitation.id))


@bp.get("/invitations/<int:invitation_id>/handout")
@login_required
def invitation_handout(invitation_id: int):
    invitation = _invitation_or_404(invitation_id)
    if invitation.status(now()) != "waiting":
        abort(404)
    code = services.format_code(invitation.code)
    team = invitation.team
    crisis_team = {
        "name": team.crisis_phone_label or _("%(team)s crisis line", team=team.name),
        "tel": "".join(ch for ch in team.crisis_phone if ch.isdigit() or ch == "+"),
        "number": team.crisis_phone,
    }
    return render_template(
        "auth/invitation_handout.html",
        invitation=invitation,
        code=code,
        crisis_team=crisis_team if team.crisis_phone else None,
        qr=services.handout_qr(invitation, _("QR code that opens the registration page with your code")),
        link=f"{current_app.config['BASE_URL']}/register",
    )


# Staff accounts ----------------------------------------------------------------


@bp.get("/staff")
@login_required
@only(permissions.can_manage_staff)
def list_staff():
    return render_template("auth/list_staff.html", staff=queries.staff_visible_to(current_user))


@bp.route("/staff/new", methods=["GET", "POST"])
@login_required
@only(permissions.can_manage_staff)
def new_staff():
    form = StaffForm()
    form.roles.choices = [
        SelectChoice(role, R.LABELS[role]) for role in permissions.grantable_roles(current_user)
    ]
    sites = queries.manageable_sites(current_user)
    form.site_id.choices = [SelectChoice(site.id, site.name) for site in sites]
    if len(sites) == 1 and form.site_id.data is None:
        form.site_id.data = sites[0].id
    team_choices = [SelectChoice(0, _("No team (works across the site)"))]
    team_choices += [
        SelectChoice(team.id, f"{team.name} ({team.site.name})") for site in sites for team in site.teams
    ]
    form.team_id.choices = team_choices
    status = 200
    if form.validate_on_submit():
        team_id = form.team_id.data or None
        site = next(site for site in sites if site.id == form.site_id.data)
        if team_id and team_id not in {team.id for team in site.teams}:
            form.team_id.errors.append(_("Choose a team at the site you chose"))
            status = 400
        else:
            try:
                services.create_staff_account(
                    current_user,
                    email=form.email.data,
                    full_name=form.full_name.data,
                    roles=form.roles.data,
                    site_id=site.id,
                    team_id=team_id,
                )
            except Refusal as error:
                form[error.field].errors.append(error.message)
                status = error.status
            else:
                flash(
                    _("The account has been created. We have emailed them a link to set a password."),
                    "success",
                )
                return redirect(url_for("auth.list_staff"))
    elif form.errors:
        status = 400
    return render_template("auth/new_staff.html", form=form), status


# Administrators -----------------------------------------------------------------


@bp.route("/admin/relatives/<int:user_id>/erase", methods=["GET", "POST"])
@login_required
@only(permissions.is_admin)
def erase_relative(user_id: int):
    relative = erasure.relative_to_erase(user_id)
    if relative is None:
        abort(404)
    form = EraseRelativeForm()
    status = 200
    if form.validate_on_submit():
        try:
            erasure.erase_relative(current_user, relative, form.reason.data)
        except Refusal as error:
            form[error.field or "reason"].errors.append(error.message)
            status = error.status
        else:
            flash(_("The account has been deleted. Its forum posts now show as a former member."), "success")
            return redirect(url_for("core.home"))
    elif form.errors:
        status = 400
    return render_template("auth/erase_relative.html", form=form, relative=relative), status


def init_app(app) -> None:
    from react_toolkit.extensions import login_manager

    @login_manager.user_loader
    def load_user(token: str):
        return services.load_session(token)

    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
