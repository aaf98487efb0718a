"""Account forms. They check shape; the services check meaning."""

from __future__ import annotations

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
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from react_toolkit.auth.forum_names import forum_name_problem
from react_toolkit.auth.passwords import MAX_LENGTH, password_problem

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _email_field(label: str = "Email address") -> EmailField:
    return EmailField(
        label,
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address"),
            Email(EMAIL_MESSAGE, check_deliverability=False),
            Length(max=254, message="Your email address must be 254 characters or fewer"),
        ],
    )


class NewPasswordMixin:
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
    password = PasswordField("Password", validators=[DataRequired("Enter your password")])


class RegisterForm(NewPasswordMixin, FlaskForm):
    code = StringField(
        "Invitation code",
        description="8 letters and numbers, like ABCD-2345. It is on your invitation.",
        validators=[Optional(), Length(max=20, message="Codes are 8 letters and numbers")],
    )
    email = _email_field()
    forum_name = StringField(
        "Forum name",
        description=(
            "Other relatives will see this name in the forum. Do not use your real name, "
            "email address or phone number."
        ),
        validators=[DataRequired("Choose a forum name")],
    )
    password = PasswordField(
        "Create a password",
        description="At least 8 characters. A few random words are easy to remember and hard to guess.",
        validators=[DataRequired("Create a password"), Length(max=MAX_LENGTH)],
    )
    terms = BooleanField(
        "I agree to the terms of use",
        validators=[InputRequired("You need to agree to the terms of use to create an account")],
    )
    research_consent = BooleanField("Yes, my pseudonymised usage data can be used for research (optional)")

    def validate_forum_name(self, field) -> None:
        problem = forum_name_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class ForgotPasswordForm(FlaskForm):
    email = _email_field()


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    password = PasswordField(
        "New password",
        description="At least 8 characters. A few random words are easy to remember and hard to guess.",
        validators=[DataRequired("Enter a new password"), Length(max=MAX_LENGTH)],
    )


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password")]
    )
    password = PasswordField(
        "New password",
        description="At least 8 characters. Changing it signs you out on every other device.",
        validators=[DataRequired("Enter a new password"), Length(max=MAX_LENGTH)],
    )


class InvitationForm(FlaskForm):
    method = RadioField(
        "How do you want to invite them?",
        choices=[
            SelectChoice("email", "Send an email with a link"),
            SelectChoice("code", "Give them a code to read out or print"),
        ],
        validators=[InputRequired("Choose how to invite them")],
    )
    email = EmailField(
        "Their email address",
        description="Only if you chose to send an email.",
        validators=[Length(max=254)],
    )
    team_id = SelectField("Team", coerce=int, validators=[InputRequired("Choose a team")])

    def validate_email(self, field) -> None:
        if self.method.data != "email":
            return
        if not (field.data or "").strip():
            raise ValidationError("Enter their email address, or choose to give them a code")
        Email(EMAIL_MESSAGE, check_deliverability=False)(self, field)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StaffForm(FlaskForm):
    full_name = StringField(
        "Full name",
        validators=[DataRequired("Enter their full name"), Length(max=200)],
    )
    email = _email_field("Work email address")
    roles = MultiCheckboxField("Roles", validators=[DataRequired("Choose at least one role")])
    site_id = SelectField("Site", coerce=int, validators=[InputRequired("Choose a site")])
    team_id = SelectField("Team", coerce=int, validators=[Optional()])


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        description="To check it is really you.",
        validators=[DataRequired("Enter your password")],
    )


class EraseRelativeForm(FlaskForm):
    reason = TextAreaField(
        "Why are you deleting this account?",
        description="For example, the relative asked by phone or letter. Do not include their name.",
        validators=[
            DataRequired("Say why you are deleting this account"),
            Length(max=2000, message="The reason must be 2,000 characters or fewer"),
        ],
    )
