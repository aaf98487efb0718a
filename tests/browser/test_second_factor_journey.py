"""A supporter's first sign-in sets up an authenticator app from the page, then signs in with a code and a passkey.

The key is read from the page as a person who cannot scan the QR code would type it. The passkey is
made and used by Chromium's virtual authenticator (the DevTools WebAuthn domain), on localhost,
where browsers allow passkeys over plain HTTP.
"""

from __future__ import annotations

import pytest

from react_toolkit.auth import roles as R
from tests.browser.conftest import sign_out
from tests.conftest import PASSWORD
from tests.second_factor.helpers import totp

pytestmark = pytest.mark.browser


def sign_in_with_password(page, base: str, email: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_load_state()


def test_set_up_an_app_then_sign_in_with_a_code_and_a_passkey(
    app, page, live_server, create_user, check_accessibility, clock
):
    base = live_server.replace("127.0.0.1", "localhost")
    app.config["BASE_URL"] = base  # passkeys belong to the site the browser sees
    supporter = create_user(R.SUPPORTER)

    # First sign-in: the password, then straight to setting up an app, whatever page was asked for.
    sign_in_with_password(page, base, supporter.email)
    assert page.url == f"{base}/second-factor/set-up?next=/"
    check_accessibility(page)
    assert page.get_attribute("svg.react-qr__code", "role") == "img"
    key = page.inner_text(".react-secret__key")
    assert [len(group) for group in key.split()] == [4] * 8
    spelled = page.inner_text(".react-secret .nhsuk-u-visually-hidden")
    assert spelled.startswith(" ".join(key[:4])) and ", " in spelled  # read aloud a character at a time
    page.fill("#code", totp(key.replace(" ", "")))
    page.click("button:has-text('Continue')")
    page.wait_for_load_state()
    assert page.locator("[data-recovery-codes] li").count() == 10
    check_accessibility(page)
    page.click("text=I have saved my recovery codes")
    page.wait_for_url(f"{base}/")
    sign_out(page)

    # The next sign-in asks for a code from the app.
    clock.advance(seconds=30)
    sign_in_with_password(page, base, supporter.email)
    assert page.url.startswith(f"{base}/second-factor?")
    check_accessibility(page)
    page.fill("#code", totp(key.replace(" ", "")))
    page.click("button:has-text('Continue')")
    page.wait_for_url(f"{base}/")

    # A passkey, made from the account page by the browser's (virtual) authenticator.
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.goto(f"{base}/account")
    page.click("text=Manage your second factor")
    page.wait_for_load_state()
    check_accessibility(page)
    page.click("text=Add a passkey")
    page.fill("#name", "This laptop")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Continue')")
    page.wait_for_load_state()
    check_accessibility(page)
    page.click("button:has-text('Make a passkey')")
    page.wait_for_url(f"{base}/account/second-factor")
    assert "Your passkey is saved" in page.content() and "This laptop" in page.content()
    sign_out(page)

    # And the passkey, instead of a code.
    sign_in_with_password(page, base, supporter.email)
    assert page.is_visible("button:has-text('Use a passkey')")
    check_accessibility(page)
    page.click("button:has-text('Use a passkey')")
    page.wait_for_url(f"{base}/")
    assert f"Signed in as {supporter.full_name}" in page.content()
