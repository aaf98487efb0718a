"""Security properties of every response: headers, CSRF, cookies, redirects, error pages, production config."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from react_toolkit import create_app
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import Invitation
from react_toolkit.config import ConfigError, from_environment
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Site
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

ANONYMOUS_PAGES = ["/", "/sign-in", "/register", "/crisis", "/privacy", "/no-such-page", "/healthz"]
SIGNED_IN_PAGES = ["/account", "/", "/crisis", "/no-such-page"]
HTML_PAGES = ["/", "/sign-in", "/register", "/crisis", "/privacy", "/no-such-page"]
NONCE = re.compile(r"'nonce-([^']+)'")
PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
SECRET = "x" * 40


def csp_nonce(response) -> str:
    match = NONCE.search(response.headers["Content-Security-Policy"])
    assert match, response.headers["Content-Security-Policy"]
    return match.group(1)


def check_headers(response, path: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert NONCE.search(policy), path
    assert "'unsafe-inline'" not in policy, path
    assert "'unsafe-eval'" not in policy, path
    assert "frame-ancestors 'none'" in policy, path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("Referrer-Policy"), path


def fill(rule, ids: dict[str, int]) -> str:
    """A concrete URL for a rule: real ids where we have them, else 1 or 'x'."""

    def value(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        if name in ids:
            return str(ids[name])
        return "1" if converter == "int" else "x"

    return PARAMETER.sub(value, rule.rule)


def snapshot() -> dict:
    """Every row of every table, except page views (which even a refused request may add)."""
    state = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            query = table.select()
            if table.name == UsageEvent.__tablename__:
                query = query.where(table.c.name != "usage.page.viewed")
            state[table.name] = sorted(repr(tuple(row)) for row in connection.execute(query))
    return state


@pytest.fixture
def admin_world(client, create_team, create_user, login):
    """An admin signed in, plus a site, a team and an invitation for routes that take ids."""
    team = create_team()
    inviter = create_user(R.CLINICIAN, team=team)
    invitation = Invitation(
        code="ABCD2345",
        method="code",
        site_id=team.site_id,
        team_id=team.id,
        invited_by_id=inviter.id,
        expires_at=now() + timedelta(days=14),
    )
    db.session.add(invitation)
    db.session.commit()
    login(create_user(R.ADMIN))
    return {"site_id": team.site_id, "team_id": team.id, "invitation_id": invitation.id}


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


def test_every_post_route_refuses_a_missing_csrf_token(app, client, admin_world):
    before = snapshot()
    checked = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        path = fill(rule, admin_world)
        response = client.post(
            path,
            data={
                "name": "Changed",
                "email": "new@example.org",
                "password": "a long new password",
                "reason": "x",
            },
        )
        assert response.status_code == 400, (path, response.status_code)
        checked.append(path)

    assert "/sign-out" in checked
    assert len(checked) >= 12
    assert snapshot() == before
    assert client.get("/account").status_code == 200  # still signed in: the sign-out was refused


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


def test_no_get_route_changes_state(app, client, admin_world):
    before = snapshot()
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        response = client.get(fill(rule, admin_world))
        assert response.status_code < 500, (rule.rule, response.status_code)
    assert snapshot() == before


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


@pytest.mark.parametrize(
    "target", ["https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)"]
)
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


def test_html_responses_are_not_cached(client, create_user, login):
    for path in HTML_PAGES:
        response = client.get(path)
        assert response.mimetype == "text/html", path
        assert "no-store" in response.headers.get("Cache-Control", ""), path
    login(create_user(R.RELATIVE))
    assert "no-store" in client.get("/account").headers.get("Cache-Control", "")


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
