"""A small OpenID Connect provider served over real HTTP on a local port, for the sign-in tests.

It speaks the authorisation-code flow as a provider does: discovery, an authorisation endpoint
that answers at once for the identity the test chose, a token endpoint that checks the client's
secret, the redirect address and that a code is used once, and the signing keys. Each test can make
it misbehave in one way (a forged signature, a wrong audience, an expired token, an old nonce).
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server

from react_toolkit.timeutil import now

CLIENT_ID = "react-toolkit"
CLIENT_SECRET = "a-secret-only-the-tests-know"


@dataclass
class Provider:
    url: str = ""
    identity: dict[str, Any] = field(default_factory=dict)  # the claims the next sign-in carries
    tamper: str | None = None  # forged | wrong_audience | expired | old_nonce | wrong_issuer
    nonces: list[str] = field(default_factory=list)  # every nonce asked for, in order
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: int = 0

    def __post_init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "signing-1", "use": "sig", "alg": "RS256"})
        # Same key id, different key: what a forger without the private key would have to use.
        self.forger = RSAKey.generate_key(2048, parameters={"kid": "signing-1", "use": "sig", "alg": "RS256"})

    def id_token(self, nonce: str) -> str:
        moment = int(now().timestamp())
        claims = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "iat": moment,
            "exp": moment + 300,
            "nonce": nonce,
            **self.identity,
        }
        if self.tamper == "wrong_audience":
            claims["aud"] = "another-service"
        if self.tamper == "wrong_issuer":
            claims["iss"] = "https://impostor.invalid"
        if self.tamper == "expired":
            claims["iat"], claims["exp"] = moment - 1800, moment - 900
        if self.tamper == "old_nonce":
            claims["nonce"] = self.nonces[0]
        key = self.forger if self.tamper == "forged" else self.key
        return jwt.encode({"alg": "RS256", "kid": "signing-1"}, claims, key)


def make_provider_app(provider: Provider) -> Flask:
    app = Flask("test_provider")

    @app.get("/.well-known/openid-configuration")
    def discovery():
        return jsonify(
            issuer=provider.url,
            authorization_endpoint=f"{provider.url}/authorize",
            token_endpoint=f"{provider.url}/token",
            jwks_uri=f"{provider.url}/jwks",
            response_types_supported=["code"],
            subject_types_supported=["public"],
            id_token_signing_alg_values_supported=["RS256"],
            token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        )

    @app.get("/jwks")
    def jwks():
        return jsonify(KeySet([provider.key]).as_dict(private=False))

    @app.get("/authorize")
    def authorize():
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            abort(400)
        if "openid" not in args.get("scope", "").split():
            abort(400)
        nonce = args.get("nonce")
        if not nonce or not args.get("state"):
            abort(400)
        provider.nonces.append(nonce)
        code = secrets.token_urlsafe(16)
        provider.codes[code] = {"nonce": nonce, "redirect_uri": args["redirect_uri"]}
        return redirect(f"{args['redirect_uri']}?{urlencode({'code': code, 'state': args['state']})}")

    @app.post("/token")
    def token():
        provider.token_requests += 1
        auth = request.authorization
        client = (
            (auth.username, auth.password)
            if auth
            else (request.form.get("client_id"), request.form.get("client_secret"))
        )
        if client != (CLIENT_ID, CLIENT_SECRET):
            return jsonify(error="invalid_client"), 401
        grant = provider.codes.pop(request.form.get("code", ""), None)  # a code works once
        if request.form.get("grant_type") != "authorization_code" or grant is None:
            return jsonify(error="invalid_grant"), 400
        if request.form.get("redirect_uri") != grant["redirect_uri"]:
            return jsonify(error="invalid_grant"), 400
        return jsonify(
            access_token=secrets.token_urlsafe(24),
            token_type="Bearer",
            expires_in=300,
            id_token=provider.id_token(grant["nonce"]),
        )

    return app


class Running:
    """The provider on 127.0.0.1 at a free port, in a thread, until stopped."""

    def __init__(self) -> None:
        self.provider = Provider()
        self.server = make_server("127.0.0.1", 0, make_provider_app(self.provider), threaded=True)
        self.provider.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join()
