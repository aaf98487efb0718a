"""Every route of the app with real ids filled in, signed-in clients, and the database's state."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.usage.models import UsageEvent
from tests.conftest import PASSWORD, TOKEN, pass_second_factor, post
from tests.security.world import World

PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
PAGE_VIEWED = "usage.page.viewed"
# What even a refused request may write: its page view, and the session's last-seen time.
REFUSAL_WRITES: dict[str, set[str] | None] = {"user_sessions": {"last_seen_at"}}


@dataclass(frozen=True)
class Route:
    rule: Rule
    method: str

    @property
    def endpoint(self) -> str:
        return self.rule.endpoint

    def __str__(self) -> str:
        return f"{self.method} {self.rule.rule} ({self.endpoint})"


def routes(app: Flask, methods: Iterable[str] = ("GET", "POST")) -> list[Route]:
    """Every rule but static files, once for each method it takes, in the URL map's order."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        found.extend(Route(rule, method) for method in methods if method in rule.methods)
    return found


def fill(route: Route, world: World, side: str = "A") -> str | None:
    """The route's URL with ids owned at one trust; None when that trust has no such thing."""
    missing = []

    def value(match: re.Match) -> str:
        found = world.value(side, route.endpoint, match.group(2))
        if found is None:
            missing.append(match.group(2))
            return ""
        return str(found)

    path = PARAMETER.sub(value, route.rule.rule)
    return None if missing else path


def sign_in(app: Flask, user: User) -> FlaskClient:
    client = app.test_client()
    response = post(client, "/sign-in", {"email": user.email, "password": PASSWORD}, token_from="/sign-in")
    assert response.status_code == 302, f"{user.email} could not sign in: {response.status_code}"
    pass_second_factor(user)
    return client


def csrf_token(client: FlaskClient) -> str:
    """The session's CSRF token: every page carries it (the sign-out form, or the sign-in form)."""
    for path in ("/", "/sign-in"):
        match = TOKEN.search(client.get(path).get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError("no CSRF token on the home or sign-in page")


def is_sign_in_redirect(response) -> bool:
    return (
        response.status_code in (301, 302, 303, 307, 308)
        and urlsplit(response.headers.get("Location", "")).path.rstrip("/") == "/sign-in"
    )


def snapshot(ignore: dict[str, set[str] | None] = REFUSAL_WRITES) -> dict[str, list[str]]:
    """Every row of every table but page views; a table in `ignore` is left out (None) or loses those columns."""
    state = {}
    db.session.expire_all()
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            skip = ignore.get(table.name, set())
            if skip is None:
                continue
            query = table.select().with_only_columns(*(c for c in table.columns if c.name not in skip))
            if table.name == UsageEvent.__tablename__:
                query = query.where(table.c.name != PAGE_VIEWED)
            state[table.name] = sorted(repr(tuple(row)) for row in connection.execute(query))
    return state


def differences(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    """Which tables changed, and how many rows came and went, in words."""
    changed = []
    for name in sorted(set(before) | set(after)):
        old, new = set(before.get(name, [])), set(after.get(name, []))
        if old != new:
            changed.append(f"{name} (+{len(new - old)} -{len(old - new)})")
    return changed
