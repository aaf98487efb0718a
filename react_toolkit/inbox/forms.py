"""Inbox forms: shape only; the services check meaning."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class NewConversationForm(FlaskForm):
    subject = StringField(
        _l("Subject"),
        description=_l("A few words, like 'Worried about his sleep'."),
        validators=[Optional(), Length(max=200, message=_l("The subject must be 200 characters or fewer"))],
    )
    body = TextAreaField(_l("Your message"), validators=[Optional()])


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[Optional()])
    seen_up_to = IntegerField(validators=[Optional()])


class NoteForm(FlaskForm):
    note = TextAreaField(
        _l("Private note for the team"),
        description=_l("Only staff in your team can see notes."),
        validators=[Optional()],
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Why do you need to open this conversation?"),
        description=_l("This is recorded, with your name and the time, for the site lead to review."),
        validators=[Optional(), Length(max=1000, message=_l("The reason must be 1,000 characters or fewer"))],
    )


class SavedReplyForm(FlaskForm):
    title = StringField(
        _l("Title"),
        validators=[Optional(), Length(max=120, message=_l("The title must be 120 characters or fewer"))],
    )
    body = TextAreaField(_l("Reply"), validators=[Optional()])


class ActionForm(FlaskForm):
    value = HiddenField(validators=[Optional()])
