"""The outcome forms: the check-in, each questionnaire (built from its file), the first offer, sharing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from react_toolkit.outcomes.instruments import Instrument
from react_toolkit.outcomes.items import ITEMS, SCALE, Item


class CheckInForm(FlaskForm):
    """Fields are named by item key, in the order of ITEMS."""

    def item_fields(self) -> list:
        return [self[item.key] for item in ITEMS]

    def scores(self) -> dict[str, int]:
        return {item.key: int(self[item.key].data) for item in ITEMS}


def _item_field(item: Item) -> RadioField:
    values = [value for value, _label in SCALE]
    return RadioField(
        item.statement,
        choices=[SelectChoice(value, label) for value, label in SCALE],
        validate_choice=False,
        validators=[InputRequired(item.missing), AnyOf(values, message=item.missing)],
    )


for item in ITEMS:
    setattr(CheckInForm, item.key, _item_field(item))


# The routine questionnaires ------------------------------------------------------------------

_MEASURE_FORMS: dict[tuple[str, str], type[FlaskForm]] = {}


class MeasureForm(FlaskForm):
    """One radio field per item, named by item key, built from the instrument's file."""

    instrument: Instrument

    def item_fields(self) -> list:
        return [self[item.key] for item in self.instrument.items]

    def answers(self) -> dict[str, int | None]:
        return {
            item.key: int(self[item.key].data) if self[item.key].data not in (None, "") else None
            for item in self.instrument.items
        }


def measure_form(instrument: Instrument) -> MeasureForm:
    """A form for this instrument (its class made once per instrument file)."""
    key = (instrument.key, instrument.path)
    form_class = _MEASURE_FORMS.get(key)
    if form_class is None:
        fields: dict = {"instrument": instrument}
        for item in instrument.items:
            values = [str(value) for value in item.values]
            validators = (
                [
                    InputRequired(_l("Choose an answer for this question")),
                    AnyOf(values, _l("Choose an answer for this question")),
                ]
                if item.required
                else [Optional(), AnyOf(values, _l("Choose an answer for this question"))]
            )
            fields[item.key] = RadioField(
                item.text,
                choices=[SelectChoice(str(option.value), option.label) for option in item.options],
                validate_choice=False,
                validators=validators,
            )
        form_class = _MEASURE_FORMS[key] = type(f"{instrument.key.title()}Form", (MeasureForm,), fields)
    return form_class()


class OfferForm(FlaskForm):
    """The first offer: whether the team may be told of a safety answer, and whether to start now."""

    tell_team = BooleanField(
        _l("Yes, tell my team if I say I have had thoughts of being better off dead or of hurting myself")
    )


class ShareForm(FlaskForm):
    """The questions a relative wants to ask, added to the summary they send."""

    questions = TextAreaField(
        _l("Questions you would like to ask at your next meeting (optional)"),
        description=_l("Write each question on its own line. You can leave this empty."),
        validators=[Length(max=2000, message=_l("Your questions must be 2,000 characters or fewer"))],
    )
