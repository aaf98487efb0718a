"""Writing notices to the outbox, and each person's choices about how they reach them.

`enqueue` adds a notice to the caller's session, so it commits with the change that causes it
or not at all; nothing here talks to a mail server. `fan_out` writes one job that the worker
expands (a forum reply to 500 followers costs the request one row).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, or_, select, update

from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.i18n import language_of
from react_toolkit.notifications import kinds as K
from react_toolkit.notifications.models import (
    PENDING,
    Notice,
    NotificationChoice,
    NotificationSettings,
    UsedUnsubscribe,
)
from react_toolkit.timeutil import LONDON, now

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
MOBILE = re.compile(r"^\+?[0-9]{10,15}$")


class NotificationError(Refusal):
    """A choice or number the settings page cannot take."""


# Choices ---------------------------------------------------------------------------------------


def settings_of(user: Any) -> NotificationSettings | None:
    return db.session.get(NotificationSettings, user.id)


def choices_of(user: Any) -> dict[str, str]:
    """Every kind's channel for this person: what they chose, or the kind's default."""
    rows = db.session.execute(
        select(NotificationChoice.kind, NotificationChoice.channel).where(
            NotificationChoice.user_id == user.id
        )
    ).all()
    chosen = {kind: channel for kind, channel in rows}
    return {key: chosen.get(key, kind.default) for key, kind in K.KINDS.items()}


def channel_for(user: Any, key: str) -> str:
    kind = K.kind(key)
    if not kind.choosable:
        return K.EMAIL
    row = db.session.get(NotificationChoice, (user.id, key))
    channel = row.channel if row is not None else kind.default
    if channel == K.NONE and not kind.can_turn_off:
        return K.EMAIL
    return channel


def normalise_mobile(number: str) -> str:
    """A UK mobile number written as Notify expects it: digits, an optional leading +."""
    cleaned = re.sub(r"[\s()-]", "", number or "")
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    if not MOBILE.match(cleaned):
        raise NotificationError(
            _("Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982"), "mobile"
        )
    return cleaned


def save_choices(
    user: Any, channels: dict[str, str], mobile: str, quiet_from: int | None, quiet_to: int | None
) -> None:
    """Keep how each kind of notice reaches this person, their mobile number and quiet hours."""
    allowed = {kind.key: kind for kind in K.choosable_for(_is_staff(user), _is_relative(user))}
    mobile = mobile.strip()
    number = normalise_mobile(mobile) if mobile else None
    for key, channel in channels.items():
        kind = allowed.get(key)
        if kind is None:
            continue
        if channel == K.NONE and not kind.can_turn_off:
            raise NotificationError(
                _("This alert keeps people safe. You can choose email or text, but not to turn it off"), key
            )
        if channel == K.SMS and (kind.sms is None):
            raise NotificationError(_("This notice cannot be sent by text"), key)
        if channel == K.SMS and number is None:
            raise NotificationError(_("Enter a mobile phone number to get texts"), "mobile")
    if (quiet_from is None) != (quiet_to is None):
        raise NotificationError(
            _("Choose when quiet hours start and when they end, or neither"), "quiet_from"
        )
    if quiet_from is not None and quiet_from == quiet_to:
        raise NotificationError(_("Quiet hours must start and end at different times"), "quiet_to")
    for key, channel in channels.items():
        if key not in allowed:
            continue
        row = db.session.get(NotificationChoice, (user.id, key))
        if row is None:
            db.session.add(NotificationChoice(user_id=user.id, kind=key, channel=channel))
        else:
            row.channel = channel
    settings = settings_of(user)
    if settings is None:
        settings = NotificationSettings(user_id=user.id)
        db.session.add(settings)
    settings.mobile = number
    settings.quiet_from = quiet_from
    settings.quiet_to = quiet_to
    db.session.commit()


def choose_nudge(user: Any, wanted: bool) -> None:
    """Turn the return nudge on or off (offered at sign-up); the caller commits."""
    row = db.session.get(NotificationChoice, (user.id, "return.nudge"))
    channel = K.EMAIL if wanted else K.NONE
    if row is None:
        db.session.add(NotificationChoice(user_id=user.id, kind="return.nudge", channel=channel))
    else:
        row.channel = channel


def _is_staff(user: Any) -> bool:
    from react_toolkit.auth import roles as R

    return bool(set(user.roles) & set(R.STAFF))


def _is_relative(user: Any) -> bool:
    from react_toolkit.auth import roles as R

    return R.RELATIVE in user.roles


def after_quiet_hours(settings: NotificationSettings | None, moment: datetime) -> datetime:
    """The first moment from `moment` outside the person's quiet hours (Europe/London)."""
    if settings is None or settings.quiet_from is None or settings.quiet_to is None:
        return moment
    start, end = settings.quiet_from, settings.quiet_to
    local = moment.astimezone(LONDON)
    hour = local.hour
    quiet = start <= hour < end if start < end else hour >= start or hour < end
    if not quiet:
        return moment
    day = local.date() if hour < end else local.date() + timedelta(days=1)
    wake = datetime(day.year, day.month, day.day, end, tzinfo=LONDON)
    return wake.astimezone(moment.tzinfo)


# Unsubscribe links -----------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, key: str) -> str:
    """A signed link token that turns off one kind of notice for one person, once."""
    return _serializer().dumps({"u": user_id, "k": key, "n": secrets.token_urlsafe(9)})


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    kind: K.Kind
    token_id: str
    used: bool


def read_unsubscribe(token: str) -> Unsubscribe | None:
    """What a link would turn off, or None if it is not one of ours for that purpose."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or set(data) != {"u", "k", "n"}:
        return None
    kind = K.KINDS.get(data["k"])
    if kind is None or not kind.choosable or not kind.can_turn_off or not isinstance(data["u"], int):
        return None
    token_id = hashlib.sha256(token.encode()).hexdigest()
    used = db.session.get(UsedUnsubscribe, token_id) is not None
    return Unsubscribe(data["u"], kind, token_id, used)


def unsubscribe(link: Unsubscribe) -> None:
    """Turn off the kind of notice a link names, and spend the link."""
    if link.used:
        raise NotificationError(_("This link has already been used"), "token", 410)
    row = db.session.get(NotificationChoice, (link.user_id, link.kind.key))
    if row is None:
        db.session.add(NotificationChoice(user_id=link.user_id, kind=link.kind.key, channel=K.NONE))
    else:
        row.channel = K.NONE
    db.session.add(UsedUnsubscribe(token_id=link.token_id, user_id=link.user_id, kind=link.kind.key))
    db.session.commit()


# The outbox ------------------------------------------------------------------------------------


def enqueue(
    key: str,
    *,
    user: Any = None,
    email: str | None = None,
    mobile: str | None = None,
    subject: str = "",
    body: str = "",
    sms: dict[str, str] | None = None,
) -> Notice | None:
    """Add one notice to the session, by the channel the person chose; the caller commits.

    With a user, their choice decides: email (with an unsubscribe link where they may turn it
    off), a fixed text message, or nothing. Without one, `email` or `mobile` says where it goes.
    """
    kind = K.kind(key)
    moment = now()
    due = moment
    if user is not None:
        channel = channel_for(user, key)
        if channel == K.NONE:
            return None
        settings = settings_of(user)
        if kind.can_turn_off and kind.choosable:
            due = after_quiet_hours(settings, moment)
        if channel == K.SMS and kind.sms and settings is not None and settings.mobile:
            notice = Notice(
                kind=key,
                channel=K.SMS,
                user_id=user.id,
                recipient=settings.mobile,
                body=kind.sms.format(**(sms or {})),
                due_at=due,
            )
        else:
            if kind.choosable and kind.can_turn_off:
                with language_of(user):
                    body = (
                        body.rstrip("\n")
                        + "\n\n"
                        + render_template(
                            "notifications/email/_unsubscribe.txt",
                            link=f"{current_app.config['BASE_URL']}/notifications/unsubscribe/"
                            f"{unsubscribe_token(user.id, key)}",
                            kind=kind,
                        )
                    )
            notice = Notice(
                kind=key,
                channel=K.EMAIL,
                user_id=user.id,
                recipient=user.email,
                subject=subject,
                body=body,
                due_at=due,
            )
    elif mobile:
        notice = Notice(
            kind=key, channel=K.SMS, recipient=mobile, body=(kind.sms or "").format(**(sms or {}))
        )
    elif email:
        notice = Notice(kind=key, channel=K.EMAIL, recipient=email, subject=subject, body=body)
    else:
        return None
    db.session.add(notice)
    return notice


def fan_out(key: str, **ids: int) -> Notice:
    """One job for the worker to expand into notices (ids only); the caller commits."""
    if key not in current_app.extensions.get("notification_fanouts", {}):
        raise LookupError(f"no fan-out registered for {key!r}")
    notice = Notice(kind=key, channel=K.FANOUT, payload=dict(ids))
    db.session.add(notice)
    return notice


def register_fanout(app: Flask, key: str, expand: Callable[[dict], None]) -> None:
    """Say how the worker expands a feature's fan-out job: `expand(payload)` enqueues the notices."""
    app.extensions.setdefault("notification_fanouts", {})[key] = expand


def failed_notices(limit: int = 200) -> list[Notice]:
    return list(
        db.session.scalars(
            select(Notice).where(Notice.status == "failed").order_by(Notice.id.desc()).limit(limit)
        )
    )


def retry_notice(notice: Notice) -> None:
    """Put a failed notice back in the queue (an administrator, once the cause is fixed)."""
    notice.status = PENDING
    notice.attempts = 0
    notice.due_at = now()
    notice.claimed_by = None
    notice.lease_until = None
    db.session.commit()


def erase(user: Any) -> None:
    """On erasure: notices to this person (or their address) not yet sent go; sent ones are emptied."""
    settings = settings_of(user)
    addresses = {user.email.lower()} | (
        {settings.mobile} if settings is not None and settings.mobile else set()
    )
    theirs = or_(Notice.user_id == user.id, func.lower(Notice.recipient).in_(addresses))
    db.session.execute(delete(Notice).where(theirs, Notice.status != "sent"))
    db.session.execute(
        update(Notice)
        .where(theirs)
        .values(recipient="", subject="", body="", user_id=None)
        .execution_options(synchronize_session=False)
    )
    for model in (NotificationChoice, NotificationSettings, UsedUnsubscribe):
        db.session.execute(delete(model).where(model.user_id == user.id))
