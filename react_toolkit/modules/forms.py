"""Forms for exercise answers and toolbox notes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"), validators=[Optional()])


class NoteForm(FlaskForm):
    title = StringField(
        _l("Title (optional)"),
        validators=[Optional(), Length(max=200, message=_l("The title must be 200 characters or fewer"))],
    )
    text = TextAreaField(_l("Your note"), validators=[Optional()])


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[Optional()])
