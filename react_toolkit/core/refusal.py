"""The one shape of 'no' that services give views: words for the person, the field, the status."""

from __future__ import annotations


class Refusal(Exception):
    """A service declined an action; views show `message` next to `field` and answer with `status`."""

    def __init__(self, message: str, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.status = status
