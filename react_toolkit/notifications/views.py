"""Notification pages: each person's settings, the unsubscribe link (no sign-in), and the failed list."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.auth.models import Invitation
from react_toolkit.auth.permissions import can_see_invitations, can_view_invitation
from react_toolkit.core.access import only
from react_toolkit.extensions import db
from react_toolkit.notifications import kinds as K
from react_toolkit.notifications import reminders, services
from react_toolkit.notifications.forms import field_name, hour, settings_form
from react_toolkit.notifications.models import Notice
from react_toolkit.notifications.permissions import can_choose_notifications, can_see_failed_notices

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


def _kinds() -> list[K.Kind]:
    return K.choosable_for(services._is_staff(current_user), services._is_relative(current_user))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
@only(can_choose_notifications)
def edit_settings():
    kinds = _kinds()
    chosen = services.choices_of(current_user)
    settings = services.settings_of(current_user)
    data = {field_name(kind.key): chosen[kind.key] for kind in kinds}
    if settings is not None:
        data.update(
            mobile=settings.mobile or "",
            quiet_from="" if settings.quiet_from is None else str(settings.quiet_from),
            quiet_to="" if settings.quiet_to is None else str(settings.quiet_to),
        )
    form = settings_form(kinds, **data)
    status = 200
    if form.validate_on_submit():
        try:
            services.save_choices(
                current_user,
                {kind.key: form[field_name(kind.key)].data for kind in kinds},
                form.mobile.data or "",
                hour(form.quiet_from.data),
                hour(form.quiet_to.data),
            )
        except services.NotificationError as error:
            db.session.rollback()
            target = field_name(error.field) if error.field in K.KINDS else error.field
            form[target if target in form else "mobile"].errors.append(error.message)
            status = 400
        else:
            flash(_("Your notification settings are saved"), "success")
            return redirect(url_for("notifications.edit_settings"))
    elif form.is_submitted():
        status = 400
    return render_template(
        "notifications/edit_settings.html", form=form, kinds=kinds, field_name=field_name
    ), status


@bp.get("/unsubscribe/<token>")
def confirm_unsubscribe(token: str):
    link = services.read_unsubscribe(token)
    if link is None:
        abort(404)
    return render_template("notifications/confirm_unsubscribe.html", link=link, token=token), (
        410 if link.used else 200
    )


@bp.post("/unsubscribe/<token>")
def unsubscribe(token: str):
    link = services.read_unsubscribe(token)
    if link is None:
        abort(404)
    try:
        services.unsubscribe(link)
    except services.NotificationError:
        return render_template("notifications/confirm_unsubscribe.html", link=link, token=token), 410
    return render_template("notifications/unsubscribed.html", link=link)


@bp.get("/failed")
@login_required
@only(can_see_failed_notices)
def list_failed():
    return render_template("notifications/list_failed.html", notices=services.failed_notices())


@bp.post("/failed/<int:notice_id>/retry")
@login_required
@only(can_see_failed_notices)
def retry_failed(notice_id: int):
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.status == "sent":
        abort(404)
    if notice.status == "failed":  # one already back in the queue (another admin's click) stays as it is
        services.retry_notice(notice)
    flash(_("The notice will be tried again"), "success")
    return redirect(url_for("notifications.list_failed"))


@bp.post("/invitations/<int:invitation_id>/reminder")
@login_required
@only(can_see_invitations)
def set_invitation_reminder(invitation_id: int):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or not can_view_invitation(current_user, invitation):
        abort(404)
    wanted = request.form.get("reminder") == "on"
    reminders.set_invitation_reminder(invitation, wanted)
    flash(
        _("A reminder will go two days before the invitation ends")
        if wanted
        else _("No reminder will be sent for this invitation"),
        "success",
    )
    return redirect(url_for("auth.view_invitation", invitation_id=invitation.id))
