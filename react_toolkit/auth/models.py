"""Users, their roles, server-side sessions, invitations and one-time account links."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Site, Team
from react_toolkit.timeutil import now


class User(UserMixin, db.Model):
    """A person with an account: a relative or a member of staff."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Staff are known by name; relatives only by their forum name.
    full_name: Mapped[str] = mapped_column(String(200), default="")
    forum_name: Mapped[str | None] = mapped_column(String(40))
    forum_name_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    terms_accepted_at: Mapped[datetime | None]
    research_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    research_consent_at: Mapped[datetime | None]
    # The interface language the person chose ('en' or 'cy'); None until they choose.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    # The first time the person signed in (registration counts): the end of the
    # invite-to-first-sign-in interval the dashboard reports.
    first_login_at: Mapped[datetime | None]
    # Set when the account is erased; the row stays so that ids in shared records
    # (forum posts, conversations) still resolve, but it holds nothing personal.
    erased_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime | None]

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    site: Mapped[Site | None] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined", foreign_keys=[team_id])

    # Flask-Login stores the server-side session token, not the user id, so that
    # revoking the session row signs the browser out.
    session_token = None
    # When this browser's session passed the second factor (None before it has); set with the token.
    session_second_factor_at = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(row.role for row in self.role_rows)

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))

    @property
    def is_staff(self) -> bool:
        return self.has_role(*R.STAFF)

    @property
    def is_relative(self) -> bool:
        return R.RELATIVE in self.roles

    @property
    def display_name(self) -> str:
        """How the header names the person: staff by name, relatives by forum name."""
        return self.full_name or self.forum_name or gettext("your account")

    def role_labels(self) -> list[str]:
        return [str(R.LABELS[name]) for name in R.ALL if name in self.roles]


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), primary_key=True)


class UserSession(db.Model):
    """A signed-in browser. Only a hash of its token is stored."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    last_seen_at: Mapped[datetime] = mapped_column(default=now)
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(String(40))
    # When this session passed the second factor; staff pages need it (see second_factor/).
    second_factor_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class Invitation(db.Model):
    """An invitation for a relative, sent by email or handed over as a short code."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    method: Mapped[str] = mapped_column(String(10))  # "email" or "code"
    email: Mapped[str | None] = mapped_column(String(254))
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    # A private label ("JS, Tuesday clinic") so the inviting team can tell its invitations apart.
    # Only that team's staff see it: never the relative, other teams, exports or usage events.
    label: Mapped[str] = mapped_column(String(60), default="")
    # The trust's own record reference (say, the carer's assessment number). Stored only where the
    # site has turned it on; seen, like the label, only by the inviting team.
    record_reference: Mapped[str | None] = mapped_column(String(40))
    # For an invitation sent again: the first invitation of the chain. The dashboard counts every
    # invitation of one chain as one relative.
    resent_from_id: Mapped[int | None] = mapped_column(ForeignKey("invitations.id"), index=True)

    team: Mapped[Team] = relationship(lazy="joined")
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])

    def status(self, at: datetime) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "withdrawn"
        if self.expires_at <= at:
            return "expired"
        return "waiting"

    @property
    def chain_id(self) -> int:
        """The first invitation of this one's chain of resends (itself if it was never resent)."""
        return self.resent_from_id or self.id


class AccountToken(db.Model):
    """A single-use emailed link: a password reset, or a new staff member's first password."""

    __tablename__ = "account_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "reset" or "welcome"
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


class FailedAttempt(db.Model):
    """One wrong password or wrong second-factor code, counted per account in the database.

    The account is named by a keyed hash of its email address, not by its id, so that an
    address with no account is counted exactly as one with an account: the limit cannot be
    used to learn who has one. Rows older than the limit's window are deleted as new ones
    arrive, and with the account when it is erased.
    """

    __tablename__ = "failed_attempts"
    __table_args__ = (Index("ix_failed_attempts_account_kind_at", "account_key", "kind", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))  # "sign_in" or "second_factor"
    at: Mapped[datetime] = mapped_column(default=now)
