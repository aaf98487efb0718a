"""The crisis contacts: national numbers, plus the person's own team's crisis line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Contact:
    name: str
    how: str
    when: str
    tel: str | None = None
    sms: str | None = None
    number: str | None = None


NATIONAL_CONTACTS = (
    Contact(
        "999",
        _l("Call 999, or go to A&E, if someone's life is at risk right now."),
        _l("Any time"),
        tel="999",
    ),
    Contact(
        _l("NHS 111"),
        _l("Call 111 and choose the mental health option to speak to a local NHS mental health team."),
        _l("Any time, free"),
        tel="111",
    ),
    Contact(
        _l("Samaritans"),
        _l("Call 116 123 to talk to someone about anything that is troubling you."),
        _l("Any time, free"),
        tel="116123",
    ),
    Contact(
        _l("Shout"),
        _l("Text SHOUT to 85258 if you would rather text than talk."),
        _l("Any time, free"),
        sms="85258",
    ),
)


def team_contact(user: Any) -> Contact | None:
    """The local crisis line of the person's team, when we know their team and it has one."""
    team = getattr(user, "team", None) if getattr(user, "is_authenticated", False) else None
    if team is None or not team.crisis_phone:
        return None
    digits = "".join(ch for ch in team.crisis_phone if ch.isdigit() or ch == "+")
    label = team.crisis_phone_label or gettext("%(team)s crisis line", team=team.name)
    return Contact(
        label,
        gettext("Call %(number)s.", number=team.crisis_phone),
        gettext("See the hours your team gave you"),
        tel=digits,
        number=team.crisis_phone,
    )
