"""The form for a risk phrase."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from react_toolkit.risk.models import ACTIONS, CATEGORIES, LEGACY_CATEGORIES, candidate_categories


def _category(value: str | None) -> str | None:
    """An old category name (a saved link or an older client) becomes its new one."""
    return candidate_categories(value)[0] if value in LEGACY_CATEGORIES else value


class PhraseForm(FlaskForm):
    phrase = StringField(
        _l("Word or phrase"),
        description=_l(
            "Lower case. End a word with * to match any ending: kill* matches killing and killed."
        ),
        validators=[
            DataRequired(_l("Enter a word or phrase")),
            Length(max=200, message=_l("The word or phrase must be 200 characters or fewer")),
        ],
    )
    category = SelectField(
        _l("Category"),
        choices=[SelectChoice(k, v) for k, v in CATEGORIES.items()],
        coerce=_category,
        validators=[DataRequired(_l("Choose a category"))],
    )
    action = SelectField(
        _l("What should happen"),
        choices=[SelectChoice(k, v) for k, v in ACTIONS.items()],
        validators=[DataRequired(_l("Choose what should happen"))],
    )
    message = TextAreaField(
        _l("Message when refused"),
        description=_l("Only for 'Refuse'. Shown to the writer, with the crisis contacts."),
        validators=[
            Optional(),
            Length(max=1000, message=_l("The message must be 1,000 characters or fewer")),
        ],
    )
