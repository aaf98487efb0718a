"""A local OpenID provider for the session, and an app configured to use it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient

from .provider import CLIENT_ID, CLIENT_SECRET, Provider, Running


@pytest.fixture(scope="session")
def running_provider() -> Iterator[Running]:
    running = Running()
    yield running
    running.stop()


@pytest.fixture
def provider(running_provider: Running) -> Iterator[Provider]:
    provider = running_provider.provider
    provider.identity, provider.tamper = {}, None
    provider.nonces.clear()
    provider.codes.clear()
    provider.token_requests = 0
    yield provider


@pytest.fixture
def app(make_app: Callable[..., Flask], provider: Provider) -> Iterator[Flask]:
    app = make_app(
        OIDC_DISCOVERY_URL=f"{provider.url}/.well-known/openid-configuration",
        OIDC_CLIENT_ID=CLIENT_ID,
        OIDC_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_PROVIDER_NAME="your trust account",
    )
    with app.app_context():
        yield app


@pytest.fixture
def through_provider(client: FlaskClient, provider: Provider) -> Callable[..., object]:
    """Sign in the way a browser would: to the provider over HTTP, and back with its answer."""

    def go(the_client: FlaskClient | None = None, *, state: str | None = None, **identity):
        the_client = the_client or client
        provider.identity = identity
        start = the_client.get("/sign-in/trust")
        assert start.status_code == 302 and start.location.startswith(provider.url), start.location
        answer = requests.get(start.location, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        back = urlsplit(answer.headers["Location"])
        query = back.query if state is None else back.query.rsplit("state=", 1)[0] + f"state={state}"
        return the_client.get(f"{back.path}?{query}")

    return go
