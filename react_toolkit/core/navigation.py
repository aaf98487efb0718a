"""The header navigation: each feature registers its entries and who may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_login import current_user
from markupsafe import Markup, escape


@dataclass(frozen=True)
class NavEntry:
    label: str
    endpoint: str
    visible: Callable[[Any], bool]
    order: int
    section: tuple[str, ...]  # an endpoint containing any of these marks the entry as current


_entries: list[NavEntry] = []


def register(
    label: str, endpoint: str, visible: Callable[[Any], bool], order: int, section: str = ""
) -> None:
    """Add a navigation entry once (features call this when the app is built)."""
    if any(entry.endpoint == endpoint for entry in _entries):
        return
    sections = (section,) if isinstance(section, str) else section
    _entries.append(NavEntry(label, endpoint, visible, order, tuple(s for s in sections if s) or (endpoint,)))
    _entries.sort(key=lambda entry: entry.order)


def navigation_items(current_endpoint: str | None) -> list[dict]:
    """The entries this user may see, in the shape the NHS.UK header macro takes."""
    user = current_user
    items = []
    for entry in _entries:
        if entry.visible(user):
            items.append(
                {
                    "href": url_for(entry.endpoint),
                    "text": entry.label,
                    "current": bool(current_endpoint and any(s in current_endpoint for s in entry.section)),
                }
            )
    return items


def sign_out_form() -> Markup:
    """The header's sign-out button: a POST with a CSRF token, never a link."""
    from flask_wtf.csrf import generate_csrf

    return Markup(
        '<form class="nhsuk-header__account-form" method="post" action="{action}">'
        '<input type="hidden" name="csrf_token" value="{token}">'
        '<button class="nhsuk-header__account-button" type="submit">Sign out</button>'
        "</form>"
    ).format(action=escape(url_for("auth.sign_out")), token=escape(generate_csrf()))
