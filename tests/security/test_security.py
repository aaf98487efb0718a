"""Security properties of every response: headers, cookies, CSRF, safe GETs, sessions, sign-in limits,
redirects, error pages and the production configuration.

The sweeps walk every route of the URL map as each role, with ids from the world (world.py), so a
new page is covered the day it is added.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select, text

from react_toolkit import create_app
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import UserSession
from react_toolkit.config import ConfigError, from_environment
from react_toolkit.extensions import db
from react_toolkit.modules.models import ToolboxItem
from react_toolkit.organisations.models import Site
from react_toolkit.usage.models import UsageEvent
from tests.conftest import PASSWORD, pass_second_factor, post
from tests.security import access_table as T
from tests.security.routes import (
    csrf_token,
    differences,
    fill,
    is_sign_in_redirect,
    routes,
    sign_in,
    snapshot,
)
from tests.security.world import ROLES, SIGNED_OUT

ANONYMOUS_PAGES = ["/", "/sign-in", "/register", "/crisis", "/privacy", "/no-such-page", "/healthz"]
SIGNED_IN_PAGES = ["/account", "/", "/crisis", "/no-such-page"]
HTML_PAGES = ["/", "/sign-in", "/register", "/crisis", "/privacy", "/no-such-page"]
NONCE = re.compile(r"'nonce-([^']+)'")
TOKEN_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SECRET = "x" * 40


def csp_nonce(response) -> str:
    match = NONCE.search(response.headers["Content-Security-Policy"])
    assert match, response.headers["Content-Security-Policy"]
    return match.group(1)


def header_problems(response) -> list[str]:
    policy = response.headers.get("Content-Security-Policy", "")
    wanted = {
        "a CSP nonce": NONCE.search(policy),
        "no 'unsafe-inline'": "'unsafe-inline'" not in policy,
        "no 'unsafe-eval'": "'unsafe-eval'" not in policy,
        "frame-ancestors 'none'": "frame-ancestors 'none'" in policy,
        "nosniff": response.headers.get("X-Content-Type-Options") == "nosniff",
        "a referrer policy": response.headers.get("Referrer-Policy") in ("same-origin", "no-referrer"),
    }
    return [name for name, present in wanted.items() if not present]


def cookie_problems(response, secure: bool = False) -> list[str]:
    problems = []
    for cookie in response.headers.getlist("Set-Cookie"):
        name = cookie.split("=", 1)[0]
        flags = {part.strip().lower() for part in cookie.split(";")[1:]}
        if "httponly" not in flags:
            problems.append(f"cookie {name} without HttpOnly")
        if "samesite=lax" not in flags:
            problems.append(f"cookie {name} without SameSite=Lax")
        if secure and "secure" not in flags:
            problems.append(f"cookie {name} without Secure")
    return problems


def check_headers(response, path: str) -> None:
    assert header_problems(response) == [], path


def test_security_headers_on_anonymous_pages(client):
    for path in ANONYMOUS_PAGES:
        check_headers(client.get(path), path)


def test_security_headers_on_signed_in_pages(client, create_user, login):
    login(create_user(R.RELATIVE))
    for path in SIGNED_IN_PAGES:
        response = client.get(path)
        check_headers(response, path)
    assert client.get("/account").status_code == 200


def test_inline_scripts_carry_the_headers_nonce(client):
    for path in HTML_PAGES:
        response = client.get(path)
        html = response.get_data(as_text=True)
        nonce = csp_nonce(response)
        inline = [tag for tag in re.findall(r"<(?:script|style)\b[^>]*>", html) if "src=" not in tag]
        assert inline, f"no inline script on {path}"
        for tag in inline:
            assert f'nonce="{nonce}"' in tag, (path, tag)
        assert not re.search(r"\son\w+=", html), f"inline event handler on {path}"


def test_nonce_changes_between_requests(client):
    nonces = {csp_nonce(client.get("/")) for _ in range(3)}
    assert len(nonces) == 3


def test_strict_transport_security_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    assert "Strict-Transport-Security" not in client.get("/", headers={"X-Forwarded-Proto": "https"}).headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_strict_transport_security_behind_a_trusted_proxy(make_app):
    client = make_app(TRUSTED_PROXIES=1).test_client()
    response = client.get("/", headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert "Strict-Transport-Security" in response.headers


def test_in_production_behind_one_proxy_https_answers_carry_hsts_and_a_secure_session_cookie(
    database_url, create_user
):
    user = create_user(R.RELATIVE)
    production = create_app(
        from_environment(
            {
                "REACT_ENV": "production",
                "SECRET_KEY": SECRET,
                "USAGE_PSEUDONYM_KEY": "y" * 40,
                "DATABASE_URL": database_url,
                "TRUSTED_PROXIES": "1",
                "MAIL_BACKEND": "memory",
            }
        )
    )
    proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    try:
        client = production.test_client()
        page = client.get("/sign-in", headers=proxy)
        assert page.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
        assert "Secure" in _set_cookie(page).split("; ")
        token = TOKEN_FIELD.search(page.get_data(as_text=True)).group(1)
        signed_in = client.post(
            "/sign-in",
            data={"email": user.email, "password": PASSWORD, "csrf_token": token},
            headers={**proxy, "Referer": "https://localhost/sign-in"},
        )
        assert signed_in.status_code == 302
        assert "Strict-Transport-Security" in signed_in.headers
        assert cookie_problems(signed_in, secure=True) == []
        assert "Secure" in _set_cookie(signed_in).split("; ")
        # Straight to the app, not through the proxy: plain HTTP, so no HSTS.
        assert "Strict-Transport-Security" not in production.test_client().get("/sign-in").headers
    finally:
        with production.app_context():
            db.session.remove()
            db.engine.dispose()


def test_every_post_route_refuses_a_missing_or_foreign_csrf_token(app, world):
    """Each form, sent by someone who may send it, with no token and then with another session's token."""
    foreign = csrf_token(app.test_client())
    senders = [(route, T.first_user(route.endpoint, route.rule.rule)) for route in routes(app, ("POST",))]
    clients = {
        role: app.test_client() if role == SIGNED_OUT else sign_in(app, world.user(role))
        for _, role in senders
    }
    before = snapshot()
    checked = []
    for route, role in senders:
        path = fill(route, world)
        data = {
            "name": "Changed",
            "email": "new@example.org",
            "password": "a long new password",
            "reason": "x",
        }
        for token in (None, foreign):
            response = clients[role].post(path, data=data if token is None else {**data, "csrf_token": token})
            assert response.status_code == 400, (role, path, token, response.status_code)
            assert "The form had expired" in response.get_data(as_text=True), (role, path)
        checked.append(path)

    assert "/sign-out" in checked and "/sign-in" in checked
    assert len(checked) >= 50
    assert differences(before, snapshot()) == []
    for role, client in clients.items():
        if role != SIGNED_OUT:
            assert client.get("/account").status_code == 200, role  # the refused sign-out did nothing


def test_csrf_refusal_is_a_styled_page_that_keeps_the_crisis_link(client):
    response = client.post("/sign-in", data={"email": "someone@example.org", "password": "whatever"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The form had expired" in html
    assert 'href="/crisis"' in html


def test_post_only_routes_refuse_get(client, create_user, login):
    login(create_user(R.ADMIN))
    for path in (
        "/sign-out",
        "/session/keep-alive",
        "/account/sessions/end-others",
        "/invitations/1/withdraw",
    ):
        assert client.get(path).status_code == 405, path
    assert client.get("/account").status_code == 200  # GET /sign-out did not sign us out


# What reading may write: page views and other usage events, the session's last-seen time, and the
# reader's own read markers, reading progress, (for staff) the log of who opened a conversation, and
# (for a relative) which directory entries their support map's matched help has shown them.
READ_RECORDS = ("forum_thread_readers", "section_progress", "conversation_access", "network_suggestions")
GET_WRITES: dict[str, set[str] | None] = {
    UsageEvent.__tablename__: None,
    "user_sessions": {"last_seen_at"},
    "conversations": {"relative_read_at"},
    "forum_thread_readers": {"id", "last_read_at"},
    "section_progress": {"id", "first_viewed_at", "last_viewed_at"},
    "conversation_access": {"id", "opened_at"},
    "network_suggestions": {"id", "shown_at"},
}


def records_of_others(reader_id: int | None) -> dict[str, int]:
    counts = {}
    for name in READ_RECORDS:
        table = db.metadata.tables[name]
        counts[name] = db.session.scalar(
            select(func.count()).select_from(table).where(table.c.user_id != (reader_id or 0))
        )
    return counts


@pytest.mark.parametrize("role", ROLES)
def test_every_get_route_sends_the_security_headers_and_changes_nothing(app, world, role):
    """Every GET route as each role, with trust A's ids: headers and cookies on every answer, no writes."""
    reader = None if role == SIGNED_OUT else world.user(role)
    client = app.test_client() if reader is None else sign_in(app, reader)
    before, others = snapshot(GET_WRITES), records_of_others(reader and reader.id)
    problems, checked = [], 0
    for route in routes(app, ("GET",)):
        path = fill(route, world)
        response = client.get(path)
        if response.status_code >= 500:
            problems.append(f"{path}: {response.status_code}")
        problems += [
            f"{path}: {problem}" for problem in header_problems(response) + cookie_problems(response)
        ]
        checked += 1
    after = snapshot(GET_WRITES)

    assert problems == []
    assert checked >= 60
    changed = [
        name
        for name in after
        if (
            not set(before[name]) <= set(after[name]) if name in READ_RECORDS else before[name] != after[name]
        )
    ]
    assert changed == [], f"GET requests as {role} changed {differences(before, after)}"
    assert records_of_others(reader and reader.id) == others
    if reader is not None:
        assert client.get("/account").status_code == 200  # no GET signed us out


@pytest.mark.security_config(SESSION_COOKIE_SECURE=True)
@pytest.mark.parametrize("role", [SIGNED_OUT, R.RELATIVE, R.ADMIN])
def test_every_cookie_is_secure_when_configured(app, world, role):
    client, https = app.test_client(), "https://localhost"
    if role != SIGNED_OUT:
        token = TOKEN_FIELD.search(client.get("/sign-in", base_url=https).get_data(as_text=True)).group(1)
        response = client.post(
            "/sign-in",
            data={"email": world.user(role).email, "password": PASSWORD, "csrf_token": token},
            base_url=https,
            headers={"Referer": f"{https}/sign-in"},  # over HTTPS the CSRF check wants a same-site referrer
        )
        assert response.status_code == 302
        assert cookie_problems(response, secure=True) == []
        pass_second_factor(world.user(role))
    problems = []
    for route in routes(app, ("GET",)):
        response = client.get(fill(route, world), base_url=https)
        problems += cookie_problems(response, secure=True)
    assert problems == []
    if role != SIGNED_OUT:
        assert client.get("/account", base_url=https).status_code == 200


def _set_cookie(response, name: str = "react_session") -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}=")]
    assert cookies, response.headers
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, create_user):
    user = create_user(R.RELATIVE)
    response = post(
        client,
        "/sign-in",
        {"email": user.email, "password": "correct horse battery staple"},
        token_from="/sign-in",
    )
    assert response.status_code == 302
    cookie = _set_cookie(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie


def test_session_cookie_is_secure_when_configured(make_app):
    client = make_app(SESSION_COOKIE_SECURE=True).test_client()
    cookie = _set_cookie(client.get("/sign-in", base_url="https://localhost"))
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


OFF_SITE = [
    "https://evil.example",
    "http://evil.example/",
    "//evil.example",
    "///evil.example",
    "////evil.example",
    "/\\evil.example",
    "\\evil.example",
    "/\\/evil.example",
    "\\/evil.example",
    "https:evil.example",
    "https:/evil.example",
    "https://localhost@evil.example",
    "//localhost@evil.example",
    " //evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\x00/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", OFF_SITE, ids=[f"t{n:02d}" for n in range(len(OFF_SITE))])
def test_sign_in_refuses_open_redirects(client, create_user, target):
    user = create_user(R.RELATIVE)
    response = post(
        client,
        "/sign-in",
        {"email": user.email, "password": "correct horse battery staple"},
        token_from="/sign-in",
        query_string={"next": target},
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "http://localhost/")


def test_sign_in_follows_a_same_site_next(client, create_user):
    user = create_user(R.RELATIVE)
    response = post(
        client,
        "/sign-in",
        {"email": user.email, "password": "correct horse battery staple"},
        token_from="/sign-in",
        query_string={"next": "/account"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] in ("/account", "http://localhost/account")


@pytest.mark.parametrize("target", ["/account", "/forum?page=2", "/%2F%2Fevil.example", "/modules#top"])
def test_a_same_site_next_stays_on_this_site(client, create_user, target):
    user = create_user(R.RELATIVE)
    response = post(
        client, "/sign-in", {"email": user.email, "password": PASSWORD}, token_from="/sign-in",
        query_string={"next": target},
    )  # fmt: skip
    location = urlsplit(response.headers["Location"])
    assert response.status_code == 302
    assert location.netloc in ("", "localhost") and location.scheme in ("", "http")
    assert location.path == urlsplit(target).path


def _stolen_session(app, user):
    """Sign in on a 'phone' and copy its session cookie, as a thief would."""
    phone = sign_in(app, user)
    return phone, phone.get_cookie("react_session").value


def _replay(app, cookie: str) -> tuple:
    """The copied cookie in another browser: a page, and a form sent with that session's token."""
    thief = app.test_client()
    thief.set_cookie("react_session", cookie)
    page = thief.get("/account")
    ping = thief.post("/session/keep-alive", data={"csrf_token": csrf_token(thief)})
    return page, ping


@pytest.mark.parametrize("ending", ["sign out", "password change", "password reset", "sign out elsewhere"])
def test_a_copied_session_cookie_stops_working(app, create_user, outbox, ending):
    user = create_user(R.RELATIVE)
    phone, cookie = _stolen_session(app, user)
    assert [answer.status_code for answer in _replay(app, cookie)] == [200, 200]  # it works until the end

    if ending == "sign out":
        assert post(phone, "/sign-out").status_code == 302
    elif ending == "password change":
        laptop = sign_in(app, user)
        response = post(
            laptop, "/account/password", {"current_password": PASSWORD, "password": "a brand new passphrase"}
        )
        assert response.status_code == 302
    elif ending == "password reset":
        post(app.test_client(), "/password/forgot", {"email": user.email}, token_from="/password/forgot")
        link = re.search(r"/password/reset/\S+", outbox[-1].body).group(0)
        reset = app.test_client()
        assert post(reset, link, {"password": "a brand new passphrase"}, token_from=link).status_code == 302
    else:
        assert post(sign_in(app, user), "/account/sessions/end-others").status_code == 302

    page, ping = _replay(app, cookie)
    assert is_sign_in_redirect(page)
    assert is_sign_in_redirect(ping) or ping.status_code == 401
    assert is_sign_in_redirect(phone.get("/account"))
    db.session.expire_all()
    stolen = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    )
    assert stolen.first().revoked_at is not None


def _sign_in_as(client, email: str, password: str, address: str = "192.0.2.1", **headers):
    token = csrf_token(client)
    return client.post(
        "/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
        headers=headers,
    )


def test_account_limit_counts_every_spelling_of_the_email_and_every_address(client, create_user):
    user = create_user(R.RELATIVE, email="jo.bloggs@example.org")
    spellings = [
        "jo.bloggs@example.org",
        "JO.BLOGGS@EXAMPLE.ORG",
        "  Jo.Bloggs@Example.org ",
        "jo.bloggs@example.ORG",
    ]
    for number in range(5):
        response = _sign_in_as(client, spellings[number % 4], "wrong guess", address=f"198.51.100.{number}")
        assert response.status_code == 401
    response = _sign_in_as(client, user.email, PASSWORD, address="203.0.113.77")
    assert response.status_code == 429
    assert client.get("/account").status_code == 302


@pytest.mark.security_config(LOGIN_LIMIT_ADDRESS="3 per 15 minutes")
def test_address_limit_ignores_a_forged_forwarded_for(client, create_user):
    user = create_user(R.RELATIVE)
    for number in range(3):
        response = _sign_in_as(
            client, f"nobody{number}@example.org", "guess", **{"X-Forwarded-For": f"10.0.0.{number}"}
        )
        assert response.status_code == 401
    response = _sign_in_as(client, user.email, PASSWORD, **{"X-Forwarded-For": "10.9.9.9"})
    assert response.status_code == 429


def test_nul_characters_never_reach_the_database(app, world):
    """PostgreSQL cannot store NUL: it is dropped from forms and query strings, and a path with one is a 404."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = sign_in(app, world.user(R.RELATIVE))
    token = csrf_token(client)
    found = client.get("/resources/", query_string={"q": "Car\x00ers"})
    assert found.status_code == 200 and "Carers&#39; centre A" in found.get_data(as_text=True)
    assert client.get(f"/forum/{world.value('A', 'forum.view_category', 'slug')}%00").status_code == 404
    assert client.get("/modules/how-to-use-the-toolkit%00").status_code == 404
    saved = client.post(
        "/toolbox/notes", data={"title": "Tea\x00time", "text": "Bring\x00 biscuits", "csrf_token": token}
    )
    assert saved.status_code == 302
    note = db.session.scalar(select(ToolboxItem).order_by(ToolboxItem.id.desc()))
    assert (note.note_title, note.note_text) == ("Teatime", "Bring biscuits")


def test_html_responses_are_not_cached(client, create_user, login):
    for path in HTML_PAGES:
        response = client.get(path)
        assert response.mimetype == "text/html", path
        assert "no-store" in response.headers.get("Cache-Control", ""), path
    login(create_user(R.RELATIVE))
    assert "no-store" in client.get("/account").headers.get("Cache-Control", "")


@pytest.mark.fresh_app  # adds a route
def test_unexpected_error_shows_the_styled_page_without_a_traceback(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("secret-internal-detail-4711")

    app.add_url_rule("/explode", "explode", explode)
    response = client.get("/explode")

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "nhsuk-header" in html
    assert 'href="/crisis"' in html
    assert "Traceback" not in html
    assert "secret-internal-detail-4711" not in html
    assert "RuntimeError" not in html


@pytest.mark.fresh_app  # adds a route
def test_database_error_for_a_signed_in_user_shows_the_styled_page(
    app, client, create_site, create_user, login
):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    taken = create_site()

    def clash():
        db.session.add(Site(name=taken.name, code=taken.code))
        db.session.flush()

    app.add_url_rule("/clash", "clash", clash)
    login(create_user(R.RELATIVE))
    response = client.get("/clash")

    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert 'href="/crisis"' in html
    assert "IntegrityError" not in html


def test_production_without_secret_key_refuses_to_start():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(from_environment({"REACT_ENV": "production"}))


def test_production_without_pseudonym_key_names_it():
    with pytest.raises(ConfigError) as raised:
        create_app(from_environment({"REACT_ENV": "production", "SECRET_KEY": SECRET}))
    message = str(raised.value)
    assert "USAGE_PSEUDONYM_KEY" in message
    assert "SECRET_KEY is missing" not in message


def test_production_refuses_short_or_default_secrets():
    with pytest.raises(ConfigError, match="SECRET_KEY must be at least 32"):
        create_app(
            from_environment(
                {"REACT_ENV": "production", "SECRET_KEY": "short", "USAGE_PSEUDONYM_KEY": SECRET}
            )
        )
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app(
            from_environment(
                {
                    "REACT_ENV": "production",
                    "SECRET_KEY": "dev-only-secret-key-not-for-production",
                    "USAGE_PSEUDONYM_KEY": SECRET,
                }
            )
        )


def test_production_with_every_secret_builds(database_url):
    app = create_app(
        from_environment(
            {
                "REACT_ENV": "production",
                "SECRET_KEY": SECRET,
                "USAGE_PSEUDONYM_KEY": "y" * 40,
                "DATABASE_URL": database_url,
            }
        )
    )
    assert app.config["PRODUCTION"] is True
    assert app.config["SESSION_COOKIE_SECURE"] is True
    with app.app_context():
        assert db.session.scalar(text("SELECT 1")) == 1
        db.session.remove()
        db.engine.dispose()
