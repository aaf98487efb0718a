"""The support map's forms: an entry, a move, and the needs questions. They check shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectChoice, SelectMultipleField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from react_toolkit.network.choices import CIRCLES, INTERESTS, KINDS, SUPPORT_KINDS, TIMES, TRAVEL, WAYS
from react_toolkit.network.services import LABEL_MAX, RESPONSES


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _choices(options: dict) -> list[SelectChoice]:
    return [SelectChoice(str(value), label) for value, label in options.items()]


def _circle_field() -> RadioField:
    return RadioField(
        _l("How close are they to you?"),
        choices=_choices(CIRCLES),
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose how close they are to you")),
            AnyOf([str(c) for c in CIRCLES], message=_l("Choose how close they are to you")),
        ],
    )


class EntryForm(FlaskForm):
    label = StringField(
        _l("First name or label"),
        description=_l(
            "Only a first name or a word you choose, like Mum, Dog or Walking group. No contact details."
        ),
        validators=[
            InputRequired(_l("Enter a first name or a label")),
            Length(
                max=LABEL_MAX,
                message=_l("The name or label must be %(max)s characters or fewer", max=LABEL_MAX),
            ),
        ],
    )
    kind = RadioField(
        _l("What is it?"),
        choices=_choices(KINDS),
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose what this is: a person, a group, a service, a pet or an activity")),
            AnyOf(
                list(KINDS),
                message=_l("Choose what this is: a person, a group, a service, a pet or an activity"),
            ),
        ],
    )
    circle = _circle_field()
    gives = MultiCheckboxField(
        _l("What do they give you?"),
        choices=_choices(SUPPORT_KINDS),
        validate_choice=False,
        validators=[Optional()],
    )


class MoveForm(FlaskForm):
    circle = _circle_field()
    # Set by the picture when an entry is dragged; the list view's buttons leave it empty.
    angle = HiddenField()

    def angle_value(self) -> int | None:
        try:
            return int(self.angle.data) % 360
        except (TypeError, ValueError):
            return None


class NeedsForm(FlaskForm):
    helps_most = MultiCheckboxField(
        _l("What would help you most right now?"), choices=_choices(SUPPORT_KINDS), validate_choice=False
    )
    ways = MultiCheckboxField(
        _l("How do you like to take part?"), choices=_choices(WAYS), validate_choice=False
    )
    times = MultiCheckboxField(
        _l("When are you usually free?"), choices=_choices(TIMES), validate_choice=False
    )
    travel = RadioField(
        _l("How far can you travel?"),
        choices=_choices(TRAVEL),
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose how far you can travel")),
            AnyOf(list(TRAVEL), message=_l("Choose how far you can travel")),
        ],
    )
    interests = MultiCheckboxField(
        _l("What are you interested in?"), choices=_choices(INTERESTS), validate_choice=False
    )
    place = StringField(
        _l("The first part of your postcode (optional)"),
        description=_l(
            "For example NG7. We use it only to find help near you. You can give just the letters, like NG."
        ),
        validators=[
            Optional(),
            Length(max=8, message=_l("Enter the first part of your postcode only, like NG7")),
        ],
    )


class RespondForm(FlaskForm):
    action = HiddenField(
        validators=[
            InputRequired(_l("Choose what you want to do with this suggestion")),
            AnyOf(list(RESPONSES), message=_l("Choose what you want to do with this suggestion")),
        ]
    )
