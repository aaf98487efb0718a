"""Whole numbers that come from outside: ids in paths, numbers in query strings and forms.

Every id is a database integer, and PostgreSQL's integer holds at most 2**31 - 1. A larger
number names nothing here; left unchecked it reached the database and failed there (SQLite
cannot even bind one above 2**63 - 1), which was a server error. A path with one is now no
match (404), a query string with one a 400 that says why, and a form's list of ids leaves it out.
"""

from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter, Map

LARGEST = 2**31 - 1


class BoundedIntegerConverter(IntegerConverter):
    """The `int` of every route: as Werkzeug's, but no larger than LARGEST."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        largest = LARGEST if max is None or max > LARGEST else max
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=largest, signed=signed)


class NumberTooLarge(BadRequest):
    """A number in the query string that is larger than any this service uses."""

    detail = _l("A number in the web address is too large. Check the address and try again.")


def query_number(name: str) -> int | None:
    """A whole number from the query string: None when it is missing or not a number, 400 when too large."""
    value = request.args.get(name, type=int)
    if value is not None and abs(value) > LARGEST:
        raise NumberTooLarge()
    return value


def ids_from(values: list[str]) -> list[int]:
    """The ids in a form's list of values, leaving out anything that is not one."""
    return [int(value) for value in values if value.isascii() and value.isdigit() and int(value) <= LARGEST]
