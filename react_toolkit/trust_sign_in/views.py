"""The two pages of trust sign-in: off to the provider, and back from it."""

from __future__ import annotations

import logging

from authlib.common.errors import AuthlibBaseError
from flask import Blueprint, abort, current_app, redirect, render_template, session, url_for
from flask_login import current_user, login_user
from joserfc.errors import JoseError
from requests import RequestException

from react_toolkit.auth.services import ServiceError
from react_toolkit.extensions import limiter
from react_toolkit.trust_sign_in import services

bp = Blueprint("trust_sign_in", __name__)
log = logging.getLogger(__name__)


@bp.get("/sign-in/trust")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ADDRESS"])
def start():
    if not services.is_configured(current_app):
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    # Authlib keeps the state and a fresh nonce in the session, and checks both on the way back.
    return services.client().authorize_redirect(url_for("trust_sign_in.callback", _external=True))


@bp.get("/sign-in/trust/callback")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_ADDRESS"])
def callback():
    if not services.is_configured(current_app):
        abort(404)
    try:
        try:
            token = services.client().authorize_access_token()
        except (AuthlibBaseError, JoseError, RequestException) as error:
            log.warning("trust sign-in refused: %s", type(error).__name__)
            services.refuse_token(type(error).__name__)
        claims = token.get("userinfo") or {}
        user = services.sign_in_with_identity(dict(claims))
    except ServiceError as error:
        return render_template("trust_sign_in/refused.html", message=error.message), error.status
    session.clear()
    session.permanent = True
    login_user(user)
    return redirect(url_for("core.home"))
