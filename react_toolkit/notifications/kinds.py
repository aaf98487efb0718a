"""The kinds of notice the toolkit sends, who gets each, and how each may reach them.

A kind says whether the person may choose text or nothing instead of email, and its text
message: fixed words that never hold what anyone wrote and never name more than
"REACT toolkit", in case someone else reads the phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

EMAIL = "email"
SMS = "sms"
NONE = "none"
FANOUT = "fanout"

RELATIVE = "relative"
STAFF = "staff"
ANYONE = "anyone"


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    audience: str  # who chooses how it reaches them: relative, staff, or anyone (not chosen)
    sms: str | None = None  # the whole text message, or None if this kind never goes by text
    can_turn_off: bool = True  # False: safety depends on it; it may be redirected, never stopped
    default: str = EMAIL
    choosable: bool = True  # False: it always goes by email (a link the person asked for)


SMS_REPLY = "REACT toolkit: you have a new message. Sign in to read it."
SMS_FORUM = "REACT toolkit: there is something new for you. Sign in to see it."
SMS_REMINDER = "REACT toolkit: a reminder is waiting for you. Sign in to see it."
SMS_INVITATION = "REACT toolkit: your invitation code is {code}. It works until {until}."
SMS_INVITATION_REMINDER = "REACT toolkit: your invitation ends on {until}. Code: {code}."
SMS_STAFF = "REACT toolkit: something is waiting for your team. Sign in to see it."
SMS_URGENT = "REACT toolkit: urgent. Something is waiting for your team. Sign in now."

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind("account.password_reset", _l("Password reset links"), ANYONE, choosable=False),
        Kind("account.welcome", _l("New staff account links"), ANYONE, choosable=False),
        Kind("account.second_factor_reset", _l("Second factor reset"), ANYONE, choosable=False),
        Kind("invitation", _l("Invitations"), ANYONE, sms=SMS_INVITATION, choosable=False),
        Kind(
            "invitation.reminder",
            _l("Invitation reminders"),
            ANYONE,
            sms=SMS_INVITATION_REMINDER,
            choosable=False,
        ),
        Kind("inbox.reply", _l("A reply from your team"), RELATIVE, sms=SMS_REPLY),
        Kind("forum.reply", _l("New replies in forum threads you follow"), RELATIVE, sms=SMS_FORUM),
        Kind("outcomes.reminder", _l("Questionnaire reminders"), RELATIVE, sms=SMS_REMINDER),
        Kind(
            "return.nudge",
            _l("A nudge if you have not been back for 3 weeks"),
            RELATIVE,
            sms=SMS_REMINDER,
            default=NONE,
        ),
        Kind("inbox.team_notice", _l("A relative has written to your team"), STAFF, sms=SMS_STAFF),
        Kind("inbox.urgent", _l("Urgent message from a relative"), STAFF, sms=SMS_URGENT, can_turn_off=False),
        Kind("inbox.overdue", _l("Urgent message overdue"), STAFF, sms=SMS_URGENT, can_turn_off=False),
        Kind("forum.digest", _l("Moderation digest"), STAFF),
        Kind("dashboard.staff_reminder", _l("Reminders to invite relatives"), STAFF),
    )
}


def kind(key: str) -> Kind:
    return KINDS[key]


def choosable_for(is_staff: bool, is_relative: bool) -> list[Kind]:
    """The kinds a person chooses the channel of, in the order the settings page lists them."""
    return [
        k
        for k in KINDS.values()
        if k.choosable and ((k.audience == STAFF and is_staff) or (k.audience == RELATIVE and is_relative))
    ]
