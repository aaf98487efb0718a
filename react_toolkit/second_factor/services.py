"""Use cases for the second factor: set-up, codes at sign-in, recovery codes, passkeys, devices, resets.

Each public function is one action and commits once; usage events ride on the same commit through
signals, and hold which method or reason, never a secret or a code. Wrong codes count against the
account's limit in the database (auth/attempts.py), so guessing is limited across every worker.

The authenticator app's secret is encrypted with a key derived from SECRET_KEY: changing that key
stops the codes from every app until each person sets theirs up again, while recovery codes
(plain SHA-256 hashes of long random codes) and passkeys (public keys) keep working.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import pyotp
import segno
import webauthn
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, render_template
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup, escape
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import selectinload
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from react_toolkit import signals
from react_toolkit.auth import attempts
from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.auth.models import User
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.i18n import language_of
from react_toolkit.notifications import services as notifications
from react_toolkit.second_factor.models import (
    Passkey,
    RecoveryCode,
    RememberedDevice,
    SecondFactor,
    SecondFactorReset,
)
from react_toolkit.timeutil import now

log = logging.getLogger(__name__)

# Everyone who can read relatives' words or download data; STAFF_MFA=all adds clinicians.
# Content reviewers read relatives' comments on pages, so they pass a second factor too.
REQUIRED_ROLES = (R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER, R.ADMIN, R.CONTENT_REVIEWER)
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = auth_services.CODE_ALPHABET  # no 0/O, 1/I/L: easy to read and type
RECOVERY_CODE_LENGTH = 12  # about 59 bits each: a hash of one cannot be walked back
DEVICE_COOKIE = "react_device"
MAX_REASON = 2000
BASE64URL = re.compile(r"[A-Za-z0-9_-]{1,1400}")


class SecondFactorError(Refusal):
    """Refused by this feature's rules."""


# Who needs it -----------------------------------------------------------------------------------


def required_roles() -> tuple[str, ...]:
    """The roles that must use a second factor, as this trust set STAFF_MFA."""
    mode = current_app.config.get("STAFF_MFA", "staff")
    if mode == "off":
        return ()
    return R.STAFF if mode == "all" else REQUIRED_ROLES


def is_required(user: Any) -> bool:
    """Whether this person must use a second factor (their roles say so), not just may."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*required_roles())


def factor_of(user: User) -> SecondFactor | None:
    return db.session.get(SecondFactor, user.id)


def is_on(user: User) -> bool:
    """Whether the person has a confirmed authenticator app (and so asks for a code at sign-in)."""
    row = factor_of(user)
    return row is not None and row.confirmed_at is not None


def needs_second_factor(user: User) -> bool:
    return is_required(user) or is_on(user)


def is_pending(user: Any) -> bool:
    """Signed in with a password, but this session has not passed the second factor it needs."""
    if not getattr(user, "is_authenticated", False) or user.session_second_factor_at is not None:
        return False
    return needs_second_factor(user)


# Secrets ------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _cipher(secret_key: str) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"react-toolkit second factor").derive(
        secret_key.encode()
    )
    return AESGCM(key)


def _seal(user_id: int, secret: str) -> str:
    """The secret encrypted and bound to its account, so a row copied to another account does not work."""
    nonce = secrets.token_bytes(12)
    sealed = _cipher(current_app.config["SECRET_KEY"]).encrypt(nonce, secret.encode(), str(user_id).encode())
    return "v1." + base64.urlsafe_b64encode(nonce + sealed).decode()


def _open(user_id: int, value: str | None) -> str | None:
    if not value or not value.startswith("v1."):
        return None
    try:
        raw = base64.urlsafe_b64decode(value[3:].encode())
        opened = _cipher(current_app.config["SECRET_KEY"]).decrypt(raw[:12], raw[12:], str(user_id).encode())
    except (InvalidTag, ValueError):
        return None
    return opened.decode()


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _current_step() -> int:
    return int(now().timestamp()) // STEP_SECONDS


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (this one, or one either side for a slow phone clock) whose code this is."""
    totp = pyotp.TOTP(secret)
    step = _current_step()
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def normalise_code(code: str | None) -> str:
    """The letters and digits typed, in capitals: spaces, dashes and anything not ASCII left out."""
    return "".join(ch for ch in (code or "").upper() if ch.isascii() and ch.isalnum())


# Sign-in checks -----------------------------------------------------------------------------------


def _confirm_password(user: User, password: str) -> None:
    """The password typed again before a change to how the person signs in; wrong guesses count."""
    auth_services.confirm_password(
        user, password, "password", _("Your password is not right. Check it and try again")
    )


def _refuse_when_locked(user: User, field: str = "code") -> None:
    if attempts.is_locked(user.email, attempts.SECOND_FACTOR):
        signals.second_factor_failed.send(user, object_type="reason", object_id="rate_limited")
        db.session.commit()
        raise SecondFactorError(
            _("You have typed a wrong code too many times. For your safety, wait 15 minutes and try again"),
            field=field,
            status=429,
        )


def _failed(user: User, reason: str, message: str, field: str = "code") -> SecondFactorError:
    """Count one wrong guess, record why, commit; the caller raises what this returns."""
    attempts.record_failure(user.email, attempts.SECOND_FACTOR)
    signals.second_factor_failed.send(user, object_type="reason", object_id=reason)
    db.session.commit()
    return SecondFactorError(message, field=field, status=401)


def _passed(user: User, method: str) -> None:
    attempts.clear(user.email, attempts.SECOND_FACTOR)
    auth_services.pass_second_factor(user)
    signals.second_factor_succeeded.send(user, object_type="method", object_id=method)


def _use_step(user: User, step: int) -> bool:
    """Record the step as used, unless it (or a later one) already was: one code, one sign-in."""
    result = db.session.execute(
        update(SecondFactor)
        .where(SecondFactor.user_id == user.id, SecondFactor.last_step < step)
        .values(last_step=step)
    )
    return result.rowcount == 1


def check_code(user: User, code: str) -> str:
    """Finish signing in with a code from the app or an unused recovery code; says which it was."""
    _refuse_when_locked(user)
    code = normalise_code(code)
    if code.isdigit() and len(code) == 6:
        row = factor_of(user)
        secret = _open(user.id, row.totp_secret) if row and row.confirmed_at else None
        step = _matching_step(secret, code) if secret else None
        if step is None:
            raise _failed(
                user,
                "wrong_code",
                _("The code is not right. Check the code in your authenticator app and try again"),
            )
        if not _use_step(user, step):
            raise _failed(
                user,
                "replayed_code",
                _(
                    "This code has already been used. Wait for your app to show a new code, then type that one"
                ),
            )
        method = "totp"
    else:
        used = db.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == _sha256(code),
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now())
        )
        if used.rowcount != 1:
            raise _failed(
                user,
                "wrong_code",
                _("The code is not right. Check it and try again. Each recovery code works only once"),
            )
        method = "recovery_code"
    _passed(user, method)
    db.session.commit()
    return method


# Setting up an authenticator app ------------------------------------------------------------------


@dataclass(frozen=True)
class SetUp:
    """A secret being set up: shown as a QR code and as a key read aloud in groups; kept sealed meanwhile."""

    secret: str
    uri: str
    sealed: str  # encrypted for this account, for the browser session to keep until a code proves it

    @property
    def groups(self) -> list[str]:
        return [self.secret[start : start + 4] for start in range(0, len(self.secret), 4)]

    def qr_svg(self, label: str) -> Markup:
        """The QR code as inline SVG, drawn here: the secret never goes to another service."""
        svg = segno.make(self.uri, error="m").svg_inline(
            scale=5, dark="#212b32", light="#ffffff", title=label, svgclass="react-qr__code"
        )
        return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S704 - segno's own markup, our escaped label  # nosec B704


def start_set_up(user: User, kept: str | None) -> SetUp:
    """The secret being set up: the one kept (sealed) from an earlier visit to the page, or a new one.

    Nothing is written until a code from it is typed, so the page can be shown again and again.
    """
    secret = _open(user.id, kept)
    if secret is None:
        secret = pyotp.random_base32()
        kept = _seal(user.id, secret)
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["SERVICE_NAME"])
    return SetUp(secret=secret, uri=uri, sealed=kept or "")


def confirm_set_up(user: User, kept: str | None, code: str, password: str | None = None) -> list[str] | None:
    """Prove the new app with a code from it. Returns new recovery codes when the person had none left.

    A password is asked for (and checked) when the person is already fully signed in: from the
    account page, not at sign-in, where they have just typed it.
    """
    _refuse_when_locked(user)
    if password is not None:
        _confirm_password(user, password)
    secret = _open(user.id, kept)
    step = _matching_step(secret, normalise_code(code)) if secret else None
    if step is None:
        raise _failed(
            user,
            "wrong_code",
            _("The code is not right. Check the app shows the REACT toolkit and try again"),
        )
    row = factor_of(user)
    if row is None:
        row = SecondFactor(user_id=user.id)
        db.session.add(row)
    row.totp_secret = kept
    row.confirmed_at = now()
    row.last_step = step
    codes = None
    if recovery_codes_left(user) == 0:
        codes = _new_recovery_codes(user)
    _passed(user, "totp")
    signals.second_factor_added.send(user, object_type="method", object_id="totp")
    db.session.commit()
    return codes


# Recovery codes ------------------------------------------------------------------------------------


def format_recovery_code(code: str) -> str:
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _position in range(RECOVERY_CODE_LENGTH))
        for _number in range(RECOVERY_CODE_COUNT)
    ]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_sha256(code)) for code in codes)
    return [format_recovery_code(code) for code in codes]


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def renew_recovery_codes(user: User, password: str) -> list[str]:
    """Ten new codes, shown once; the old ones stop working."""
    _must_be_on(user)
    _confirm_password(user, password)
    codes = _new_recovery_codes(user)
    signals.recovery_codes_renewed.send(user)
    db.session.commit()
    return codes


def _must_be_on(user: User) -> None:
    if not is_on(user):
        raise SecondFactorError(_("Set up an authenticator app first"), status=409)


# Remembered devices --------------------------------------------------------------------------------


def remember_days() -> int:
    return int(current_app.config.get("STAFF_MFA_REMEMBER_DAYS", 0) or 0)


def _device_signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="second-factor-device")


def remember_device(user: User) -> str | None:
    """Let this browser skip the second factor for the trust's number of days; the cookie's value."""
    days = remember_days()
    if not days:
        return None
    token = secrets.token_urlsafe(32)
    db.session.add(
        RememberedDevice(user_id=user.id, token_hash=_sha256(token), expires_at=now() + timedelta(days=days))
    )
    db.session.commit()
    return _device_signer().dumps({"user": user.id, "token": token})


def pass_with_remembered_device(user: User, cookie: str | None) -> bool:
    """Pass the second factor with a remembered device's cookie, if the trust allows it and it is live."""
    days = remember_days()
    if not days or not cookie:
        return False
    try:
        value = _device_signer().loads(cookie)
    except BadSignature:
        return False
    if not isinstance(value, dict) or value.get("user") != user.id or not isinstance(value.get("token"), str):
        return False
    row = db.session.scalar(
        select(RememberedDevice).where(
            RememberedDevice.user_id == user.id, RememberedDevice.token_hash == _sha256(value["token"])
        )
    )
    moment = now()
    # A trust that shortens its setting shortens the devices already remembered too.
    if row is None or row.expires_at <= moment or row.created_at + timedelta(days=days) <= moment:
        return False
    row.last_used_at = moment
    _passed(user, "remembered_device")
    db.session.commit()
    return True


def remembered_devices(user: User) -> list[RememberedDevice]:
    return list(
        db.session.scalars(
            select(RememberedDevice)
            .where(RememberedDevice.user_id == user.id, RememberedDevice.expires_at > now())
            .order_by(RememberedDevice.created_at)
        )
    )


def forget_devices(user: User) -> int:
    """Every remembered browser asks for the second factor again; returns how many there were."""
    result = db.session.execute(delete(RememberedDevice).where(RememberedDevice.user_id == user.id))
    db.session.commit()
    return result.rowcount or 0


# Passkeys ----------------------------------------------------------------------------------------------


def _relying_party() -> tuple[str, str]:
    """The passkeys' site (the host of BASE_URL) and the origin browsers must report."""
    parts = urlsplit(current_app.config["BASE_URL"])
    return parts.hostname or "localhost", f"{parts.scheme}://{parts.netloc}"


def _user_handle(user: User) -> bytes:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"passkey-user:{user.id}".encode(), hashlib.sha256).digest()[:32]


def passkeys_of(user: User) -> list[Passkey]:
    return list(db.session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.id)))


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=webauthn.base64url_to_bytes(key.credential_id))
        for key in passkeys_of(user)
    ]


def begin_passkey(user: User, password: str) -> tuple[dict, bytes]:
    """Options for the browser to make a passkey, and the challenge to keep until it answers."""
    _must_be_on(user)
    _confirm_password(user, password)
    rp_id, _origin = _relying_party()
    options = webauthn.generate_registration_options(
        rp_id=rp_id,
        rp_name=current_app.config["SERVICE_NAME"],
        user_name=user.email,
        user_id=_user_handle(user),
        user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=_descriptors(user),
    )
    return json.loads(webauthn.options_to_json(options)), options.challenge


def passkey_not_saved() -> str:
    return _("Your passkey was not saved. Try again, or carry on using your authenticator app")


def add_passkey(user: User, credential: str, challenge: bytes, name: str) -> Passkey:
    """Keep the public key of a passkey the browser made for this person."""
    _must_be_on(user)
    rp_id, origin = _relying_party()
    try:
        verified = webauthn.verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=rp_id, expected_origin=origin
        )
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise SecondFactorError(passkey_not_saved(), field="name") from error
    credential_id = base64.urlsafe_b64encode(verified.credential_id).decode().rstrip("=")
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == credential_id)) is not None:
        raise SecondFactorError(_("This passkey is already saved"), field="name", status=409)
    passkey = Passkey(
        user_id=user.id,
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=(name or "").strip()[:60],
    )
    db.session.add(passkey)
    signals.second_factor_added.send(user, object_type="method", object_id="passkey")
    db.session.commit()
    return passkey


def passkey_request(user: User) -> tuple[dict, bytes] | None:
    """Options for the browser to sign in with one of the person's passkeys; None if they have none."""
    allowed = _descriptors(user)
    if not allowed:
        return None
    rp_id, _origin = _relying_party()
    options = webauthn.generate_authentication_options(
        rp_id=rp_id, allow_credentials=allowed, user_verification=UserVerificationRequirement.PREFERRED
    )
    return json.loads(webauthn.options_to_json(options)), options.challenge


def passkey_refused() -> str:
    return _("Your passkey was not accepted. Try again, or type a code from your authenticator app")


def check_passkey(user: User, credential: str, challenge: bytes | None) -> None:
    """Finish signing in with one of the person's passkeys."""
    _refuse_when_locked(user)
    try:
        credential_id = str(json.loads(credential)["rawId"]).rstrip("=")
    except (ValueError, KeyError, TypeError):
        credential_id = ""
    passkey = None
    if BASE64URL.fullmatch(credential_id):
        passkey = db.session.scalar(
            select(Passkey).where(Passkey.user_id == user.id, Passkey.credential_id == credential_id)
        )
    if passkey is None or challenge is None:
        raise _failed(user, "wrong_passkey", passkey_refused())
    rp_id, origin = _relying_party()
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp_id,
            expected_origin=origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
        )
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise _failed(user, "wrong_passkey", passkey_refused()) from None
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = now()
    _passed(user, "passkey")
    db.session.commit()


def remove_passkey(user: User, passkey_id: int) -> bool:
    """Forget one of the person's own passkeys; False if they have no such passkey."""
    result = db.session.execute(delete(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user.id))
    if not result.rowcount:
        db.session.rollback()
        return False
    signals.second_factor_removed.send(user, object_type="method", object_id="passkey")
    db.session.commit()
    return True


# Turning it off, and resets ------------------------------------------------------------------------------


def _remove_everything(user: User) -> None:
    uid = user.id
    for model in (RecoveryCode, Passkey, RememberedDevice, SecondFactor):
        db.session.execute(delete(model).where(model.user_id == uid))


def turn_off(user: User, password: str) -> None:
    """A person who does not have to use a second factor stops using it."""
    if is_required(user):
        raise SecondFactorError(_("Your account needs a second factor. It cannot be turned off"), status=403)
    _confirm_password(user, password)
    _remove_everything(user)
    signals.second_factor_removed.send(user, object_type="method", object_id="all")
    db.session.commit()


def reset(admin: User | None, person: User, reason: str) -> None:
    """An administrator takes away a colleague's second factor (a lost phone): they set it up again at sign-in.

    Every session of theirs ends, the reason goes in the audit log and they are told by email.
    """
    reason = (reason or "").strip()
    if not reason:
        raise SecondFactorError(_("Say why you are resetting their second factor"), field="reason")
    if len(reason) > MAX_REASON:
        raise SecondFactorError(_("The reason must be 2,000 characters or fewer"), field="reason")
    if admin is not None and admin.id == person.id:
        raise SecondFactorError(
            _("You cannot reset your own second factor. Ask another administrator"),
            field="reason",
            status=403,
        )
    _remove_everything(person)
    auth_services.end_every_session(person, "second_factor_reset")
    db.session.add(
        SecondFactorReset(user_id=person.id, reset_by_id=admin.id if admin else None, reason=reason)
    )
    signals.second_factor_reset.send(admin, object_type="user")
    config = current_app.config
    with language_of(person):
        notifications.enqueue(
            "account.second_factor_reset",
            user=person,
            subject=_("Your %(service)s second factor was reset", service=config["SERVICE_NAME"]),
            body=render_template("auth/email/second_factor_reset.txt", link=f"{config['BASE_URL']}/sign-in"),
        )
    db.session.commit()
    # Ids only: the reason is free text and logs never hold names.
    log.info("Second factor of account %s reset by %s", person.id, admin.id if admin else "a command")


def reset_log(limit: int = 300) -> list[SecondFactorReset]:
    query = select(SecondFactorReset).options(
        selectinload(SecondFactorReset.user), selectinload(SecondFactorReset.reset_by)
    )
    return list(db.session.scalars(query.order_by(SecondFactorReset.id.desc()).limit(limit)))


def states(people: list[User]) -> dict[int, bool]:
    """For each person, whether their authenticator app is set up: one query for the whole list."""
    ids = [person.id for person in people]
    if not ids:
        return {}
    on = set(
        db.session.scalars(
            select(SecondFactor.user_id).where(
                SecondFactor.user_id.in_(ids), SecondFactor.confirmed_at.is_not(None)
            )
        )
    )
    return {uid: uid in on for uid in ids}
