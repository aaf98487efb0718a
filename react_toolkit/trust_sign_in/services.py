"""Signing staff in with the trust's OpenID provider: the client, and matching an identity to an account."""

from __future__ import annotations

from typing import Any

from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from authlib.oidc.core import CodeIDToken
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from react_toolkit import signals
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import User
from react_toolkit.auth.services import ServiceError, normalise_email, pass_second_factor, start_session
from react_toolkit.extensions import db
from react_toolkit.timeutil import now
from react_toolkit.timeutil import now as clock_now
from react_toolkit.trust_sign_in.models import TrustIdentity

NO_ACCOUNT = _l(
    "There is no staff account here for your trust account. Ask your site lead to add you, using "
    "the same email address as your trust account"
)
NOT_VERIFIED = _l(
    "Your trust account did not confirm your email address, so we cannot match it to an account"
)
LINKED_ELSEWHERE = _l(
    "This staff account is linked to a different trust account. Ask your site lead or an administrator"
)
FAILED = _l(
    "We could not sign you in with your trust account. Try again, or sign in with your email "
    "address and password"
)


class _IDToken(CodeIDToken):
    """An ID token whose expiry and issue time are judged by the app's own clock."""

    def validate(self, now: int | None = None, leeway: int = 0) -> None:
        super().validate(now=int(clock_now().timestamp()) if now is None else now, leeway=leeway)


class _TrustClient(FlaskOAuth2App):
    def parse_id_token(self, token, nonce, claims_options=None, claims_cls=None, leeway=120):
        # The access token is never used here, so its hash in the ID token need not be checked.
        return super().parse_id_token(token, nonce, claims_options, claims_cls or _IDToken, leeway)


class _OAuth(OAuth):
    oauth2_client_cls = _TrustClient


def is_configured(app: Flask) -> bool:
    return bool(app.config.get("OIDC_DISCOVERY_URL") and app.config.get("OIDC_CLIENT_ID"))


def init_app(app: Flask) -> None:
    """Register the provider's client for this app (each app has its own, as the tests build many)."""
    oauth = _OAuth(app)
    if is_configured(app):
        oauth.register(
            "trust",
            server_metadata_url=app.config["OIDC_DISCOVERY_URL"],
            client_id=app.config["OIDC_CLIENT_ID"],
            client_secret=app.config["OIDC_CLIENT_SECRET"],
            client_kwargs={"scope": "openid email profile", "timeout": 10},
        )
    app.extensions["trust_sign_in"] = oauth


def client() -> Any:
    return current_app.extensions["trust_sign_in"].trust


def sign_in_with_identity(claims: dict[str, Any]) -> User:
    """The staff account for these checked ID-token claims, now signed in; refused if none may be.

    Linked identities win (issuer and subject); else a verified email links the account on first
    use. Relatives never sign in this way, and no account or role is ever made here.
    """
    issuer, subject = str(claims.get("iss", "")), str(claims.get("sub", ""))
    identity = db.session.scalar(
        select(TrustIdentity).where(TrustIdentity.issuer == issuer, TrustIdentity.subject == subject)
    )
    if identity is not None:
        user = db.session.get(User, identity.user_id)
    else:
        user = _match_by_email(claims, issuer)
        identity = TrustIdentity(user_id=user.id, issuer=issuer, subject=subject)
        db.session.add(identity)
    if user is None or not user.active or user.erased_at is not None or not user.has_role(*R.STAFF):
        _refuse(user, "trust_no_account", NO_ACCOUNT)
    identity.last_used_at = user.last_login_at = now()
    user.first_login_at = user.first_login_at or user.last_login_at
    start_session(user)
    db.session.flush()
    signals.login_succeeded.send(user, object_type="method", object_id="trust_account")
    if _provider_checked_second_factor(claims):
        pass_second_factor(user)
        signals.second_factor_succeeded.send(user, object_type="method", object_id="trust_account")
    db.session.commit()
    return user


def _match_by_email(claims: dict[str, Any], issuer: str) -> User:
    verified = claims.get("email_verified") is True or current_app.config["OIDC_EMAIL_VERIFIED_BY_ISSUER"]
    email = normalise_email(str(claims.get("email") or ""))
    if not email:
        _refuse(None, "trust_no_email", NO_ACCOUNT)
    if not verified:
        _refuse(None, "trust_email_not_verified", NOT_VERIFIED)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        _refuse(None, "trust_no_account", NO_ACCOUNT)
    linked = db.session.scalar(
        select(TrustIdentity).where(TrustIdentity.user_id == user.id, TrustIdentity.issuer == issuer)
    )
    if linked is not None:
        # The account is someone else's at the trust: an email moved to a new person moves nothing.
        _refuse(user, "trust_linked_elsewhere", LINKED_ELSEWHERE)
    return user


def _provider_checked_second_factor(claims: dict[str, Any]) -> bool:
    methods = claims.get("amr") or []
    if isinstance(methods, str):
        methods = [methods]
    return bool(set(methods) & set(current_app.config["OIDC_MFA_AMR"]))


def _refuse(user: User | None, reason: str, message: Any) -> None:
    db.session.rollback()
    signals.login_failed.send(user, object_type="reason", object_id=reason)
    db.session.commit()
    raise ServiceError(message, status=403)


def refuse_token(reason: str) -> None:
    """The provider's answer failed a check (state, signature, audience, expiry, nonce)."""
    signals.login_failed.send(None, object_type="reason", object_id=reason)
    db.session.commit()
    raise ServiceError(FAILED, status=400)
