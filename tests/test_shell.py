"""The page shell: crisis link everywhere, navigation by role, who is signed in, health check, error pages."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from flask import Flask

from react_toolkit import create_app
from react_toolkit.auth import roles as R
from react_toolkit.config import for_tests
from react_toolkit.extensions import db
from tests.conftest import RequestClient, post

ANONYMOUS_PAGES = ["/", "/sign-in", "/register", "/crisis", "/privacy", "/password/forgot", "/no-such-page"]
SIGNED_IN_PAGES = ["/", "/crisis", "/privacy", "/account", "/account/password", "/no-such-page"]
# What a person reads, and the links their phone acts on, for 999, NHS 111, Samaritans and Shout.
NATIONAL_NUMBERS = [
    "Call 999 if",
    "Call 111",
    "116 123",
    "85258",
    'href="tel:111"',
    'href="tel:116123"',
    'href="sms:85258"',
]
CRISIS_LINK = re.compile(r'<a[^>]*href="/crisis"[^>]*>\s*Need help now\?\s*</a>')
DOWN_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/none"


def nav_labels(html: str) -> list[str]:
    links = re.findall(r'<a class="nhsuk-header__navigation-link"[^>]*>(.*?)</a>', html, re.S)
    return [re.sub(r"<[^>]+>", "", link).strip() for link in links]


def assert_crisis_link(response, what: str) -> None:
    assert CRISIS_LINK.search(response.get_data(as_text=True)), (
        f"no crisis link on {what} ({response.status_code})"
    )


@pytest.fixture
def down_app(tmp_path) -> Iterator[Callable[[str], Flask]]:
    """Apps whose database cannot be reached. Built by hand: make_app would try to empty their tables."""
    apps: list[Flask] = []

    def build(kind: str) -> Flask:
        url = (
            DOWN_POSTGRES
            if kind == "postgres-refused"
            else f"sqlite:///{tmp_path / 'missing' / 'react.sqlite3'}"
        )
        app = create_app(for_tests(url))
        app.test_client_class = RequestClient
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_crisis_link_on_every_anonymous_page(client):
    for path in ANONYMOUS_PAGES:
        assert_crisis_link(client.get(path), path)


def test_crisis_link_on_every_signed_in_page(client, create_user, login):
    login(create_user(R.RELATIVE))
    for path in SIGNED_IN_PAGES:
        assert_crisis_link(client.get(path), path)


@pytest.mark.fresh_app  # adds a route
def test_crisis_link_on_error_pages(app, client, create_user, login):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("boom")

    app.add_url_rule("/explode", "explode", explode)
    anonymous_404 = client.get("/no-such-page")
    anonymous_500 = client.get("/explode")
    login(create_user(R.RELATIVE))
    forbidden = client.get("/staff")
    not_allowed = client.get("/sign-out")
    signed_in_500 = client.get("/explode")

    assert (anonymous_404.status_code, forbidden.status_code, not_allowed.status_code) == (404, 403, 405)
    assert anonymous_500.status_code == signed_in_500.status_code == 500
    for response, what in [
        (anonymous_404, "404"),
        (anonymous_500, "500"),
        (forbidden, "403"),
        (not_allowed, "405"),
        (signed_in_500, "500 signed in"),
    ]:
        assert_crisis_link(response, what)


def test_crisis_page_lists_the_national_numbers(client):
    html = client.get("/crisis").get_data(as_text=True)
    for number in NATIONAL_NUMBERS:
        assert number in html, number


def test_crisis_page_shows_the_relatives_team_number_only_when_signed_in(
    client, create_team, create_user, login
):
    team = create_team(crisis_phone="0300 777 4242")
    relative = create_user(R.RELATIVE, team=team)

    anonymous = client.get("/crisis").get_data(as_text=True)
    login(relative)
    signed_in = client.get("/crisis").get_data(as_text=True)

    assert "0300 777 4242" not in anonymous
    assert "0300 777 4242" in signed_in
    assert 'href="tel:03007774242"' in signed_in
    for number in NATIONAL_NUMBERS:
        assert number in signed_in, number


def test_crisis_page_shows_no_other_teams_number(client, create_team, create_user, login):
    create_team(crisis_phone="0300 111 9999")
    login(create_user(R.RELATIVE, team=create_team(crisis_phone="0300 222 8888")))

    html = client.get("/crisis").get_data(as_text=True)

    assert "0300 222 8888" in html
    assert "0300 111 9999" not in html


def test_navigation_shows_invitations_to_a_clinician_not_a_relative(app, create_user, login):
    clinician = login(create_user(R.CLINICIAN), the_client=app.test_client())
    relative = login(create_user(R.RELATIVE), the_client=app.test_client())

    clinician_nav = nav_labels(clinician.get("/").get_data(as_text=True))
    relative_nav = nav_labels(relative.get("/").get_data(as_text=True))

    assert "Invitations" in clinician_nav
    assert "Invitations" not in relative_nav
    assert "Teams" not in relative_nav
    assert "Staff" not in relative_nav


def test_navigation_shows_teams_and_staff_to_a_site_lead_not_a_clinician(app, create_user, login):
    lead = login(create_user(R.SITE_LEAD), the_client=app.test_client())
    clinician = login(create_user(R.CLINICIAN), the_client=app.test_client())

    lead_nav = nav_labels(lead.get("/").get_data(as_text=True))
    clinician_nav = nav_labels(clinician.get("/").get_data(as_text=True))

    assert {"Teams", "Staff"} <= set(lead_nav)
    assert "Teams" not in clinician_nav
    assert "Staff" not in clinician_nav


def test_anonymous_navigation_offers_sign_in_only(client):
    html = client.get("/").get_data(as_text=True)
    assert nav_labels(html) == ["Home"]
    assert "Signed in as" not in html
    assert 'action="/sign-out"' not in html


@pytest.mark.parametrize("role", [R.RELATIVE, R.CLINICIAN])
def test_every_signed_in_page_names_the_user_and_offers_sign_out(client, create_user, login, role):
    user = create_user(role)
    login(user)
    for path in SIGNED_IN_PAGES:
        html = client.get(path).get_data(as_text=True)
        assert f"Signed in as {user.display_name}" in html, path
        assert re.search(
            r'<form[^>]*method="post"[^>]*action="/sign-out"[^>]*>\s*<input type="hidden" name="csrf_token" value="[^"]+">'
            r"\s*<button[^>]*>Sign out</button>",
            html,
        ), path


def test_header_sign_out_button_signs_out(client, create_user, login):
    login(create_user(R.RELATIVE))
    html = client.get("/account").get_data(as_text=True)
    token = re.search(
        r'action="/sign-out"><input type="hidden" name="csrf_token" value="([^"]+)"', html
    ).group(1)

    response = client.post("/sign-out", data={"csrf_token": token})

    assert response.status_code == 302
    assert client.get("/account").status_code == 302


def test_each_person_gets_their_own_header_although_headers_are_kept(app, create_user, login):
    first, second = create_user(R.RELATIVE), create_user(R.RELATIVE)
    pages = {}
    for user in (first, second):
        browser = login(user, the_client=app.test_client())
        pages[user.id] = [browser.get(path).get_data(as_text=True) for path in ("/crisis", "/crisis")]
    tokens = {}
    for user, other in ((first, second), (second, first)):
        for html in pages[user.id]:
            assert f"Signed in as {user.display_name}" in html
            assert other.display_name not in html
        tokens[user.id] = re.search(
            r'action="/sign-out"><input type="hidden" name="csrf_token" value="([^"]+)"', pages[user.id][1]
        ).group(1)
    assert tokens[first.id] != tokens[second.id]


def test_a_person_s_header_is_rendered_once_and_its_token_filled_in_each_time(
    app, create_user, login, monkeypatch
):
    """The signed CSRF token changes every second; it must not be part of what the cache keys on."""
    from itsdangerous.timed import TimestampSigner

    from react_toolkit.core.navigation import CSRF_SLOT

    browser = login(create_user(R.RELATIVE), the_client=app.test_client())
    app.extensions.pop("rendered_macros", None)
    pages = [browser.get("/crisis").get_data(as_text=True)]
    # The second page a second later, as the signer counts it (its timestamps are whole seconds),
    # without waiting for one to pass.
    signer_time = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda signer: signer_time(signer) + 1)
    pages.append(browser.get("/crisis").get_data(as_text=True))
    headers = [key for key in app.extensions["rendered_macros"] if key[1] == "header"]
    assert len(headers) == 1
    tokens = [re.search(r'action="/sign-out"><input[^>]*value="([^"]+)"', page).group(1) for page in pages]
    assert tokens[0] != tokens[1] and CSRF_SLOT not in "".join(pages)
    assert post(browser, "/sign-out", {"csrf_token": tokens[0]}).status_code == 302


def test_healthz_reports_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.parametrize("kind", ["postgres-refused", "sqlite-missing-dir"])
def test_healthz_reports_the_database_down(down_app, kind):
    response = down_app(kind).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.is_json
    assert response.get_json()["database"] == "unreachable"


@pytest.mark.parametrize("kind", ["postgres-refused", "sqlite-missing-dir"])
def test_database_down_gives_the_styled_503_page(down_app, kind):
    response = down_app(kind).test_client().get("/password/reset/some-token")

    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert "Sorry, the service is unavailable" in html
    assert_crisis_link(response, "503")
    assert "Traceback" not in html
    assert "OperationalError" not in html


def test_database_down_for_a_signed_in_user_gives_the_styled_503_page(client, create_user, login, down_app):
    login(create_user(R.RELATIVE))
    down = down_app("postgres-refused").test_client()
    down.set_cookie("react_session", client.get_cookie("react_session").value)

    response = down.get("/account")

    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in html
    assert_crisis_link(response, "503 signed in")
    assert "Signed in as" not in html


def test_crisis_numbers_still_shown_when_the_database_is_down(client, create_user, login, down_app):
    login(create_user(R.RELATIVE))
    anonymous = down_app("postgres-refused").test_client()
    signed_in = down_app("postgres-refused").test_client()
    signed_in.set_cookie("react_session", client.get_cookie("react_session").value)

    for who, visitor in [("anonymous", anonymous), ("signed in", signed_in)]:
        html = visitor.get("/crisis").get_data(as_text=True)
        for number in NATIONAL_NUMBERS:
            assert number in html, (who, number)


def test_an_oversized_request_is_refused_before_it_is_read(client):
    body = b"email=a%40example.org&password=" + b"x" * (2 * 1024 * 1024)
    response = client.post("/sign-in", data=body, content_type="application/x-www-form-urlencoded")
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "What you sent was too large" in page and "Nothing was saved" in page
    assert CRISIS_LINK.search(page)


def test_form_errors_are_summarised_with_links_to_the_fields(client):
    response = post(client, "/sign-in", {"email": "", "password": ""}, token_from="/sign-in")

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="nhsuk-error-summary"' in html
    summary = html[html.index('class="nhsuk-error-summary"') :]
    assert re.search(r'<a href="#email">\s*Enter your email address\s*</a>', summary)
    assert re.search(r'<a href="#password">\s*Enter your password\s*</a>', summary)
    assert 'id="email"' in html
    assert "<title>Error: " in html


def test_every_summary_link_points_at_a_field_on_the_page(client):
    response = post(client, "/register", {}, token_from="/register")

    html = response.get_data(as_text=True)
    targets = re.findall(r'<a href="#([^"]+)"', html)
    assert response.status_code == 400
    assert {"email", "forum_name", "password", "terms"} <= set(targets)
    for target in targets:
        assert f'id="{target}"' in html, target


def test_no_error_summary_on_a_fresh_form(client):
    assert "nhsuk-error-summary" not in client.get("/sign-in").get_data(as_text=True)
