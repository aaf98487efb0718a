"""The export form: what, in which format, and an optional window of whole days."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField, ValidationError
from wtforms.validators import AnyOf, InputRequired

from react_toolkit.research.exports import FORMATS
from react_toolkit.research.services import XAPI_ONLY_FOR_USAGE

KIND_NAMES = {
    "usage": _l("Usage events"),
    "progress": _l("Module progress"),
    "outcomes": _l("Wellbeing check-ins"),
    "measures": _l("Questionnaires"),
}
KIND_LABELS = {
    "usage": _l("Usage events (every page view and action)"),
    "progress": _l("Module progress (sections read and completed, modules completed)"),
    "outcomes": _l("Wellbeing check-ins (item scores and totals)"),
    "measures": _l(
        "Questionnaires: PHQ-9 and GAD-7 (one row per questionnaire answered, with its time point)"
    ),
}
FORMAT_NAMES = {"csv": _l("CSV"), "parquet": _l("Parquet"), "xapi": "xAPI"}
FORMAT_LABELS = {
    "csv": _l("CSV"),
    "parquet": _l("Parquet"),
    "xapi": _l("xAPI statements, one JSON object per line (usage events only)"),
}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
START_DATE = _l("Enter the start date as year-month-day, like 2026-02-01")
END_DATE = _l("Enter the end date as year-month-day, like 2026-02-01")


def _parse(value: str | None, wrong: str) -> date | None:
    """The day written, or None for nothing; `wrong` is the message for anything else."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        if not _DATE.fullmatch(text):
            raise ValueError(text)
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError as error:
        raise ValidationError(wrong) from error


class ExportForm(FlaskForm):
    kind = RadioField(
        _l("What do you want to export?"),
        choices=[SelectChoice(value, label) for value, label in KIND_LABELS.items()],
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose what to export")),
            AnyOf(list(KIND_LABELS), message=_l("Choose what to export")),
        ],
    )
    format = RadioField(
        _l("File format"),
        choices=[SelectChoice(value, label) for value, label in FORMAT_LABELS.items()],
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose a file format")),
            AnyOf(list(FORMAT_LABELS), message=_l("Choose a file format")),
        ],
    )
    since = StringField(
        _l("From (optional)"),
        description=_l("The first day to include, like 2026-02-01. Leave empty to start from the beginning."),
    )
    until = StringField(
        _l("To (optional)"),
        description=_l(
            "The last day to include, like 2026-02-28. Leave empty to include everything up to now."
        ),
    )

    def validate_format(self, field: RadioField) -> None:
        if field.data == "xapi" and self.kind.data in FORMATS and "xapi" not in FORMATS[self.kind.data]:
            raise ValidationError(XAPI_ONLY_FOR_USAGE)

    def validate_since(self, field: StringField) -> None:
        _parse(field.data, START_DATE)

    def validate_until(self, field: StringField) -> None:
        last = _parse(field.data, END_DATE)
        try:
            first = _parse(self.since.data, START_DATE)
        except ValidationError:
            return
        if first and last and last < first:
            raise ValidationError(_l("The end date must be the same as or after the start date"))

    def window(self) -> tuple[date | None, date | None]:
        """(first day, day after the last day): whole UTC days, as the export log keeps them."""
        last = _parse(self.until.data, END_DATE)
        return _parse(self.since.data, START_DATE), last + timedelta(days=1) if last else None
