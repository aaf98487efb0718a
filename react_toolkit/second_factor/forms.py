"""Second-factor forms. They check shape; the services check meaning."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _password_field() -> PasswordField:
    return PasswordField(
        _l("Your password"),
        description=_l("To check it is really you."),
        validators=[DataRequired(_l("Enter your password"))],
    )


class CodeForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l("The 6-digit code from your authenticator app, or one of your recovery codes."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the code from your authenticator app")),
            Length(max=40, message=_l("Codes are 6 numbers, or 12 letters and numbers")),
        ],
    )
    # Its label says how many days; the view sets it from the trust's setting.
    remember = BooleanField(_l("Do not ask for a code on this device again"))


class SetUpForm(FlaskForm):
    code = StringField(
        _l("Code from your app"),
        description=_l("The app shows a new 6-digit code every 30 seconds."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the 6-digit code from your authenticator app")),
            Length(max=40, message=_l("Codes are 6 numbers, or 12 letters and numbers")),
        ],
    )
    # Asked for when setting up from the account page, not at sign-in (the view removes it there).
    password = _password_field()


class PasswordForm(FlaskForm):
    password = _password_field()


class NewPasskeyForm(FlaskForm):
    name = StringField(
        _l("Name this passkey (optional)"),
        description=_l("So you can tell your passkeys apart, for example Work laptop."),
        filters=[_strip],
        validators=[Optional(), Length(max=60, message=_l("The name must be 60 characters or fewer"))],
    )
    password = _password_field()


class PasskeyForm(FlaskForm):
    """What the browser's passkey answered, filled in by the page's script."""

    credential = HiddenField(validators=[DataRequired(), Length(max=20000)])
    remember = HiddenField()


class ResetForm(FlaskForm):
    reason = TextAreaField(
        _l("Why are you resetting their second factor?"),
        description=_l(
            "For example, they lost their phone and their recovery codes. Do not include their name."
        ),
        validators=[
            DataRequired(_l("Say why you are resetting their second factor")),
            Length(max=2000, message=_l("The reason must be 2,000 characters or fewer")),
        ],
    )
