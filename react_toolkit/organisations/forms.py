"""Forms for sites and teams."""

from __future__ import annotations

import re
from datetime import time

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from react_toolkit.organisations.models import WEEKDAYS

PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


def parse_clock(value: str) -> time | None:
    match = CLOCK.match((value or "").strip())
    return time(int(match.group(1)), int(match.group(2))) if match else None


class SiteForm(FlaskForm):
    name = StringField(
        _l("Trust name"),
        validators=[
            DataRequired(_l("Enter the trust's name")),
            Length(max=200, message=_l("The trust's name must be 200 characters or fewer")),
        ],
    )
    code = StringField(
        _l("Short code"),
        description=_l("Lower-case letters, numbers and hyphens, for example north-trust."),
        validators=[
            DataRequired(_l("Enter a short code")),
            Length(max=40, message=_l("The short code must be 40 characters or fewer")),
        ],
    )

    def validate_code(self, field) -> None:
        if not re.fullmatch(r"[a-z0-9-]+", field.data or ""):
            raise ValidationError(_l("Use only lower-case letters, numbers and hyphens"))


class SiteSettingsForm(FlaskForm):
    record_invitation_reference = BooleanField(
        _l("Record a reference on invitations"),
        description=_l(
            "Lets clinicians add your trust's own reference to an invitation, such as the care record's "
            "number for the carer's assessment. Only the inviting team sees it. It is never in usage "
            "figures, exports or the relative's data download. Turning this off removes the references "
            "already recorded."
        ),
    )


class TeamForm(FlaskForm):
    name = StringField(
        _l("Team name"),
        validators=[
            DataRequired(_l("Enter the team's name")),
            Length(max=200, message=_l("The team's name must be 200 characters or fewer")),
        ],
    )
    caseload = IntegerField(
        _l("Caseload"),
        description=_l(
            "How many people the team cares for now. Used to work out the share of families reached."
        ),
        validators=[
            Optional(),
            NumberRange(min=0, max=100000, message=_l("Enter a whole number, 0 or more")),
        ],
        invalid_value_message=_l("Enter a whole number, 0 or more"),
    )
    crisis_phone = StringField(
        _l("Crisis telephone number"),
        description=_l("Shown to this team's relatives on the 'Need help now?' page."),
        validators=[
            Optional(),
            Length(max=40, message=_l("The telephone number must be 40 characters or fewer")),
        ],
    )
    crisis_phone_label = StringField(
        _l("Name of the crisis service"),
        validators=[
            Optional(),
            Length(max=200, message=_l("The name of the crisis service must be 200 characters or fewer")),
        ],
    )
    national = BooleanField(
        _l("This team answers relatives who joined without an invitation (the national supporter team)")
    )

    def validate_crisis_phone(self, field) -> None:
        if field.data and not PHONE.match(field.data.strip()):
            raise ValidationError(_l("Enter a telephone number, like 0300 123 4567"))

    def hours(self) -> list[tuple[int, time, time]]:
        slots = []
        for day in range(7):
            opens = parse_clock(getattr(self, f"opens_{day}").data)
            closes = parse_clock(getattr(self, f"closes_{day}").data)
            if opens and closes:
                slots.append((day, opens, closes))
        return slots

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for day, name in enumerate(WEEKDAYS):
            opens_field = getattr(self, f"opens_{day}")
            closes_field = getattr(self, f"closes_{day}")
            raw_open, raw_close = (opens_field.data or "").strip(), (closes_field.data or "").strip()
            if not raw_open and not raw_close:
                continue
            opens, closes = parse_clock(raw_open), parse_clock(raw_close)
            if opens is None:
                opens_field.errors.append(
                    _l("Enter the %(name)s opening time like 09:00, or leave both blank", name=name)
                )
                valid = False
            if closes is None:
                closes_field.errors.append(
                    _l("Enter the %(name)s closing time like 17:00, or leave both blank", name=name)
                )
                valid = False
            if opens and closes and closes <= opens:
                closes_field.errors.append(
                    _l("The %(name)s closing time must be after the opening time", name=name)
                )
                valid = False
        return valid


for _day, _name in enumerate(WEEKDAYS):
    setattr(TeamForm, f"opens_{_day}", StringField(_l("%(day)s opens", day=_name), validators=[Optional()]))
    setattr(TeamForm, f"closes_{_day}", StringField(_l("%(day)s closes", day=_name), validators=[Optional()]))


class BankHolidayForm(FlaskForm):
    day = DateField(
        _l("Date"),
        description=_l("For example, 2028-01-03"),
        validators=[DataRequired(_l("Enter the date, like 2028-01-03"))],
        invalid_value_message=_l("Enter the date, like 2028-01-03"),
    )
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter the name of the holiday")),
            Length(max=100, message=_l("The name of the holiday must be 100 characters or fewer")),
        ],
    )
