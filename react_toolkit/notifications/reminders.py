"""Reminders: one to an invited relative two days before the invitation ends (unless staff turned
it off), and a nudge to a relative who has not been back for three weeks (only if they chose it,
at most once a month).

Each is claimed and written with its notice in one transaction, so running the command again, or
on two hosts at once, never writes a second. Each is counted as a usage event.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from react_toolkit import signals
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import Invitation, User, UserRole
from react_toolkit.auth.services import format_code
from react_toolkit.extensions import db
from react_toolkit.i18n import language_of
from react_toolkit.notifications import kinds as K
from react_toolkit.notifications import services
from react_toolkit.notifications.models import InvitationReminder, NotificationChoice, NotificationSettings
from react_toolkit.timeutil import format_date, now

INVITATION_REMINDER_BEFORE = timedelta(days=2)
NUDGE_AFTER = timedelta(days=21)
NUDGE_EVERY = timedelta(days=30)


def set_invitation_reminder(invitation: Invitation, wanted: bool) -> None:
    """Staff turn one invitation's expiry reminder on or off."""
    row = db.session.get(InvitationReminder, invitation.id)
    if row is None:
        db.session.add(InvitationReminder(invitation_id=invitation.id, off=not wanted))
    else:
        row.off = not wanted
    db.session.commit()


def invitation_reminder_on(invitation: Invitation) -> bool:
    row = db.session.get(InvitationReminder, invitation.id)
    return row is None or not row.off


def _claim_invitation(invitation_id: int, moment) -> bool:
    """Mark the reminder sent, if nobody has: an UPDATE that still finds it unsent, or a new row."""
    row = db.session.get(InvitationReminder, invitation_id)
    if row is None:
        db.session.add(InvitationReminder(invitation_id=invitation_id, sent_at=moment))
        db.session.flush()
        return True
    return bool(
        db.session.execute(
            update(InvitationReminder)
            .where(
                InvitationReminder.invitation_id == invitation_id,
                InvitationReminder.sent_at.is_(None),
                InvitationReminder.off.is_(False),
            )
            .values(sent_at=moment)
            .execution_options(synchronize_session=False)
        ).rowcount
    )


def send_invitation_reminders() -> int:
    """Remind each invited relative once, two days before their invitation ends."""
    moment = now()
    config = current_app.config
    due = db.session.execute(
        select(Invitation.id, Invitation.email, InvitationReminder.mobile)
        .outerjoin(InvitationReminder, InvitationReminder.invitation_id == Invitation.id)
        .where(
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > moment,
            Invitation.expires_at <= moment + INVITATION_REMINDER_BEFORE,
            or_(Invitation.email.is_not(None), InvitationReminder.mobile.is_not(None)),
            or_(InvitationReminder.invitation_id.is_(None), InvitationReminder.sent_at.is_(None)),
            or_(InvitationReminder.invitation_id.is_(None), InvitationReminder.off.is_(False)),
        )
        .order_by(Invitation.id)
    ).all()
    sent = 0
    for invitation_id, email, mobile in due:
        try:
            if not _claim_invitation(invitation_id, moment):
                db.session.rollback()
                continue
            invitation = db.session.get(Invitation, invitation_id)
            until = format_date(invitation.expires_at)
            code = invitation.code
            services.enqueue(
                "invitation.reminder",
                email=None if mobile else email,
                mobile=mobile,
                subject=_("Your invitation to the %(service)s ends soon", service=config["SERVICE_NAME"]),
                body=render_template(
                    "notifications/email/invitation_reminder.txt",
                    link=f"{config['BASE_URL']}/register/{code}",
                    code=format_code(code),
                    until=until,
                ),
                sms={"code": format_code(code), "until": until},
            )
            signals.notification_reminder_sent.send(
                None,
                object_type="invitation",
                object_id=invitation_id,
                site_id=invitation.site_id,
                team_id=invitation.team_id,
            )
            db.session.commit()
        except IntegrityError:
            db.session.rollback()  # another host claimed it first
            continue
        sent += 1
    return sent


def _nudge_candidates(moment) -> list[User]:
    chosen = select(NotificationChoice.user_id).where(
        NotificationChoice.kind == "return.nudge", NotificationChoice.channel != K.NONE
    )
    relatives = select(UserRole.user_id).where(UserRole.role == R.RELATIVE)
    return list(
        db.session.scalars(
            select(User)
            .outerjoin(NotificationSettings, NotificationSettings.user_id == User.id)
            .where(
                User.id.in_(chosen),
                User.id.in_(relatives),
                User.active,
                User.last_login_at.is_not(None),
                User.last_login_at <= moment - NUDGE_AFTER,
                or_(
                    NotificationSettings.last_nudged_at.is_(None),
                    NotificationSettings.last_nudged_at <= moment - NUDGE_EVERY,
                ),
            )
            .order_by(User.id)
        )
    )


def send_nudges() -> int:
    """Nudge each relative who chose it and has not been back for three weeks, at most once a month."""
    moment = now()
    config = current_app.config
    sent = 0
    for person in _nudge_candidates(moment):
        settings = db.session.get(NotificationSettings, person.id)
        if settings is None:
            settings = NotificationSettings(user_id=person.id, last_nudged_at=moment)
            db.session.add(settings)
            try:
                db.session.flush()
            except IntegrityError:
                db.session.rollback()
                continue
        else:
            claimed = db.session.execute(
                update(NotificationSettings)
                .where(
                    NotificationSettings.user_id == person.id,
                    or_(
                        NotificationSettings.last_nudged_at.is_(None),
                        NotificationSettings.last_nudged_at <= moment - NUDGE_EVERY,
                    ),
                )
                .values(last_nudged_at=moment)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not claimed:
                db.session.rollback()
                continue
        with language_of(person):
            services.enqueue(
                "return.nudge",
                user=person,
                subject=_("New things to read on the %(service)s", service=config["SERVICE_NAME"]),
                body=render_template("notifications/email/nudge.txt", link=f"{config['BASE_URL']}/"),
            )
        # Recorded as the person's own event, so the dashboard counts it for their team.
        signals.notification_reminder_sent.send(person, object_type="user", object_id=person.id)
        db.session.commit()
        sent += 1
    return sent


def remember_invitation_mobile(invitation: Any, mobile: str) -> None:
    """Keep the number a code went to by text, for its reminder; the caller commits."""
    row = db.session.get(InvitationReminder, invitation.id)
    if row is None:
        db.session.add(InvitationReminder(invitation_id=invitation.id, mobile=mobile))
    else:
        row.mobile = mobile


def invitation_mobile(invitation: Any) -> str | None:
    """The number an invitation's code went to by text, while it is kept."""
    row = db.session.get(InvitationReminder, invitation.id)
    return row.mobile if row is not None else None


def forget_mobile(sender: Any, object_id: int | None = None, **_extra: Any) -> None:
    """When an invitation is used, the number its code went to is not needed: drop it (the
    registration commits)."""
    row = db.session.get(InvitationReminder, object_id) if object_id else None
    if row is not None:
        row.mobile = None


def forget_finished_mobiles() -> int:
    """Drop the numbers kept for reminders once their invitation is used, withdrawn or has ended."""
    finished = select(Invitation.id).where(
        or_(
            Invitation.accepted_at.is_not(None),
            Invitation.revoked_at.is_not(None),
            Invitation.expires_at <= now(),
        )
    )
    result = db.session.execute(
        update(InvitationReminder)
        .where(InvitationReminder.mobile.is_not(None), InvitationReminder.invitation_id.in_(finished))
        .values(mobile=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount
