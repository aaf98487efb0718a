"""Property: whatever arrives in the code and passkey forms before the second factor, no answer is a 500.

The security sweep's fuzzer sends forms as people already through the second factor, who never see
these; here someone half signed in (with an app and a passkey, or with neither yet) sends them text
from the same strategies, with JSON shaped like a browser's passkey answer among it.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.second_factor.models import Passkey
from tests.conftest import PASSWORD, TOKEN
from tests.second_factor.helpers import sign_in_with_password, turn_on

# As in the security sweep's fuzzer (tests/security/test_fuzz_forms.py): any characters, control
# and bidi marks, lone surrogates, and values near the real ones.
SPECIAL = ["\x00", "\u202e", "\u200b", "\ud800", "🙂", "e\u0301", "' OR 1=1 --", "%00", "{{7*7}}", "-1"]
NEAR = ["123456", "000000", "12345", "1234567", "ABCD-EFGH-JKMN", "abcd efgh jkmn", "y", " 123 456 "]
characters = st.characters(codec=None, categories=("L", "M", "N", "P", "S", "Z", "Cc", "Cf", "Cs", "Co"))
small_text = st.one_of(
    st.text(characters, max_size=40),
    st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=6).map("".join),
    st.sampled_from(NEAR),
    st.just(""),
)


def encoded(values: dict[str, str], token: str) -> bytes:
    """The form body as bytes; a lone surrogate goes out as the invalid UTF-8 a careless client sends."""
    pairs = [(name, value.encode("utf-8", "surrogatepass")) for name, value in values.items()]
    return urlencode([*pairs, ("csrf_token", token)]).encode("ascii")


passkey_like = st.fixed_dictionaries(
    {
        "id": small_text,
        "rawId": st.one_of(small_text, st.just("credential-1")),
        "type": st.one_of(st.just("public-key"), small_text),
        "response": st.dictionaries(
            st.sampled_from(
                ["clientDataJSON", "authenticatorData", "signature", "userHandle", "attestationObject"]
            ),
            st.one_of(small_text, st.none(), st.integers()),
        ),
    }
).map(json.dumps)
credential = st.one_of(small_text, passkey_like, st.just("null"), st.just("[]"), st.just('{"rawId": 7}'))

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def half_signed_in(app, create_user):
    app.config.update(SECOND_FACTOR_LIMIT_ACCOUNT="100000 per minute", PROPAGATE_EXCEPTIONS=False)
    with_app, without = create_user(R.ADMIN), create_user(R.SUPPORTER)
    turn_on(with_app)
    db.session.add(Passkey(user_id=with_app.id, credential_id="credential-1", public_key=b"key"))
    db.session.commit()
    clients = {}
    for name, user in (("with an app", with_app), ("without one", without)):
        client = app.test_client()
        sign_in_with_password(client, user)
        page = client.get("/second-factor" if name == "with an app" else "/second-factor/set-up")
        clients[name] = (client, TOKEN.search(page.get_data(as_text=True)).group(1))
    return clients


def test_the_code_page_answers_anything_without_a_server_error(half_signed_in):
    client, token = half_signed_in["with an app"]

    @SETTINGS
    @given(code=small_text, remember=small_text)
    def send(code: str, remember: str) -> None:
        body = encoded({"code": code, "remember": remember}, token)
        response = client.post("/second-factor", data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code < 500, response.status_code

    send()


def test_the_passkey_form_answers_anything_without_a_server_error(half_signed_in):
    client, token = half_signed_in["with an app"]

    @SETTINGS
    @given(answer=credential, remember=small_text)
    def send(answer: str, remember: str) -> None:
        client.get("/second-factor")  # a fresh challenge in the session, as the page gives
        body = encoded({"credential": answer, "remember": remember}, token)
        response = client.post(
            "/second-factor/passkey", data=body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500, response.status_code

    send()


def test_the_set_up_page_answers_anything_without_a_server_error(half_signed_in):
    client, token = half_signed_in["without one"]

    @SETTINGS
    @given(code=small_text, password=small_text)
    def send(code: str, password: str) -> None:
        body = encoded({"code": code, "password": password}, token)
        response = client.post(
            "/second-factor/set-up", data=body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500, response.status_code

    send()


def test_saving_a_passkey_answers_anything_without_a_server_error(app, create_user, login, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    admin = create_user(R.ADMIN)
    turn_on(admin)
    login(admin)
    token = TOKEN.search(client.get("/account/second-factor/passkeys/new").get_data(as_text=True)).group(1)

    @SETTINGS
    @given(answer=credential)
    def send(answer: str) -> None:
        started = client.post(
            "/account/second-factor/passkeys/new",
            data=encoded({"name": "Phone", "password": PASSWORD}, token),
            content_type="application/x-www-form-urlencoded",
        )
        assert started.status_code == 200
        body = encoded({"credential": answer}, token)
        response = client.post(
            "/account/second-factor/passkeys", data=body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code < 500, response.status_code

    send()
