"""The notification settings form, built for the kinds this person chooses; it checks shape only."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from react_toolkit.notifications import kinds as K

HOURS = [SelectChoice("", _l("No quiet hours"))] + [SelectChoice(str(h), f"{h:02d}:00") for h in range(24)]


class SettingsForm(FlaskForm):
    mobile = StringField(
        _l("Mobile phone number for texts"),
        description=_l(
            "Only if you want texts. We only send short notices that say nothing about what anyone wrote."
        ),
        validators=[Optional(), Length(max=20, message=_l("The number must be 20 characters or fewer"))],
    )
    quiet_from = SelectField(_l("Quiet hours start at"), choices=HOURS, validators=[Optional()])
    quiet_to = SelectField(_l("Quiet hours end at"), choices=HOURS, validators=[Optional()])


def settings_form(kinds: list[K.Kind], **data: Any) -> SettingsForm:
    """A form with one radio group for each kind the person chooses."""

    class Form(SettingsForm):
        pass

    for kind in kinds:
        options = [SelectChoice(K.EMAIL, _l("Email"))]
        if kind.sms:
            options.append(SelectChoice(K.SMS, _l("Text message")))
        if kind.can_turn_off:
            options.append(SelectChoice(K.NONE, _l("Do not tell me")))
        setattr(
            Form,
            "kind_" + kind.key.replace(".", "_"),
            RadioField(
                kind.label,
                choices=options,
                validate_choice=False,
                validators=[
                    InputRequired(_l("Choose how to hear about this")),
                    AnyOf([o.value for o in options], message=_l("Choose how to hear about this")),
                ],
            ),
        )
    return Form(**data)


def field_name(key: str) -> str:
    return "kind_" + key.replace(".", "_")


def hour(value: str | None) -> int | None:
    return int(value) if value not in (None, "") else None
