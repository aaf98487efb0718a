"""Forum and moderation forms: shape only."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Optional

from react_toolkit.forum.models import REPORT_KINDS


class ThreadForm(FlaskForm):
    title = StringField(
        "Title", description="A few words, so others know what it is about.", validators=[Optional()]
    )
    body = TextAreaField(
        "Your message",
        description="Use your forum name only. Do not share anyone's real name, address or other details.",
        validators=[Optional()],
    )


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", validators=[Optional()])


class EditForm(FlaskForm):
    body = TextAreaField("Your message", validators=[Optional()])


class ReportForm(FlaskForm):
    kind = RadioField(
        "What is wrong with this post?",
        choices=[SelectChoice(k, v) for k, v in REPORT_KINDS.items()],
        validators=[Optional()],
    )
    note = TextAreaField("Anything else moderators should know (optional)", validators=[Optional()])


class FollowForm(FlaskForm):
    email = BooleanField("Email me when someone replies (the email never includes what they wrote)")


class ModerateForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        description="Kept in the moderation log. For 'Hide', the author sees it.",
        validators=[Optional()],
    )


class RestrictForm(FlaskForm):
    kind = RadioField(
        "What should happen?",
        choices=[
            SelectChoice("silence", "Silence: they can read but not post"),
            SelectChoice("suspend", "Suspend: they cannot use the forum"),
        ],
        validators=[Optional()],
    )
    hours = IntegerField("For how many hours?", validators=[Optional()])
    reason = TextAreaField("Reason", validators=[Optional()])


class ContactForm(FlaskForm):
    message = TextAreaField("Your message to the author", validators=[Optional()])
