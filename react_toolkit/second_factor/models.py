"""A person's second factor: an authenticator app, recovery codes, passkeys, remembered devices, resets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.timeutil import now


class SecondFactor(db.Model):
    """A person's authenticator app. Its secret is kept encrypted and is never shown again once confirmed.

    A secret being set up is kept, encrypted, in the person's browser session until they type a
    right code from it, so replacing an app leaves the old one working until the new one is proved.
    """

    __tablename__ = "second_factors"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    totp_secret: Mapped[str | None] = mapped_column(String(200))
    confirmed_at: Mapped[datetime | None]
    # The last 30-second time step whose code was accepted: a code is never accepted twice.
    last_step: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=now)


class RecoveryCode(db.Model):
    """One single-use recovery code, kept as a SHA-256 hash (the codes are long and random)."""

    __tablename__ = "second_factor_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    used_at: Mapped[datetime | None]


class Passkey(db.Model):
    """A WebAuthn credential the person registered: its public key only, never anything secret."""

    __tablename__ = "second_factor_passkeys"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    credential_id: Mapped[str] = mapped_column(String(1400), unique=True)  # base64url, up to 1023 bytes
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_used_at: Mapped[datetime | None]


class RememberedDevice(db.Model):
    """A browser that may skip the second factor until it expires; only a hash of its cookie's token is kept."""

    __tablename__ = "second_factor_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]


class SecondFactorReset(db.Model):
    """The audit log of resets: whose second factor an administrator took away, when and why."""

    __tablename__ = "second_factor_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reset_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now, index=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    reset_by: Mapped[User | None] = relationship(foreign_keys=[reset_by_id])
