"""Before the second factor: a session that has passed only the password reaches no page but the few it needs.

Each member of staff (clinicians too, as at a trust that sets STAFF_MFA=all), with or without an
authenticator app set up, and a relative who turned theirs on, signs in with the password alone and
asks for every route of the app, with trust A's ids, by GET and by POST with a valid CSRF token.
Every answer sends them to the second factor, except on the pages the rule leaves open (signing
out, help and policy pages), and nothing in the database changes.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from react_toolkit.auth import roles as R
from react_toolkit.second_factor.views import open_before_second_factor
from tests.conftest import PASSWORD, TOKEN, post
from tests.second_factor.helpers import turn_on
from tests.security.routes import differences, fill, routes, snapshot
from tests.security.world import ROLES

STAFF = ROLES[2:]
CASES = [(role, False) for role in STAFF] + [(role, True) for role in ROLES[1:]]


@pytest.mark.security_config(STAFF_MFA="all")
@pytest.mark.parametrize(
    ("role", "has_app"), CASES, ids=[f"{r}-{'app' if a else 'no-app'}" for r, a in CASES]
)
def test_half_signed_in_people_reach_nothing_but_the_second_factor(app, world, role, has_app):
    user = world.user(role)
    if has_app and role != R.RELATIVE:  # relative A chose one when the world was made
        turn_on(user)
    client = app.test_client()
    answer = post(client, "/sign-in", {"email": user.email, "password": PASSWORD}, token_from="/sign-in")
    assert answer.status_code == 302
    destination = "/second-factor" if has_app else "/second-factor/set-up"
    page = client.get(destination)
    assert page.status_code == 200
    token = TOKEN.search(page.get_data(as_text=True)).group(1)

    before = snapshot()
    problems, checked = [], 0
    open_pages = open_before_second_factor()
    for route in routes(app):
        if route.endpoint in open_pages:
            continue
        path = fill(route, world)
        assert path is not None, f"the world has no ids for {route}"
        if route.method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": token})
        where = urlsplit(response.headers.get("Location", "")).path
        if response.status_code not in (302, 303) or where != destination:
            problems.append(f"{route}: {response.status_code} {where}")
        checked += 1

    assert problems == [], f"{role} reached pages before the second factor:\n" + "\n".join(problems)
    assert checked >= 120
    assert differences(before, snapshot()) == []
    for path in ("/crisis", "/privacy", "/terms", "/accessibility", destination):
        assert client.get(path).status_code == 200, path
