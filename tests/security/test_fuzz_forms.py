"""Property: whatever text arrives, in any field of any form or in a page's address, no answer is a 500.

Every POST route in the URL map is sent, by someone allowed to use it and with a valid CSRF token,
forms whose every field holds text from Hypothesis: control characters and NUL, right-to-left and
zero-width marks, emoji, lone surrogates (sent as the bytes a careless client would send, which
are not valid UTF-8), now and then a field of 100 kB, and now and then a value the form accepts,
so that the services behind it are reached too. Each route's fields are read from the forms on
the pages its sender can open (every GET route allowed to them); a route with no form on any page
(one called from JavaScript) gets every field seen anywhere.

Every GET route is opened too, with any text in place of its slugs, codes and keys (its numeric
ids stay real, so the page itself is reached) and with any query string.
"""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security import access_table as T
from tests.security.routes import PARAMETER, Route, csrf_token, fill, is_sign_in_redirect, routes, sign_in
from tests.security.world import SIGNED_OUT, World

# Forms that end a session or an account for good go last, so that everything before them is reached.
FINAL = ("auth.reset_password", "auth.erase_relative")
SPECIAL = [
    "\x00", "\x00\x00abc", "\x07", "\x1b[31m", "\x7f", "\r\n", "\t", "\u0085", "\u2028",
    "\u202e", "\u202d", "\u200f", "\u200b", "\ufeff", "\ufffd", "\uffff", "\U0010ffff",
    "\ud800", "\udfff", "\udbff\udc00", "a\ud83d",
    "🙂", "👨‍👩‍👧", "🏳️‍🌈", "e\u0301", "İ", "ß", "ﬁ", "९", "٣", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "' OR 1=1 --", '"; DROP TABLE users; --', "%00", "%s%s%n", "{{7*7}}", "${7*7}", "<script>", "../../etc/passwd",
    "-1", "0", "99999999999999999999", "1e309", "NaN", "2026-02-30", "9999-12-31", "25:61",
]  # fmt: skip
# Values some form accepts: they carry an example past validation into the services.
ACCEPTED = [
    "y", "1", "2", "4", "me", "up", "down", "urgent", "closed", "waiting", "open", "silence", "suspend",
    "other", "risk", "email", "code", "usage", "progress", "outcomes", "csv", "xapi", "parquet", "carers",
    "suicide", "allow", "flag", "hold", "block", "09:00", "17:00", "2031-01-02", "someone@example.org",
    "https://example.org", "0300 123 4567", "a long enough passphrase", "A title", "Some words.",
]  # fmt: skip
BIG = 100_000

characters = st.characters(codec=None, categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs", "Co"))
small_text = st.one_of(
    st.text(characters, max_size=30),
    st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=6).map("".join),
    st.sampled_from(ACCEPTED),
    st.just(""),
)
# About 100 kB each once encoded as UTF-8: plain, mixed, wide characters, and control and bidi marks.
big_text = st.sampled_from(
    [
        "a" * BIG,
        ("word-" * BIG)[:BIG],
        "🙂" * (BIG // 4),
        ("\u202e\x00<script>\u200b" * BIG)[: BIG // 2],
    ]
)


class Sender:
    """A signed-in client per role (signed in again whenever a form ended its session)."""

    def __init__(self, app: Flask, world: World) -> None:
        self.app, self.world = app, world
        self.sessions: dict[str, tuple] = {}

    def session(self, role: str) -> tuple:
        if role not in self.sessions:
            client = (
                self.app.test_client() if role == SIGNED_OUT else sign_in(self.app, self.world.user(role))
            )
            self.sessions[role] = (client, csrf_token(client))
        return self.sessions[role]

    def still_signed_in(self, role: str) -> None:
        client, _ = self.sessions[role]
        if role != SIGNED_OUT and is_sign_in_redirect(client.get("/account")):
            del self.sessions[role]
            try:
                self.session(role)
            except AssertionError:  # an account a form has just erased or given a new password
                self.sessions[role] = (self.app.test_client(), csrf_token(self.app.test_client()))


class FormFields(HTMLParser):
    """The field names of every POST form on a page, by the path each of its buttons sends it to."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.targets: list[str] = []  # the form's action, and each button's formaction
        self.names: set[str] = set()
        self.fields: dict[str, set[str]] = defaultdict(set)

    def _path(self, address: str) -> str:
        return urlsplit(urljoin(self.page, address or self.page)).path

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form" and attributes.get("method", "get").lower() == "post":
            self.targets, self.names = [self._path(attributes.get("action", ""))], set()
        elif tag in ("input", "textarea", "select", "button") and self.targets:
            name = attributes.get("name", "")
            if name and not name.endswith("csrf_token"):
                self.names.add(name)
            if attributes.get("formaction"):
                self.targets.append(self._path(attributes["formaction"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.targets:
            for target in self.targets:
                self.fields[target] |= self.names
            self.targets = []


def forms_for(sender: Sender, role: str, world: World) -> dict[str, set[str]]:
    """Every POST form on every page this role may open, with trust A's ids."""
    client, _ = sender.session(role)
    found: dict[str, set[str]] = defaultdict(set)
    for route in routes(sender.app, ("GET",)):
        entry = T.expectation(route.endpoint, route.rule.rule)
        if T.outcome(entry, role) == T.DENIED:
            continue
        path = fill(route, world)
        response = client.get(path)
        if response.mimetype != "text/html":
            continue
        parser = FormFields(path)
        parser.feed(response.get_data(as_text=True))
        for action, names in parser.fields.items():
            found[action] |= names
    return found


def form_values(fields: list[str]) -> st.SearchStrategy[dict[str, str]]:
    """Small arbitrary text in every field, and sometimes 100 kB in one of them."""
    if not fields:
        return st.just({})
    small = st.fixed_dictionaries(dict.fromkeys(fields, small_text))
    big = st.one_of(st.none(), st.none(), st.none(), st.none(), st.tuples(st.sampled_from(fields), big_text))
    return st.tuples(small, big).map(lambda pair: {**pair[0], **(dict([pair[1]]) if pair[1] else {})})


def encoded(values: dict[str, str], token: str) -> bytes:
    """The form body as bytes; a lone surrogate goes out as the invalid UTF-8 a careless client sends."""
    pairs = [(name, value.encode("utf-8", "surrogatepass")) for name, value in values.items()]
    return urlencode([*pairs, ("csrf_token", token)]).encode("ascii")


def in_order(app: Flask) -> list[Route]:
    last = {endpoint: number for number, endpoint in enumerate(T.LAST + FINAL, start=1)}
    return sorted(routes(app, ("POST",)), key=lambda route: last.get(route.endpoint, 0))


SETTINGS = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def fuzz(sender: Sender, route: Route, role: str, path: str, fields: list[str]) -> None:
    @SETTINGS
    @given(values=form_values(fields))
    def send(values: dict[str, str]) -> None:
        client, token = sender.session(role)
        response = client.post(
            path, data=encoded(values, token), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500, f"{route} as {role}: {response.status_code}"
        if route.endpoint == "auth.sign_out":
            sender.still_signed_in(role)

    send()


# Forms no page shows to someone fully signed in: the code and passkey forms come before the second
# factor is passed, and a new passkey is posted by the page's script. They are still sent every field
# name above, and tests/second_factor/test_arbitrary_input.py sends them arbitrary text half signed in.
SEEN_BEFORE_SECOND_FACTOR = {
    "second_factor.check",
    "second_factor.check_passkey",
    "second_factor.save_passkey",
}


@pytest.mark.slow
@pytest.mark.security_config(LOGIN_LIMIT_ACCOUNT="100000 per minute", LOGIN_LIMIT_ADDRESS="100000 per minute")
def test_no_form_answers_arbitrary_text_with_a_server_error(app, world):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash becomes the 500 page, as in production
    sender = Sender(app, world)
    plan = [(route, T.first_user(route.endpoint, route.rule.rule)) for route in in_order(app)]
    forms = {role: forms_for(sender, role, world) for role in {role for _, role in plan}}
    everything = sorted(set().union(*(names for found in forms.values() for names in found.values())))
    checked, formless = [], []
    for route, role in plan:
        path = fill(route, world)
        fields = sorted(forms[role].get(path, ()))
        if path not in forms[role]:
            formless.append(route.endpoint)
            fields = everything
        fuzz(sender, route, role, path, fields)
        sender.still_signed_in(role)
        checked.append(route.endpoint)
    assert len(checked) >= 50
    assert {"forum.new_thread", "inbox.new_message", "auth.register", "research.download_export"} <= set(
        checked
    )
    unknown = [endpoint for endpoint in formless if endpoint not in SEEN_BEFORE_SECOND_FACTOR]
    assert len(unknown) <= 6, f"POST routes with no form on any page: {unknown}"


# Every query parameter some page reads.
QUERY = ("q", "category", "page", "filter", "from", "to", "month", "site", "next", "use", "help", "reason")


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def odd_addresses(route: Route, world: World) -> st.SearchStrategy[str]:
    """The route with its own ids, any text in place of its words, and any query string."""
    parts = []
    for match in PARAMETER.finditer(route.rule.rule):
        real = str(world.value("A", route.endpoint, match.group(2)))
        parts.append(st.just(real) if match.group(1) == "int" else st.one_of(st.just(real), small_text))
    query = st.dictionaries(st.sampled_from(QUERY), small_text, max_size=4)

    def build(values: tuple) -> str:
        words, asked = iter(values[0]), values[1]
        path = PARAMETER.sub(lambda _: quote(_bytes(next(words)), safe="") or "x", route.rule.rule)
        return f"{path}?{urlencode({name: _bytes(value) for name, value in asked.items()})}"

    return st.tuples(st.tuples(*parts), query).map(build)


def wander(sender: Sender, route: Route, role: str, world: World) -> None:
    @settings(SETTINGS, max_examples=3)
    @given(address=odd_addresses(route, world))
    def visit(address: str) -> None:
        client, _ = sender.session(role)
        response = client.get(address)
        assert response.status_code < 500, f"{route} as {role}: {address!r} answered {response.status_code}"

    visit()


@pytest.mark.slow
@pytest.mark.security_config(LOGIN_LIMIT_ACCOUNT="100000 per minute", LOGIN_LIMIT_ADDRESS="100000 per minute")
def test_no_page_answers_odd_words_or_query_strings_with_a_server_error(app, world):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    sender = Sender(app, world)
    checked = 0
    for route in routes(app, ("GET",)):
        wander(sender, route, T.first_user(route.endpoint, route.rule.rule), world)
        checked += 1
    assert checked >= 60
