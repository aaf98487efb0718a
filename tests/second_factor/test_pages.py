"""The second factor's pages, those only a half-signed-in person sees included, are all translated.

The sweep in tests/i18n opens every page as people already through the second factor; this opens the
rest (the code and set-up pages, what their forms answer, and the pages shown after a form) in the
pseudo-locale, where any word left unmarked fails, and in Welsh.
"""

from __future__ import annotations

from flask import Flask

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.i18n.language import COOKIE
from react_toolkit.second_factor import services
from react_toolkit.second_factor.models import Passkey
from tests.conftest import PASSWORD, pass_second_factor, post
from tests.i18n.pseudo import use_pseudo_locale
from tests.i18n.test_pseudo_locale import MainText, content_pattern, untranslated, user_content
from tests.second_factor.helpers import key_on, sign_in_with_password, totp, turn_on


def pages(app: Flask, create_user, language: str | None = None) -> list[tuple[str, str]]:
    """(which page, HTML) for every page and form answer of the second factor."""
    app.config["STAFF_MFA_REMEMBER_DAYS"] = 30
    shown = []

    def keep(name, response):
        assert response.status_code < 500, name
        shown.append((f"{name} ({response.status_code})", response.get_data(as_text=True)))

    def browser():
        client = app.test_client()
        if language:
            client.set_cookie(COOKIE, language)
        return client

    newcomer = create_user(R.SUPPORTER)
    client = browser()
    sign_in_with_password(client, newcomer)
    page = client.get("/second-factor/set-up")
    keep("set-up", page)
    keep("set-up, wrong code", post(client, "/second-factor/set-up", {"code": "1"}, token_from="/crisis"))
    keep(
        "recovery codes",
        post(
            client,
            "/second-factor/set-up",
            {"code": totp(key_on(page.get_data(as_text=True)))},
            token_from="/crisis",
        ),
    )

    admin = create_user(R.ADMIN)
    secret = turn_on(admin)
    db.session.add(Passkey(user_id=admin.id, credential_id="credential", public_key=b"key", name="Laptop"))
    db.session.commit()
    client = browser()
    sign_in_with_password(client, admin)
    keep("code page", client.get("/second-factor"))
    keep("code page, wrong code", post(client, "/second-factor", {"code": "12"}, token_from="/crisis"))
    keep(
        "code page, refused passkey",
        post(client, "/second-factor/passkey", {"credential": "{}"}, token_from="/crisis"),
    )
    assert post(client, "/second-factor", {"code": totp(secret)}, token_from="/crisis").status_code == 302
    services.remember_device(admin)
    keep("manage", client.get("/account/second-factor"))
    keep("new codes", client.get("/account/second-factor/recovery-codes"))
    keep("new codes, made", post(client, "/account/second-factor/recovery-codes", {"password": PASSWORD}))
    keep("new passkey", client.get("/account/second-factor/passkeys/new"))
    keep(
        "new passkey, wrong password", post(client, "/account/second-factor/passkeys/new", {"password": "x"})
    )
    keep("make passkey", post(client, "/account/second-factor/passkeys/new", {"password": PASSWORD}))
    keep("passkey not saved", post(client, "/account/second-factor/passkeys", {"credential": "{}"}))
    keep("set up a new app", client.get("/second-factor/set-up"))
    services.reset(admin, newcomer, "Lost phone, checked by calling back.")
    keep("staff overview", client.get("/admin/second-factor"))
    keep("reset page", client.get(f"/admin/second-factor/{newcomer.id}/reset"))
    keep("reset page, no reason", post(client, f"/admin/second-factor/{newcomer.id}/reset", {"reason": ""}))

    relative = create_user(R.RELATIVE)
    client = browser()
    sign_in_with_password(client, relative)
    keep("manage, off", client.get("/account/second-factor"))
    keep("set-up, from the account", client.get("/second-factor/set-up"))
    turn_on(relative)
    pass_second_factor(relative)
    keep("turn off", client.get("/account/second-factor/turn-off"))
    return shown


def test_every_second_factor_page_is_translated(app, create_user):
    use_pseudo_locale(app)
    shown = pages(app, create_user)
    content = content_pattern(user_content(app))
    problems = []
    for page, html in shown:
        parser = MainText()
        parser.feed(html)
        left = [untranslated(" ".join(parser.text), content)]
        left += [f"[{value}]" for value in parser.attributes if untranslated(value, content)]
        if any(left):
            problems.append(f"{page}: {' | '.join(item for item in left if item)}")
    assert len(shown) >= 20
    assert not problems, "\n".join(problems)


def test_every_second_factor_page_renders_in_welsh(app, create_user):
    shown = pages(app, create_user, "cy")
    for page, html in shown:
        assert '<html lang="cy"' in html, page
    everything = " ".join(html for _page, html in shown)
    for welsh in (
        "Rhowch god i orffen mewngofnodi",
        "Gosod eich ap dilysu",
        "Cadwch eich codau adfer",
        "Ailosod ail ffactor",
    ):
        assert welsh in everything
