"""The one shape of 'no' that services give views: words for the person, the field, the status."""

from __future__ import annotations


class Refusal(Exception):
    """A service declined an action; views show `message` next to `field` and answer with `status`.

    The message may be given as a lazy translation; it is kept as plain text in the language of the
    moment (the person's, in a request), so it can be flashed, logged or compared like any string.
    """

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        message = str(message)
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
