"""Security headers on every response, with a fresh CSP nonce for each request; no NUL in what comes in."""

from __future__ import annotations

import secrets
from typing import Any

import flask
from flask import Flask, Response, abort, g, request
from werkzeug.datastructures import MultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.utils import cached_property

NUL = "\x00"


def _without_nul(values: MultiDict) -> MultiDict:
    pairs = list(values.items(multi=True))
    if not any(NUL in key or (isinstance(value, str) and NUL in value) for key, value in pairs):
        return values
    return type(values)(
        (key.replace(NUL, ""), value.replace(NUL, "") if isinstance(value, str) else value)
        for key, value in pairs
    )


class Request(flask.Request):
    """Query strings and form fields without NUL characters.

    Nobody types one, no text here needs one, and PostgreSQL cannot store one (it would be a 500).
    """

    @cached_property
    def args(self) -> MultiDict[str, str]:
        return _without_nul(super().args)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])


def refuse_nul_in_path(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """A NUL in an id, slug or code names nothing here."""
    if values and any(isinstance(value, str) and NUL in value for value in values.values()):
        abort(404)


def csp_nonce() -> str:
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def add_security_headers(response: Response) -> Response:
    nonce = csp_nonce()
    policy = "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
    headers = response.headers
    headers["Content-Security-Policy"] = policy
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    if response.mimetype == "text/html":
        # Pages can hold private things; keep them out of shared caches and the back button.
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.request_class = Request
    app.url_value_preprocessor(refuse_nul_in_path)
    app.after_request(add_security_headers)
    app.jinja_env.globals["csp_nonce"] = csp_nonce
