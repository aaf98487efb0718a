"""Forms of staff adoption: NoMAD answers (built from the survey file), waves, champions, targets, the team log."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, ValidationError

from react_toolkit.adoption import nomad
from react_toolkit.adoption.services import LOG_KINDS, LOG_TEXT_LIMIT, WAVE_TITLE_LIMIT
from react_toolkit.timeutil import today

_NOMAD_FORMS: dict[tuple[str, ...], type[FlaskForm]] = {}


def _whole_number(value: object) -> int | None:
    """A form value as a whole number, or None: the field's own message then explains, not WTForms'."""
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


class NomadForm(FlaskForm):
    """One radio field per statement, named by item key."""

    item_keys: tuple[str, ...] = ()

    def item_fields(self) -> list:
        return [self[key] for key in self.item_keys]

    def answers(self) -> dict[str, int]:
        return {key: int(self[key].data) for key in self.item_keys}


def nomad_form(survey: nomad.Survey) -> NomadForm:
    """The survey's form (its class made once per set of statements)."""
    keys = tuple(item.key for item in survey.items)
    if keys not in _NOMAD_FORMS:
        values = [value for value, _label in nomad.SCALE]
        missing = _l("Choose how much you agree with this statement")
        fields = {
            item.key: RadioField(
                item.text,
                choices=[SelectChoice(value, label) for value, label in nomad.SCALE],
                coerce=_whole_number,
                validate_choice=False,
                validators=[InputRequired(missing), AnyOf(values, message=missing)],
            )
            for item in survey.items
        }
        _NOMAD_FORMS[keys] = type("SurveyForm", (NomadForm,), {"item_keys": keys, **fields})
    return _NOMAD_FORMS[keys]()


class WaveForm(FlaskForm):
    title = StringField(
        _l("Name of the wave"),
        description=_l("For example, Spring 2027. Staff see this name."),
        validators=[
            InputRequired(_l("Enter a name for the wave, such as Spring 2027.")),
            Length(max=WAVE_TITLE_LIMIT, message=_l("The name must be 120 characters or fewer.")),
        ],
    )


class ChampionForm(FlaskForm):
    champion_id = SelectField(_l("Member of staff"), coerce=_whole_number, validate_choice=False)

    def validate_champion_id(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose a member of this team's staff."))


def _percent(field) -> None:
    value = (field.data or "").strip()
    field.number = None
    if not value:
        return
    try:
        number = int(value.rstrip("%").strip())
    except ValueError as error:
        raise ValidationError(_l("Enter a whole number from 0 to 100, or leave it empty.")) from error
    if not 0 <= number <= 100:
        raise ValidationError(_l("Enter a whole number from 0 to 100, or leave it empty."))
    field.number = number


class TargetForm(FlaskForm):
    offered_percent = StringField(
        _l("Share of the caseload offered the toolkit (%)"),
        description=_l(
            "Relatives invited, as a percentage of the team's caseload. Leave empty for no target."
        ),
    )
    registered_percent = StringField(
        _l("Share of the caseload registered (%)"),
        description=_l(
            "Relatives who joined, as a percentage of the team's caseload. Leave empty for no target."
        ),
    )

    def validate_offered_percent(self, field) -> None:
        _percent(field)

    def validate_registered_percent(self, field) -> None:
        _percent(field)


class LogForm(FlaskForm):
    kind = RadioField(
        _l("What is this note about?"),
        choices=[SelectChoice(key, label) for key, label in LOG_KINDS.items()],
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose barrier, action or decision")),
            AnyOf(list(LOG_KINDS), message=_l("Choose barrier, action or decision")),
        ],
    )
    noted_on = StringField(_l("Date"), description=_l("For example, 2026-11-18."))
    text = TextAreaField(
        _l("What happened"),
        description=_l("Do not write the names of relatives or the people they care for."),
        validators=[
            InputRequired(_l("Write what happened")),
            Length(max=LOG_TEXT_LIMIT, message=_l("Write 2,000 characters or fewer.")),
        ],
    )

    def validate_noted_on(self, field) -> None:
        value = (field.data or "").strip()
        try:
            day = date.fromisoformat(value)
        except ValueError as error:
            raise ValidationError(_l("Enter the date like 2026-11-18")) from error
        if day > today():
            raise ValidationError(_l("The date cannot be in the future"))
        field.day = day
