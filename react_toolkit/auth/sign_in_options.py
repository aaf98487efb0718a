"""Other ways to sign in, offered under the password form by the features that provide them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, url_for


def register(app: Flask, endpoint: str, label: Callable[[], Any]) -> None:
    """Offer `endpoint` on the sign-in page, with the words `label()` gives in the person's language."""
    options: list[tuple[str, Callable[[], Any]]] = app.extensions.setdefault("sign_in_options", [])
    if all(known != endpoint for known, _ in options):
        options.append((endpoint, label))


def offered() -> list[dict[str, str]]:
    return [
        {"href": url_for(endpoint), "text": str(label())}
        for endpoint, label in current_app.extensions.get("sign_in_options", [])
    ]
