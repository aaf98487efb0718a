"""The header navigation: each feature registers its entries and who may see them."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, url_for
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape


@dataclass(frozen=True)
class NavEntry:
    label: Any  # a lazy gettext string, translated when the menu is drawn
    endpoint: str
    visible: Callable[[Any], bool]
    order: int
    blueprints: frozenset[str]  # every page of these blueprints marks the entry as current
    endpoints: frozenset[str]  # and so do these pages


def register(
    app: Flask,
    label: Any,
    endpoint: str,
    visible: Callable[[Any], bool],
    order: int,
    *,
    blueprints: Iterable[str] = (),
    endpoints: Iterable[str] = (),
) -> None:
    """Add a feature's entry to this app's header; it is current on its own page and the pages named."""
    entries: list[NavEntry] = app.extensions.setdefault("navigation", [])
    if any(entry.endpoint == endpoint for entry in entries):
        return
    entries.append(
        NavEntry(label, endpoint, visible, order, frozenset(blueprints), frozenset(endpoints) | {endpoint})
    )
    entries.sort(key=lambda entry: entry.order)


def register_count(app: Flask, endpoint: str, count: Callable[[Any], int], words: Any) -> None:
    """Show a number beside an entry: `count(user)` new things, said as `words` (with %(num)d)."""
    app.extensions.setdefault("navigation_counts", {})[endpoint] = (count, words)


def _label(entry: NavEntry, user: Any) -> str:
    counted = current_app.extensions.get("navigation_counts", {}).get(entry.endpoint)
    number = counted[0](user) if counted is not None else 0
    if not number:
        return str(entry.label)
    # Plain words in the link's text, so a screen reader says the count with the entry's name.
    return _("%(label)s (%(count)s)", label=str(entry.label), count=str(counted[1]) % {"num": number})


def is_current(entry: NavEntry, endpoint: str | None) -> bool:
    """Whether the page at `endpoint` belongs to this entry: by blueprint or by exact endpoint."""
    if not endpoint:
        return False
    return endpoint in entry.endpoints or endpoint.rpartition(".")[0] in entry.blueprints


def navigation_items(current_endpoint: str | None) -> list[dict]:
    """The entries this user may see, in the shape the NHS.UK header macro takes."""
    # The person once, not through the proxy: each entry asks about them several times.
    user = current_user._get_current_object()
    return [
        {
            "href": url_for(entry.endpoint),
            "text": _label(entry, user),
            "current": is_current(entry, current_endpoint),
        }
        for entry in current_app.extensions.get("navigation", [])
        if entry.visible(user)
    ]


# Stands for the CSRF token in cached header HTML. The signed token changes every second, so it is
# filled in after the cached render rather than being part of the cache key.
CSRF_SLOT = "react-csrf-token-slot"


def sign_out_form() -> Markup:
    """The header's sign-out button: a POST with a CSRF token, never a link."""
    return Markup(
        '<form class="nhsuk-header__account-form" method="post" action="{action}">'
        '<input type="hidden" name="csrf_token" value="{token}">'
        '<button class="nhsuk-header__account-button" type="submit">{label}</button>'
        "</form>"
    ).format(action=escape(url_for("auth.sign_out")), token=CSRF_SLOT, label=_("Sign out"))


_RENDERED_LIMIT = 512


def _frozen(value: Any) -> Any:
    """A hashable key for macro settings; markup and plain text stay apart, as they render differently."""
    if isinstance(value, dict):
        return ("dict", tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return ("list", tuple(_frozen(item) for item in value))
    if isinstance(value, Markup | LazyString):
        # A lazy translation renders as markup (it has __html__), in the language of this request.
        return ("markup", str(value))
    if value is None or isinstance(value, str | bool | int | float):
        return (type(value).__name__, value)
    raise TypeError(f"cannot key macro settings on {type(value).__name__}")


def rendered_macro(template: str, name: str, params: dict, keep: bool = True) -> Markup:
    """An NHS.UK component macro's HTML for these settings, rendered once per process.

    The header, footer and form-field macros are pure functions of their settings and cost
    more than the rest of a page's layout, yet take the same settings on page after page.
    The settings are the whole key (the header's include the person's name), so nobody is
    ever shown HTML rendered for someone else. The sign-out form's CSRF token is filled in
    afterwards, for this request. `keep=False` renders without keeping: the form macros pass
    it when a field holds what someone typed, so no one's words stay in the process.
    """
    try:
        key = (template, name, _frozen(params)) if keep else None
    except TypeError:
        key = None
    if key is None:
        return _fill_csrf(_render_macro(template, name, params))
    cache: OrderedDict = current_app.extensions.setdefault("rendered_macros", OrderedDict())
    html = cache.get(key)
    if html is None:
        html = cache[key] = _render_macro(template, name, params)
        while len(cache) > _RENDERED_LIMIT:
            cache.popitem(last=False)
    return _fill_csrf(html)


def _render_macro(template: str, name: str, params: dict) -> Markup:
    # The template is looked up only to draw: a page drawn from kept HTML does not need it.
    return getattr(current_app.jinja_env.get_template(template).module, name)(params)


def _fill_csrf(html: Markup) -> Markup:
    if CSRF_SLOT not in html:
        return html
    from flask_wtf.csrf import generate_csrf

    # Markup.replace escapes the token it puts in.
    return html.replace(CSRF_SLOT, generate_csrf())


@dataclass(frozen=True)
class FooterLink:
    label: Any  # a lazy gettext string, translated when the footer is drawn
    endpoint: str
    order: int


def register_footer_link(app: Flask, label: Any, endpoint: str, order: int) -> None:
    """Add a link to the footer, for everyone, after the crisis and policy links, by `order`."""
    links: list[FooterLink] = app.extensions.setdefault("footer_links", [])
    if any(link.endpoint == endpoint for link in links):
        return
    links.append(FooterLink(label, endpoint, order))
    links.sort(key=lambda link: link.order)


def footer_items() -> list[dict]:
    """The footer's registered links, ready for the NHS.UK footer macro."""
    return [
        {"href": url_for(link.endpoint), "text": str(link.label)}
        for link in current_app.extensions.get("footer_links", [])
    ]
