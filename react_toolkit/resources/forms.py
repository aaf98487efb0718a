"""The form for a local resource."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from react_toolkit.resources.areas import parse_areas
from react_toolkit.resources.models import CATEGORIES, SUPPORT_KINDS


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ResourceForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Enter the name of the service")),
            Length(max=200, message=_l("The name must be 200 characters or fewer")),
        ],
    )
    category = SelectField(
        _l("Category"),
        choices=[SelectChoice(value, label) for value, label in CATEGORIES.items()],
        validators=[DataRequired(_l("Choose a category"))],
    )
    description = TextAreaField(
        _l("Description"),
        description=_l("What they offer and who it is for, in a few short sentences."),
        validators=[
            DataRequired(_l("Enter a description")),
            Length(max=2000, message=_l("The description must be 2,000 characters or fewer")),
        ],
    )
    phone = StringField(
        _l("Telephone"),
        validators=[
            Optional(),
            Length(max=60, message=_l("The telephone number must be 60 characters or fewer")),
        ],
    )
    text_number = StringField(
        _l("Text service"),
        description=_l("For example: Text HELP to 12345."),
        validators=[
            Optional(),
            Length(max=120, message=_l("The text service must be 120 characters or fewer")),
        ],
    )
    email = StringField(
        _l("Email address"),
        validators=[
            Optional(),
            Length(max=254, message=_l("The email address must be 254 characters or fewer")),
        ],
    )
    website = StringField(
        _l("Website"),
        description=_l("Starting with https://"),
        validators=[
            Optional(),
            Length(max=500, message=_l("The website address must be 500 characters or fewer")),
        ],
    )
    opening_times = StringField(
        _l("Opening times"),
        validators=[
            Optional(),
            Length(max=300, message=_l("The opening times must be 300 characters or fewer")),
        ],
    )
    accessibility = TextAreaField(
        _l("Access notes"),
        description=_l("Cost, step-free access, languages, hearing loops, British Sign Language."),
        validators=[
            Optional(),
            Length(max=2000, message=_l("The access notes must be 2,000 characters or fewer")),
        ],
    )

    areas = StringField(
        _l("Areas served"),
        description=_l(
            "Postcode districts or areas, with spaces between them, for example NG7 NG8 DE. "
            "Leave empty if it serves everyone in your trust."
        ),
        validators=[
            Optional(),
            Length(max=300, message=_l("The areas served must be 300 characters or fewer")),
        ],
    )
    support_kinds = MultiCheckboxField(
        _l("Kinds of support it gives"),
        description=_l("This helps match it to relatives who need that kind of support."),
        choices=[SelectChoice(value, label) for value, label in SUPPORT_KINDS.items()],
        validators=[Optional()],
    )

    def validate_areas(self, field) -> None:
        _places, wrong = parse_areas(field.data or "")
        if wrong:
            raise ValidationError(
                _l(
                    "Enter postcode districts like NG7 or areas like NG, with spaces between them. "
                    "Check: %(wrong)s",
                    wrong=" ".join(wrong[:3]),
                )
            )

    def validate_website(self, field) -> None:
        if field.data and not field.data.strip().startswith(("https://", "http://")):
            raise ValidationError(_l("Enter the website address, starting with https:// (or http://)"))

    def validate_email(self, field) -> None:
        if field.data and "@" not in field.data:
            raise ValidationError(_l("Enter an email address in the correct format, like name@example.com"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not any((self.phone.data, self.text_number.data, self.email.data, self.website.data)):
            self.phone.errors.append(
                _l("Give at least one way to get in touch: telephone, text, email or website")
            )
            return False
        return valid
