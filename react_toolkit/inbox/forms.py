"""Inbox forms: shape only; the services check meaning."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import Length, Optional


class NewConversationForm(FlaskForm):
    subject = StringField(
        "Subject",
        description="A few words, like 'Worried about his sleep'.",
        validators=[Optional(), Length(max=200, message="The subject must be 200 characters or fewer")],
    )
    body = TextAreaField("Your message", validators=[Optional()])


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", validators=[Optional()])
    seen_up_to = IntegerField(validators=[Optional()])


class NoteForm(FlaskForm):
    note = TextAreaField(
        "Private note for the team",
        description="Only staff in your team can see notes.",
        validators=[Optional()],
    )


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Why do you need to open this conversation?",
        description="This is recorded, with your name and the time, for the site lead to review.",
        validators=[Optional(), Length(max=1000)],
    )


class SavedReplyForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=120)])
    body = TextAreaField("Reply", validators=[Optional()])


class ActionForm(FlaskForm):
    value = HiddenField(validators=[Optional()])
