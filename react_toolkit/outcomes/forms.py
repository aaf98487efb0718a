"""The check-in form: one required choice per statement, built from the item list."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice
from wtforms.validators import AnyOf, InputRequired

from react_toolkit.outcomes.items import ITEMS, SCALE, Item


class CheckInForm(FlaskForm):
    """Fields are named by item key, in the order of ITEMS."""

    def item_fields(self) -> list:
        return [self[item.key] for item in ITEMS]

    def scores(self) -> dict[str, int]:
        return {item.key: int(self[item.key].data) for item in ITEMS}


def _item_field(item: Item) -> RadioField:
    values = [value for value, _label in SCALE]
    return RadioField(
        item.statement,
        choices=[SelectChoice(value, label) for value, label in SCALE],
        validate_choice=False,
        validators=[InputRequired(item.missing), AnyOf(values, message=item.missing)],
    )


for item in ITEMS:
    setattr(CheckInForm, item.key, _item_field(item))
