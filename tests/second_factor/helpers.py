"""Codes from an authenticator app on the test clock, and the set-up and sign-in pages driven as a person would."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pyotp
from flask.testing import FlaskClient

from react_toolkit.auth.models import User
from react_toolkit.second_factor import services
from react_toolkit.timeutil import now
from tests.conftest import PASSWORD, post

KEY = re.compile(r'class="react-secret__key"[^>]*>([A-Z2-7 ]+)<')
RECOVERY_CODE = re.compile(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>")
OPTIONS = re.compile(r"<script type=\"application/json\" data-passkey-options>(.*?)</script>", re.S)


def totp(secret: str, moment: datetime | None = None) -> str:
    """The code an app shows for this secret at this moment (the app's own clock is the test clock)."""
    step = int((moment or now()).timestamp()) // services.STEP_SECONDS
    return pyotp.TOTP(secret).generate_otp(step)


def turn_on(user: User) -> str:
    """Give the person a confirmed authenticator app through the services; returns its secret.

    It is proved with the code of the step before (a phone a little slow), so the current code is
    still unused and the test can sign in with it at once.
    """
    set_up = services.start_set_up(user, None)
    earlier = now() - timedelta(seconds=services.STEP_SECONDS)
    services.confirm_set_up(user, set_up.sealed, totp(set_up.secret, earlier))
    return set_up.secret


def sign_in_with_password(client: FlaskClient, user: User, password: str = PASSWORD):
    response = post(client, "/sign-in", {"email": user.email, "password": password}, token_from="/sign-in")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def key_on(page: str) -> str:
    """The key the set-up page shows for typing into an app, without its spaces."""
    match = KEY.search(page)
    assert match, "no key on the set-up page"
    return match.group(1).replace(" ", "")


def set_up_at_sign_in(client: FlaskClient, user: User) -> tuple[str, list[str]]:
    """Sign in with the password, follow the set-up page, type a code; the secret and recovery codes."""
    sign_in_with_password(client, user)
    page = client.get("/second-factor/set-up").get_data(as_text=True)
    secret = key_on(page)
    response = post(
        client, "/second-factor/set-up", {"code": totp(secret)}, token_from="/second-factor/set-up"
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    codes = RECOVERY_CODE.findall(response.get_data(as_text=True))
    assert len(codes) == services.RECOVERY_CODE_COUNT
    return secret, codes


def enter_code(client: FlaskClient, code: str, **fields):
    return post(client, "/second-factor", {"code": code, **fields}, token_from="/second-factor")


def passkey_options(page: str) -> dict:
    import json

    match = OPTIONS.search(page)
    assert match, "no passkey options on the page"
    return json.loads(unescape(match.group(1)))
