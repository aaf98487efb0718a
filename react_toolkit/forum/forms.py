"""Forum and moderation forms: shape only."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.validators import Optional

from react_toolkit.forum.models import REPORT_KINDS


class ThreadForm(FlaskForm):
    title = StringField(
        _l("Title"), description=_l("A few words, so others know what it is about."), validators=[Optional()]
    )
    body = TextAreaField(
        _l("Your message"),
        description=_l(
            "Use your forum name only. Do not share anyone's real name, address or other details."
        ),
        validators=[Optional()],
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), validators=[Optional()])


class EditForm(FlaskForm):
    body = TextAreaField(_l("Your message"), validators=[Optional()])


class ReportForm(FlaskForm):
    kind = RadioField(
        _l("What is wrong with this post?"),
        choices=[SelectChoice(k, v) for k, v in REPORT_KINDS.items()],
        validators=[Optional()],
    )
    note = TextAreaField(_l("Anything else moderators should know (optional)"), validators=[Optional()])


class FollowForm(FlaskForm):
    email = BooleanField(_l("Email me when someone replies (the email never includes what they wrote)"))


class ThanksForm(FlaskForm):
    """A "thank you" on a post, or taking it back: the button says which."""


class ModerateForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Kept in the moderation log. For 'Hide', the author sees it."),
        validators=[Optional()],
    )


class RestrictForm(FlaskForm):
    kind = RadioField(
        _l("What should happen?"),
        choices=[
            SelectChoice("silence", _l("Silence: they can read but not post")),
            SelectChoice("suspend", _l("Suspend: they cannot use the forum")),
        ],
        validators=[Optional()],
    )
    hours = IntegerField(
        _l("For how many hours?"),
        validators=[Optional()],
        invalid_value_message=_l("Enter the number of hours as a whole number, like 24"),
    )
    reason = TextAreaField(_l("Reason"), validators=[Optional()])


class ContactForm(FlaskForm):
    message = TextAreaField(_l("Your message to the author"), validators=[Optional()])
