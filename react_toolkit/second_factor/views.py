"""The second factor: the check before every page, the code page, set-up, the account's own page, resets."""

from __future__ import annotations

import base64

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user

from react_toolkit.auth import queries as auth_queries
from react_toolkit.auth.models import User
from react_toolkit.auth.views import safe_next
from react_toolkit.core.access import only
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.second_factor import services
from react_toolkit.second_factor.forms import (
    CodeForm,
    NewPasskeyForm,
    PasskeyForm,
    PasswordForm,
    ResetForm,
    SetUpForm,
)
from react_toolkit.second_factor.permissions import can_reset_second_factors, may_turn_off

bp = Blueprint("second_factor", __name__)

# What someone who has typed their password but not yet passed the second factor may open: these
# pages, signing out, the help and policy pages, the language switch and static files. Nothing else.
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "second_factor.check",
        "second_factor.check_passkey",
        "second_factor.set_up",
        "auth.sign_out",
        "auth.signed_out",
        "auth.keep_alive",
        "risk.crisis",
        "core.privacy",
        "core.terms",
        "core.accessibility",
        "core.healthz",
        "i18n.choose_language",
        "static",
    }
)


def also_open(app: Flask, *endpoints: str) -> None:
    """Let another feature's help pages open before the second factor is passed, as the policy pages do."""
    app.extensions.setdefault("open_before_second_factor", set()).update(endpoints)


def open_before_second_factor() -> frozenset[str]:
    """Every page open to a session that still owes the second factor: these and the ones lent."""
    return OPEN_BEFORE_SECOND_FACTOR | frozenset(current_app.extensions.get("open_before_second_factor", ()))


SETTING_UP = "second_factor_set_up"
CHALLENGE = "passkey_challenge"
PASSKEY_NAME = "passkey_name"


def _next() -> str:
    return safe_next(request.args.get("next")) or url_for("core.home")


def _wanted() -> str | None:
    """Where the person was going, to send them on after the second factor; GET pages only."""
    if request.method != "GET":
        return None
    return safe_next(request.full_path.rstrip("?"))


def check_second_factor() -> Response | None:
    """Before every request: someone who still owes the second factor goes to it, whatever they asked for."""
    if request.endpoint in open_before_second_factor():
        # Decided without the database: the crisis page must open even when it is down.
        return None
    if not _owes_second_factor():
        return None
    page = "second_factor.check" if services.is_on(current_user) else "second_factor.set_up"
    return redirect(url_for(page, next=_wanted()), 303 if request.method == "POST" else 302)


def renew_session_cookie(response: Response) -> Response:
    """After the second factor is passed, the cookie carries the session's new token."""
    if g.get("session_token_renewed") and current_user.is_authenticated:
        login_user(current_user._get_current_object())
    return response


def _owes_second_factor() -> bool:
    """Whether this session still owes the second factor, once a remembered device has had its say."""
    pending = services.is_pending(current_user) and not services.pass_with_remembered_device(
        current_user, request.cookies.get(services.DEVICE_COOKIE)
    )
    g.second_factor_pending = pending
    return pending


def second_factor_pending() -> bool:
    """For the layout: this page is shown to someone who has not yet passed the second factor."""
    return bool(g.get("second_factor_pending"))


def _remember(response: Response, wanted: bool) -> Response:
    if not wanted:
        return response
    value = services.remember_device(current_user)
    if value:
        response.set_cookie(
            services.DEVICE_COOKIE,
            value,
            max_age=services.remember_days() * 24 * 3600,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            httponly=True,
            samesite="Lax",
        )
    return response


def _check_page(form: CodeForm, status: int = 200):
    days = services.remember_days()
    form.remember.label.text = ngettext(
        "Do not ask for a code on this device for %(num)d day",
        "Do not ask for a code on this device for %(num)d days",
        days,
    )
    offer = services.passkey_request(current_user)
    if offer is not None:
        options, challenge = offer
        session[CHALLENGE] = base64.urlsafe_b64encode(challenge).decode()
    return render_template(
        "second_factor/check.html",
        form=form,
        passkey_options=offer[0] if offer else None,
        remember_days=days,
        next=safe_next(request.args.get("next")),
    ), status


@bp.route("/second-factor", methods=["GET", "POST"])
@login_required
def check():
    if not _owes_second_factor():
        return redirect(_next())
    if not services.is_on(current_user):
        return redirect(url_for("second_factor.set_up", next=safe_next(request.args.get("next"))))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.check_code(current_user, form.code.data)
        except Refusal as error:
            form.code.errors.append(error.message)
            status = error.status
        else:
            return _remember(redirect(_next()), form.remember.data and services.remember_days() > 0)
        form.code.data = ""
    elif form.errors:
        status = 400
    return _check_page(form, status)


@bp.post("/second-factor/passkey")
@login_required
def check_passkey():
    if not _owes_second_factor():
        return redirect(_next())
    form = PasskeyForm()
    encoded = session.pop(CHALLENGE, None)
    challenge = base64.urlsafe_b64decode(encoded) if encoded else None
    code_form = CodeForm(formdata=None)
    status = 400
    if form.validate_on_submit():
        try:
            services.check_passkey(current_user, form.credential.data, challenge)
        except Refusal as error:
            code_form.code.errors = [error.message]
            status = error.status
        else:
            return _remember(redirect(_next()), form.remember.data == "y" and services.remember_days() > 0)
    else:
        code_form.code.errors = [services.passkey_refused()]
    return _check_page(code_form, status)


@bp.route("/second-factor/set-up", methods=["GET", "POST"])
@login_required
def set_up():
    pending = _owes_second_factor()
    if pending and services.is_on(current_user):
        return redirect(url_for("second_factor.check", next=safe_next(request.args.get("next"))))
    form = SetUpForm()
    if pending:
        # At sign-in they have just typed their password; from the account page, they type it again.
        del form.password
    set_up = services.start_set_up(current_user, session.get(SETTING_UP))
    session[SETTING_UP] = set_up.sealed
    status = 200
    if form.validate_on_submit():
        try:
            codes = services.confirm_set_up(
                current_user, set_up.sealed, form.code.data, None if pending else form.password.data
            )
        except Refusal as error:
            form[error.field or "code"].errors.append(error.message)
            status = error.status
        else:
            session.pop(SETTING_UP, None)
            if codes:
                return render_template(
                    "second_factor/recovery_codes.html", codes=codes, next=_next() if pending else None
                )
            flash(
                _("Your new authenticator app is set up. Codes from the old one no longer work."), "success"
            )
            return redirect(url_for("second_factor.manage"))
        form.code.data = ""
    elif form.errors:
        status = 400
    return render_template(
        "second_factor/set_up.html",
        form=form,
        set_up=set_up,
        qr=set_up.qr_svg(_("QR code to scan with your authenticator app")),
        pending=pending,
        replacing=services.is_on(current_user),
        next=safe_next(request.args.get("next")),
    ), status


# The person's own second factor ---------------------------------------------------------------------


@bp.get("/account/second-factor")
@login_required
def manage():
    on = services.is_on(current_user)
    return render_template(
        "second_factor/manage.html",
        on=on,
        required=services.is_required(current_user),
        codes_left=services.recovery_codes_left(current_user) if on else 0,
        passkeys=services.passkeys_of(current_user),
        devices=services.remembered_devices(current_user),
        remember_days=services.remember_days(),
    )


@bp.route("/account/second-factor/recovery-codes", methods=["GET", "POST"])
@login_required
def new_recovery_codes():
    if not services.is_on(current_user):
        return redirect(url_for("second_factor.manage"))
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = services.renew_recovery_codes(current_user, form.password.data)
        except Refusal as error:
            form.password.errors.append(error.message)
            status = error.status
        else:
            return render_template("second_factor/recovery_codes.html", codes=codes, next=None)
    elif form.errors:
        status = 400
    return render_template("second_factor/new_recovery_codes.html", form=form), status


@bp.route("/account/second-factor/passkeys/new", methods=["GET", "POST"])
@login_required
def new_passkey():
    if not services.is_on(current_user):
        return redirect(url_for("second_factor.manage"))
    form = NewPasskeyForm()
    status = 200
    if form.validate_on_submit():
        try:
            options, challenge = services.begin_passkey(current_user, form.password.data)
        except Refusal as error:
            form[error.field or "password"].errors.append(error.message)
            status = error.status
        else:
            session[CHALLENGE] = base64.urlsafe_b64encode(challenge).decode()
            session[PASSKEY_NAME] = form.name.data or ""
            return render_template("second_factor/create_passkey.html", options=options)
    elif form.errors:
        status = 400
    return render_template("second_factor/new_passkey.html", form=form), status


@bp.post("/account/second-factor/passkeys")
@login_required
def save_passkey():
    if not services.is_on(current_user):
        return redirect(url_for("second_factor.manage"))
    form = PasskeyForm()
    encoded = session.pop(CHALLENGE, None)
    name = session.pop(PASSKEY_NAME, "")
    problem = services.passkey_not_saved()
    status = 400
    if form.validate_on_submit() and encoded:
        try:
            services.add_passkey(current_user, form.credential.data, base64.urlsafe_b64decode(encoded), name)
        except Refusal as error:
            problem, status = error.message, error.status
        else:
            flash(_("Your passkey is saved. You can use it instead of a code when you sign in."), "success")
            return redirect(url_for("second_factor.manage"))
    retry = NewPasskeyForm(formdata=None)
    retry.name.data = name
    retry.name.errors = [problem]
    return render_template("second_factor/new_passkey.html", form=retry), status


@bp.post("/account/second-factor/passkeys/<int:passkey_id>/remove")
@login_required
def remove_passkey(passkey_id: int):
    if not services.remove_passkey(current_user, passkey_id):
        abort(404)
    flash(_("The passkey has been removed. It no longer works for your account."), "success")
    return redirect(url_for("second_factor.manage"))


@bp.post("/account/second-factor/devices/forget")
@login_required
def forget_devices():
    services.forget_devices(current_user)
    flash(_("Every device will ask for a code the next time you sign in."), "success")
    return redirect(url_for("second_factor.manage"))


@bp.route("/account/second-factor/turn-off", methods=["GET", "POST"])
@login_required
@only(may_turn_off)
def turn_off():
    if not services.is_on(current_user):
        return redirect(url_for("second_factor.manage"))
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.turn_off(current_user, form.password.data)
        except Refusal as error:
            form.password.errors.append(error.message)
            status = error.status
        else:
            flash(_("Your second factor is off. You sign in with your password only."), "success")
            return redirect(url_for("second_factor.manage"))
    elif form.errors:
        status = 400
    return render_template("second_factor/turn_off.html", form=form), status


# Administrators ------------------------------------------------------------------------------------------


@bp.get("/admin/second-factor")
@login_required
@only(can_reset_second_factors)
def staff_overview():
    staff = auth_queries.staff_visible_to(current_user)
    return render_template(
        "second_factor/staff_overview.html",
        staff=staff,
        states=services.states(staff),
        resets=services.reset_log(),
    )


@bp.route("/admin/second-factor/<int:user_id>/reset", methods=["GET", "POST"])
@login_required
@only(can_reset_second_factors)
def reset_colleague(user_id: int):
    person = db.session.get(User, user_id)
    if person is None or person.erased_at is not None or person.id == current_user.id:
        abort(404)
    form = ResetForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.reset(current_user, person, form.reason.data)
        except Refusal as error:
            form[error.field or "reason"].errors.append(error.message)
            status = error.status
        else:
            flash(
                _("Their second factor has been reset and they have been signed out. We have emailed them."),
                "success",
            )
            return redirect(url_for("second_factor.staff_overview"))
    elif form.errors:
        status = 400
    return render_template(
        "second_factor/reset_colleague.html", form=form, person=person, on=services.is_on(person)
    ), status
