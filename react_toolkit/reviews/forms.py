"""Forms for recording a clinical review, noting a change in law or guidance, and page feedback."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from react_toolkit.reviews.services import COMMENT_MAX, REGISTRATION_BODIES, REVIEWER_KINDS, TEXT_MAX


class ReviewForm(FlaskForm):
    module_hash = HiddenField()
    reviewer_name = StringField(
        _l("Your full name"),
        validators=[
            DataRequired(_l("Enter your full name")),
            Length(max=200, message=_l("Your name must be 200 characters or fewer")),
        ],
    )
    professional_role = StringField(
        _l("Your professional role"),
        description=_l("For example, consultant psychiatrist in the EIP team"),
        validators=[
            DataRequired(_l("Enter your professional role")),
            Length(max=200, message=_l("Your role must be 200 characters or fewer")),
        ],
    )
    reviewer_kind = RadioField(
        _l("You are reviewing as"),
        choices=[SelectChoice(key, label) for key, label in REVIEWER_KINDS.items()],
        validate_choice=False,
        validators=[InputRequired(_l("Choose what kind of reviewer you are"))],
    )
    registration_body = SelectField(
        _l("Your professional registration"),
        choices=[SelectChoice("", _l("Choose one"))]
        + [SelectChoice(key, label) for key, label in REGISTRATION_BODIES.items()],
        validate_choice=False,
        validators=[DataRequired(_l("Choose the body you are registered with"))],
    )
    registration_number = StringField(
        _l("Registration number"),
        validators=[
            Optional(),
            Length(max=40, message=_l("The registration number must be 40 characters or fewer")),
        ],
    )
    reviewed_on = DateField(
        _l("The date you checked it"),
        description=_l("For example, 2026-12-07"),
        validators=[DataRequired(_l("Enter the date you checked it, like 2026-12-07"))],
        invalid_value_message=_l("Enter the date you checked it, like 2026-12-07"),
    )
    checked = TextAreaField(
        _l("What you checked"),
        description=_l(
            "For example, the medicines advice against the BNF and NICE CG185, and the crisis steps"
        ),
        validators=[
            DataRequired(_l("Say what you checked")),
            Length(max=TEXT_MAX, message=_l("This must be %(max)s characters or fewer", max=TEXT_MAX)),
        ],
    )
    conditions = TextAreaField(
        _l("Conditions (optional)"),
        description=_l("Anything that must change, or be true, for your review to stand"),
        validators=[
            Optional(),
            Length(max=TEXT_MAX, message=_l("This must be %(max)s characters or fewer", max=TEXT_MAX)),
        ],
    )


class LawChangeForm(FlaskForm):
    changed_on = DateField(
        _l("The date it changed"),
        description=_l("For example, 2026-12-07"),
        validators=[DataRequired(_l("Enter the date it changed, like 2026-12-07"))],
        invalid_value_message=_l("Enter the date it changed, like 2026-12-07"),
    )
    note = TextAreaField(
        _l("What changed"),
        description=_l("Reviewers read this note to see what to check"),
        validators=[
            DataRequired(_l("Say what changed")),
            Length(max=TEXT_MAX, message=_l("This must be %(max)s characters or fewer", max=TEXT_MAX)),
        ],
    )


class FeedbackForm(FlaskForm):
    helpful = RadioField(
        _l("Was this page helpful?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validate_choice=False,
        validators=[InputRequired(_l("Choose yes or no"))],
    )
    comment = TextAreaField(
        _l("How could we make it better? (optional)"),
        description=_l(
            "Please do not include names or personal details. The content team reads this, not your care team."
        ),
        validators=[
            Optional(),
            Length(
                max=COMMENT_MAX,
                message=_l("Your comment must be %(max)s characters or fewer", max=COMMENT_MAX),
            ),
        ],
    )
    section = IntegerField(validators=[Optional()])
