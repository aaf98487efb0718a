"""Numbers too large to be an id: in a path they name nothing (404), in a query string they get a 400 that says why.

Every id is a database integer. Before they were bounded, a number above 2**63 - 1 in a path or a
query string made SQLite raise OverflowError, and one above 2**31 - 1 made PostgreSQL refuse the
query: a 500 either way. The sweep walks the URL map, so a route added later is covered too.
"""

from __future__ import annotations

import re

import pytest

from react_toolkit.auth import roles as R
from tests.conftest import post
from tests.security import access_table as T
from tests.security.routes import PARAMETER, Route, csrf_token, fill, routes, sign_in
from tests.security.world import SIGNED_OUT, World

# Just past PostgreSQL's integer, just past SQLite's, and far past both.
TOO_LARGE = ("2147483648", "9223372036854775808", "99999999999999999999999")
LARGEST = "2147483647"
TOO_LARGE_MESSAGE = "A number in the web address is too large"


def with_number(route: Route, world: World, name: str, number: str) -> str | None:
    """The route's path with trust A's ids, and `number` in place of the parameter `name`."""
    path = fill(route, world)
    if path is None:
        return None
    values = iter(path.split("/"))
    parts = []
    for piece in route.rule.rule.split("/"):
        real = next(values)
        parts.append(number if re.fullmatch(rf"<(?:\w+:)?{name}>", piece) else real)
    return "/".join(parts)


def integer_parameters(route: Route) -> list[str]:
    return [match.group(2) for match in PARAMETER.finditer(route.rule.rule) if match.group(1) == "int"]


def test_every_integer_in_a_path_is_bounded(app, world):
    """Each integer part of each route, as someone who may use the route: too large is a 404, never a 500."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    clients = {}
    answers, checked = [], set()
    for route in routes(app):
        if route.method == "POST" and "GET" in route.rule.methods:
            continue  # the GET has tried it
        role = T.first_user(route.endpoint, route.rule.rule)
        if role not in clients:
            client = app.test_client() if role == SIGNED_OUT else sign_in(app, world.user(role))
            clients[role] = (client, csrf_token(client))
        client, token = clients[role]
        for name in integer_parameters(route):
            for number in (*TOO_LARGE, LARGEST):
                path = with_number(route, world, name, number)
                if route.method == "GET":
                    response = client.get(path)
                else:
                    response = client.post(path, data={"csrf_token": token})
                answers.append((str(route), name, number, response.status_code))
            checked.add(route.endpoint)

    # Too large names nothing; the largest that fits is looked up like any id, and found or not.
    wrong = [answer for answer in answers if (answer[3] != 404 if answer[2] != LARGEST else answer[3] >= 500)]
    assert wrong == []
    assert len(checked) >= 40
    assert {"forum.view_thread", "inbox.view_message", "inbox.view_conversation", "modules.edit_note",
            "auth.view_invitation", "resources.visit_resource", "auth.erase_relative"} <= checked  # fmt: skip


@pytest.mark.parametrize("number", TOO_LARGE)
def test_numbers_in_query_strings_that_are_too_large_get_a_clear_400(app, world, number):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    relative = sign_in(app, world.user(R.RELATIVE))
    supporter = sign_in(app, world.user(R.SUPPORTER))
    admin = sign_in(app, world.user(R.ADMIN))
    ids = world.ids["A"]
    asked = [
        (relative, f"/forum/threads/{ids['thread_id']}?page={number}"),
        (relative, f"/forum/{ids['forum.slug']}?page={number}"),
        (supporter, f"/inbox/{ids['conversation_id']}?use={number}"),
        (admin, f"/dashboard?site={number}"),
    ]
    for client, path in asked:
        response = client.get(path)
        assert response.status_code == 400, path
        assert TOO_LARGE_MESSAGE in response.get_data(as_text=True), path

    # Numbers that fit are as before: the last page there is, no saved reply, a trust that does not exist.
    assert relative.get(f"/forum/threads/{ids['thread_id']}?page={LARGEST}").status_code == 200
    assert supporter.get(f"/inbox/{ids['conversation_id']}?use={LARGEST}").status_code == 200
    assert admin.get(f"/dashboard?site={LARGEST}").status_code == 404
    assert relative.get(f"/forum/threads/{ids['thread_id']}?page=not-a-number").status_code == 200


def test_the_message_for_a_number_too_large_is_in_welsh_too(app, world):
    relative = sign_in(app, world.user(R.RELATIVE))
    post(relative, "/language", {"language": "cy", "next": "/"})
    response = relative.get(f"/forum/threads/{world.ids['A']['thread_id']}?page={TOO_LARGE[-1]}")
    assert response.status_code == 400
    assert "Mae rhif yn y cyfeiriad gwe yn rhy fawr" in response.get_data(as_text=True)


def test_post_ids_too_large_in_a_form_are_ignored(app, world):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    moderator = sign_in(app, world.user(R.MODERATOR))
    real = world.ids["A"]["post_id"]
    response = moderator.post(
        "/moderation/to-read/low",
        data={"csrf_token": csrf_token(moderator), "post_id": [TOO_LARGE[-1], "\u00b2", str(real)]},
    )
    assert response.status_code == 302
    assert "marked as read" in moderator.get(response.headers["Location"]).get_data(as_text=True)
