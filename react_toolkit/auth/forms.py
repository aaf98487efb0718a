"""Account forms. They check shape; the services check meaning."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from react_toolkit.auth.forum_names import forum_name_problem
from react_toolkit.auth.passwords import password_problem

EMAIL_MESSAGE = _l("Enter an email address in the correct format, like name@example.com")


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _email_field(label: str | None = None) -> EmailField:
    return EmailField(
        label or _l("Email address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address")),
            Email(EMAIL_MESSAGE, check_deliverability=False),
            Length(max=254, message=_l("Your email address must be 254 characters or fewer")),
        ],
    )


class NewPasswordMixin:
    """A new password's rules, length included, as `password_problem` words them."""

    def validate_password(self, field) -> None:
        email = getattr(self, "email", None)
        forum_name = getattr(self, "forum_name", None)
        problem = password_problem(
            field.data or "",
            email=email.data if email is not None and email.data else "",
            forum_name=forum_name.data if forum_name is not None and forum_name.data else "",
        )
        if problem:
            raise ValidationError(problem)


class SignInForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password"))])


class RegisterForm(NewPasswordMixin, FlaskForm):
    code = StringField(
        _l("Invitation code"),
        description=_l("8 letters and numbers, like ABCD-2345. It is on your invitation."),
        validators=[Optional(), Length(max=20, message=_l("Codes are 8 letters and numbers"))],
    )
    email = _email_field()
    forum_name = StringField(
        _l("Forum name"),
        description=(
            _l(
                "Other relatives will see this name in the forum. Do not use your real name, "
                "email address or phone number."
            )
        ),
        validators=[DataRequired(_l("Choose a forum name"))],
    )
    password = PasswordField(
        _l("Create a password"),
        description=_l("At least 8 characters. A few random words are easy to remember and hard to guess."),
        validators=[DataRequired(_l("Create a password"))],
    )
    terms = BooleanField(
        _l("I agree to the terms of use"),
        validators=[InputRequired(_l("You need to agree to the terms of use to create an account"))],
    )
    research_consent = BooleanField(
        _l("Yes, my pseudonymised usage data can be used for research (optional)")
    )
    return_nudge = BooleanField(_l("Yes, email me if I have not been back for 3 weeks (optional)"))

    def validate_forum_name(self, field) -> None:
        problem = forum_name_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(
        _l("New password"),
        description=_l("At least 8 characters. A few random words are easy to remember and hard to guess."),
        validators=[DataRequired(_l("Enter a new password"))],
    )


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password"))]
    )
    password = PasswordField(
        _l("New password"),
        description=_l("At least 8 characters. Changing it signs you out on every other device."),
        validators=[DataRequired(_l("Enter a new password"))],
    )


class InvitationForm(FlaskForm):
    method = RadioField(
        _l("How do you want to invite them?"),
        choices=[
            SelectChoice("email", _l("Send an email with a link")),
            SelectChoice("code", _l("Give them a code to read out or print")),
        ],
        validators=[InputRequired(_l("Choose how to invite them"))],
    )
    email = EmailField(
        _l("Their email address"),
        description=_l("Only if you chose to send an email."),
        validators=[Length(max=254, message=_l("Their email address must be 254 characters or fewer"))],
    )
    mobile = StringField(
        _l("Their mobile number (optional)"),
        description=_l(
            "Only if you chose to give them a code. We will also text them the code, and a reminder "
            'two days before it ends. The text says only "REACT toolkit" and the code.'
        ),
        filters=[_strip],
        validators=[Length(max=20, message=_l("The mobile number must be 20 characters or fewer"))],
    )
    team_id = SelectField(_l("Team"), coerce=int, validators=[InputRequired(_l("Choose a team"))])
    label = StringField(
        _l("A label for your team (optional)"),
        description=_l(
            'Initials or a short note, like "JS, Tuesday clinic", so you can tell your invitations apart. '
            "Only your team sees it. It is not on the handout and the relative never sees it."
        ),
        filters=[_strip],
        validators=[Length(max=60, message=_l("The label must be 60 characters or fewer"))],
    )
    reference = StringField(
        _l("Your trust's record reference (optional)"),
        description=_l(
            "For example, the care record's number for the carer's assessment. Only your team sees it."
        ),
        filters=[_strip],
        validators=[
            Length(max=40, message=_l("The reference must be 40 characters or fewer")),
            Regexp(
                r"^[A-Za-z0-9 ./-]*$",
                message=_l(
                    "The reference can only have letters, numbers, spaces, full stops, dashes and slashes"
                ),
            ),
        ],
    )

    def validate_email(self, field) -> None:
        if self.method.data != "email":
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Enter their email address, or choose to give them a code"))
        Email(EMAIL_MESSAGE, check_deliverability=False)(self, field)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StaffForm(FlaskForm):
    full_name = StringField(
        _l("Full name"),
        validators=[
            DataRequired(_l("Enter their full name")),
            Length(max=200, message=_l("Their full name must be 200 characters or fewer")),
        ],
    )
    email = _email_field(_l("Work email address"))
    roles = MultiCheckboxField(_l("Roles"), validators=[DataRequired(_l("Choose at least one role"))])
    site_id = SelectField(_l("Site"), coerce=int, validators=[InputRequired(_l("Choose a site"))])
    team_id = SelectField(_l("Team"), coerce=int, validators=[Optional()])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        description=_l("To check it is really you."),
        validators=[DataRequired(_l("Enter your password"))],
    )


class EraseRelativeForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you deleting this account?"),
        description=_l("For example, the relative asked by phone or letter. Do not include their name."),
        validators=[
            DataRequired(_l("Say why you are deleting this account")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )
