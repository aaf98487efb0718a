"""Every route, every method, every role: the answer matches the access table, and a refusal changes nothing.

For each role, people ask about things owned at trust A: the role's person at A (who owns them,
or whose team does) and the role's person at trust B. Where the table says SAME_SITE, SAME_TEAM
or OWNER, a peer at trust A in another team asks too, and person A also asks about trust B's
things, which must be refused. Forms are sent with a valid CSRF token and nothing else, so an allowed
person may be refused by validation; a denied person must get 403 or 404 (or the sign-in page),
and the database must be exactly as it was.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.security import access_table as T
from tests.security.routes import (
    Route,
    csrf_token,
    differences,
    fill,
    is_sign_in_redirect,
    routes,
    sign_in,
    snapshot,
)
from tests.security.world import ACTORS, ROLES, SIGNED_OUT, World

REFUSED_BY_VALIDATION = {400, 409, 410, 422}


def verdict(route: Route, response) -> str:
    status = response.status_code
    if status == 400 and "The form had expired" in response.get_data(as_text=True):
        return "refused for its CSRF token (the test's token is wrong)"
    if status >= 500:
        return f"server error {status}"
    if is_sign_in_redirect(response) or status in (401, 403, 404):
        return "denied"
    if 200 <= status < 400:
        return "allowed"
    if route.method == "POST" and status in REFUSED_BY_VALIDATION:
        return "allowed"
    return f"unexpected {status}"


def should_allow(outcome: str, actor: str, side: str) -> bool:
    if outcome == T.ALLOWED:
        return True
    if outcome == T.DENIED or side == "B":
        return False
    if outcome == T.SAME_SITE:
        return actor in ("A", "peer")
    return actor == "A"  # SAME_TEAM and OWNER


def in_order(app: Flask) -> list[Route]:
    """Reading and harmless forms first; routes that take things away last, in the table's order."""
    last = {endpoint: number for number, endpoint in enumerate(T.LAST, start=1)}
    return sorted(routes(app), key=lambda route: last.get(route.endpoint, 0))


class People:
    """A signed-in client and CSRF token for each person with the role, signed in again if they sign out."""

    def __init__(self, app: Flask, world: World, role: str) -> None:
        self.app, self.world, self.role = app, world, role
        self.sessions: dict[str, tuple[FlaskClient, str]] = {}
        for actor in self.actors:
            self.renew(actor)

    @property
    def actors(self) -> tuple[str, ...]:
        return ("A",) if self.role == SIGNED_OUT else ACTORS

    def renew(self, actor: str) -> None:
        if self.role == SIGNED_OUT:
            client = self.app.test_client()
        else:
            client = sign_in(self.app, self.world.user(self.role, actor))
        self.sessions[actor] = (client, csrf_token(client))

    def ask(self, actor: str, route: Route, path: str):
        client, token = self.sessions[actor]
        if route.method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token})
        if route.endpoint == "auth.sign_out":
            self.renew(actor)
        return response


def check_route(people: People, world: World, route: Route, outcome: str) -> list[str]:
    cases = [(actor, "A") for actor in people.actors]
    if outcome in (T.SAME_SITE, T.SAME_TEAM, T.OWNER):
        cases.append(("A", "B"))
    elif people.role != SIGNED_OUT:
        cases.remove(("peer", "A"))  # where the trust does not matter, A and B already say it all
    denied = [case for case in cases if not should_allow(outcome, *case)]
    allowed = [case for case in cases if should_allow(outcome, *case)]
    problems = []
    before = snapshot() if route.method == "POST" and denied else None
    for expected, group in (("denied", denied), ("allowed", allowed)):
        for actor, side in group:
            path = fill(route, world, side)
            assert path is not None, f"the world has no ids at trust {side} for {route}"
            answer = verdict(route, people.ask(actor, route, path))
            if answer != expected:
                problems.append(
                    f"{people.role} {actor} on trust {side}'s {path}: {route} was {answer}, "
                    f"the table says {outcome}"
                )
        if before is not None and expected == "denied":
            changed = differences(before, snapshot())
            if changed:
                problems.append(f"{route}: refused {people.role}s still changed {', '.join(changed)}")
    return problems


def test_every_route_has_an_entry_in_the_access_table(app):
    missing = sorted(
        {str(route.rule) for route in routes(app) if T.expectation(route.endpoint, route.rule.rule) is None}
    )
    assert missing == [], f"routes with no entry in tests/security/access_table.py: {missing}"


def test_the_table_names_only_real_routes_roles_and_outcomes(app):
    known = {rule.endpoint for rule in app.url_map.iter_rules()}
    known |= {f"{rule.endpoint} {rule.rule}" for rule in app.url_map.iter_rules()}
    assert sorted(set(T.ACCESS) - known) == []
    assert set(T.LAST) <= known
    for endpoint, entry in T.ACCESS.items():
        assert set(entry) <= set(ROLES), endpoint
        assert set(entry.values()) <= set(T.OUTCOMES), endpoint
        assert entry.get(SIGNED_OUT, T.DENIED) in (T.ALLOWED, T.DENIED), endpoint


@pytest.mark.slow
@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(app, world, role):
    people = People(app, world, role)
    problems, checked = [], 0
    for route in in_order(app):
        entry = T.expectation(route.endpoint, route.rule.rule)
        if entry is None:
            problems.append(f"{route} has no entry in the access table")
            continue
        problems += check_route(people, world, route, T.outcome(entry, role))
        checked += 1
    assert problems == [], f"{len(problems)} answers differ from the table:\n" + "\n".join(problems)
    assert checked >= 120
