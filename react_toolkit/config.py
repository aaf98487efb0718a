"""Configuration, read from the environment so one build runs anywhere."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
INSTANCE_DIR = BASE_DIR / "instance"

DEV_SECRET_KEY = "dev-only-secret-key-not-for-production"  # noqa: S105 - production refuses it
DEV_PSEUDONYM_KEY = "dev-only-pseudonym-key-not-for-production"


class ConfigError(RuntimeError):
    """Raised when the app is started in production with unsafe settings."""


def from_environment(env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the settings from environment variables, with safe development defaults."""
    env = os.environ if env is None else env

    def text(name: str, default: str) -> str:
        return env.get(name) or default

    def number(name: str, default: int) -> int:
        value = env.get(name)
        return int(value) if value else default

    def decimal(name: str, default: float) -> float:
        value = env.get(name)
        return float(value) if value else default

    def flag(name: str, default: bool) -> bool:
        value = env.get(name)
        if not value:
            return default
        return value.strip().lower() in {"1", "true", "yes", "on"}

    production = text("REACT_ENV", "development") == "production"
    idle_minutes = number("SESSION_IDLE_MINUTES", 30)
    absolute_hours = number("SESSION_ABSOLUTE_HOURS", 12)
    database_url = text("DATABASE_URL", "" if production else f"sqlite:///{INSTANCE_DIR / 'react.sqlite3'}")
    return {
        "ENV_NAME": text("REACT_ENV", "development"),
        "PRODUCTION": production,
        "SECRET_KEY": text("SECRET_KEY", "" if production else DEV_SECRET_KEY),
        "USAGE_PSEUDONYM_KEY": text("USAGE_PSEUDONYM_KEY", "" if production else DEV_PSEUDONYM_KEY),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # hide_parameters keeps what people typed out of error messages and logs. A server's
        # connections can drop, so each is checked as it leaves the pool; a SQLite file's cannot.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": not database_url.startswith("sqlite"),
            "hide_parameters": True,
        },
        # The longest thing anyone types is a 10,000-character post; a bigger request is refused
        # (413) before its body is read.
        "MAX_CONTENT_LENGTH": number("MAX_REQUEST_BYTES", 1024 * 1024),
        "SERVICE_NAME": text("SERVICE_NAME", "REACT toolkit"),
        "BASE_URL": text("BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "ALLOW_SELF_REGISTRATION": flag("ALLOW_SELF_REGISTRATION", False),
        "INVITATION_DAYS": number("INVITATION_DAYS", 14),
        "PASSWORD_RESET_MINUTES": number("PASSWORD_RESET_MINUTES", 60),
        "WELCOME_LINK_DAYS": number("WELCOME_LINK_DAYS", 7),
        # Server-side sessions end after this much idle time; a warning comes first.
        "SESSION_IDLE_MINUTES": idle_minutes,
        "SESSION_WARNING_MINUTES": number("SESSION_WARNING_MINUTES", 2),
        "SESSION_ABSOLUTE_HOURS": absolute_hours,
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=absolute_hours),
        "SESSION_COOKIE_NAME": "react_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": flag("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_DURATION": timedelta(0),
        "TRUSTED_PROXIES": number("TRUSTED_PROXIES", 0),
        "WTF_CSRF_TIME_LIMIT": None,
        "LOGIN_LIMIT_ACCOUNT": text("LOGIN_LIMIT_ACCOUNT", "5 per 15 minutes"),
        "SECOND_FACTOR_LIMIT_ACCOUNT": text("SECOND_FACTOR_LIMIT_ACCOUNT", "5 per 15 minutes"),
        # Which staff must use a second factor: "staff" (everyone who can read relatives' words or
        # download data), "all" (clinicians too) or, outside production only, "off".
        "STAFF_MFA": text("STAFF_MFA", "staff").strip().lower(),
        # How many days a device may skip the second factor after a right code; 0 (never) unless the
        # trust allows it, and never more than 30.
        "STAFF_MFA_REMEMBER_DAYS": max(0, min(number("STAFF_MFA_REMEMBER_DAYS", 0), 30)),
        # Staff sign-in with the trust's own accounts (OpenID Connect, e.g. Microsoft Entra ID); off
        # unless a discovery address is set. Accounts must already exist here: matched on a verified
        # email, then on the identity provider's subject.
        "OIDC_DISCOVERY_URL": text("OIDC_DISCOVERY_URL", ""),
        "OIDC_CLIENT_ID": text("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": text("OIDC_CLIENT_SECRET", ""),
        "OIDC_PROVIDER_NAME": text("OIDC_PROVIDER_NAME", "your NHS trust account"),
        # The `amr` values that mean the identity provider asked for a second factor itself.
        "OIDC_MFA_AMR": tuple(
            value.strip() for value in text("OIDC_MFA_AMR", "mfa").split(",") if value.strip()
        ),
        # Only for a single-tenant provider whose emails the trust itself controls and which sends
        # no `email_verified` claim (as Entra ID does not).
        "OIDC_EMAIL_VERIFIED_BY_ISSUER": flag("OIDC_EMAIL_VERIFIED_BY_ISSUER", False),
        "LOGIN_LIMIT_ADDRESS": text("LOGIN_LIMIT_ADDRESS", "30 per 15 minutes"),
        "REGISTRATION_LIMIT_ADDRESS": text("REGISTRATION_LIMIT_ADDRESS", "20 per hour"),
        "RESET_LIMIT_ACCOUNT": text("RESET_LIMIT_ACCOUNT", "3 per hour"),
        "RESET_LIMIT_ADDRESS": text("RESET_LIMIT_ADDRESS", "20 per hour"),
        "RATELIMIT_STORAGE_URI": text("RATELIMIT_STORAGE_URI", "memory://"),
        # Set by gunicorn.conf.py for the app: how many worker processes serve it.
        "WORKER_PROCESSES": number("REACT_WORKER_PROCESSES", 1),
        "RATELIMIT_HEADERS_ENABLED": False,
        "MAIL_BACKEND": text("MAIL_BACKEND", "file"),
        "MAIL_FILE_DIR": text("MAIL_FILE_DIR", str(INSTANCE_DIR / "mail")),
        "MAIL_FROM": text("MAIL_FROM", "REACT toolkit <no-reply@react.invalid>"),
        "SMTP_HOST": text("SMTP_HOST", "localhost"),
        "SMTP_PORT": number("SMTP_PORT", 587),
        "SMTP_USERNAME": text("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": text("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": flag("SMTP_STARTTLS", True),
        # Texts: "console" (development), "memory" (tests), "notify", or "none" (no texts offered).
        "SMS_BACKEND": text("SMS_BACKEND", "console"),
        # GOV.UK Notify: an API key and two templates, one email ((subject)), ((body)) and one text ((body)).
        "NOTIFY_API_KEY": text("NOTIFY_API_KEY", ""),
        "NOTIFY_BASE_URL": text("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk"),
        "NOTIFY_EMAIL_TEMPLATE_ID": text("NOTIFY_EMAIL_TEMPLATE_ID", ""),
        "NOTIFY_SMS_TEMPLATE_ID": text("NOTIFY_SMS_TEMPLATE_ID", ""),
        "NOTIFY_TIMEOUT": number("NOTIFY_TIMEOUT", 20),
        # The outbox worker: how long a claim holds, how many tries, the first wait between tries.
        "OUTBOX_LEASE_SECONDS": number("OUTBOX_LEASE_SECONDS", 300),
        "OUTBOX_MAX_ATTEMPTS": number("OUTBOX_MAX_ATTEMPTS", 8),
        "OUTBOX_RETRY_SECONDS": number("OUTBOX_RETRY_SECONDS", 60),
        "OUTBOX_BATCH": number("OUTBOX_BATCH", 50),
        "OUTBOX_POLL_SECONDS": number("OUTBOX_POLL_SECONDS", 5),
        "USAGE_RECORDING": flag("USAGE_RECORDING", True),
        # An urgent conversation waiting longer than this (in service hours) is overdue.
        "URGENT_REPLY_MINUTES": number("URGENT_REPLY_MINUTES", 60),
        # Forum: a relative's first posts wait for approval; new members post less often.
        "FORUM_FIRST_POSTS_HELD": number("FORUM_FIRST_POSTS_HELD", 2),
        "FORUM_NEW_MEMBER_DAYS": number("FORUM_NEW_MEMBER_DAYS", 7),
        "FORUM_POST_INTERVAL_SECONDS": number("FORUM_POST_INTERVAL_SECONDS", 30),
        "FORUM_DAILY_POSTS": number("FORUM_DAILY_POSTS", 40),
        "FORUM_NEW_MEMBER_INTERVAL_SECONDS": number("FORUM_NEW_MEMBER_INTERVAL_SECONDS", 120),
        "FORUM_NEW_MEMBER_DAILY_POSTS": number("FORUM_NEW_MEMBER_DAILY_POSTS", 8),
        "FORUM_EDIT_MINUTES": number("FORUM_EDIT_MINUTES", 30),
        "FORUM_PAGE_SIZE": number("FORUM_PAGE_SIZE", 20),
        # A risk item waiting longer than this many moderated minutes is overdue.
        "FORUM_RISK_QUEUE_MINUTES": number("FORUM_RISK_QUEUE_MINUTES", 60),
        "FORUM_SITE_CATEGORIES": flag("FORUM_SITE_CATEGORIES", False),
        # Unread posts below this risk score (and with no risk found) are read as a batch, not one by
        # one. Chosen on the training posts: 78% of ordinary posts fall below it and no risk post does.
        "FORUM_LOW_RISK_SCORE": decimal("FORUM_LOW_RISK_SCORE", 0.05),
        # The about and help pages: who runs this deployment, who pays for it and until when, what
        # happens to people's data if it closes, and who to ask for help. Empty means "not set".
        # Each left empty is explained on the page in words of its own, translated.
        "ABOUT_PROVIDER": text("ABOUT_PROVIDER", ""),
        "ABOUT_COMMISSIONER": text("ABOUT_COMMISSIONER", ""),
        "ABOUT_FUNDED_UNTIL": text("ABOUT_FUNDED_UNTIL", ""),
        "ABOUT_CLOSURE_PLAN": text("ABOUT_CLOSURE_PLAN", ""),
        "HELP_CONTACT_NAME": text("HELP_CONTACT_NAME", ""),
        "HELP_CONTACT_EMAIL": text("HELP_CONTACT_EMAIL", ""),
        "HELP_CONTACT_PHONE": text("HELP_CONTACT_PHONE", ""),
        "HELP_CONTACT_HOURS": text("HELP_CONTACT_HOURS", ""),
        # The colour a phone gives the toolkit's window and icon once it is installed.
        "THEME_COLOUR": text("THEME_COLOUR", "#005eb8"),
        "ARGON2_FAST": False,
        "TESTING": False,
    }


def for_tests(database_url: str, **overrides: Any) -> dict[str, Any]:
    """Settings for the test suite: in-memory mail, cheap hashing, a given database."""
    config = from_environment({})
    config.update(
        TESTING=True,
        ENV_NAME="test",
        SECRET_KEY="test-secret-key",  # noqa: S106 - the test suite only
        USAGE_PSEUDONYM_KEY="test-pseudonym-key",
        SQLALCHEMY_DATABASE_URI=database_url,
        MAIL_BACKEND="memory",
        SMS_BACKEND="memory",
        ARGON2_FAST=True,
    )
    if database_url.startswith("postgresql"):
        # A test database need not outlive a crash of its server, so a commit does not wait for
        # the disk: what a transaction sees, and when, is unchanged.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **config["SQLALCHEMY_ENGINE_OPTIONS"],
            "connect_args": {"options": "-c synchronous_commit=off"},
        }
    config.update(overrides)
    return config


REQUIRED_SECRETS = {
    "SECRET_KEY": DEV_SECRET_KEY,
    "USAGE_PSEUDONYM_KEY": DEV_PSEUDONYM_KEY,
}


def check_production(config: Mapping[str, Any]) -> None:
    """Refuse to run in production with a missing or default secret, naming it."""
    if not config.get("PRODUCTION"):
        return
    problems = []
    for name, default in REQUIRED_SECRETS.items():
        value = config.get(name)
        if not value or value == default:
            problems.append(f"{name} is missing")
        elif len(value) < 32:
            problems.append(f"{name} must be at least 32 characters long")
    if not config.get("SQLALCHEMY_DATABASE_URI"):
        problems.append("DATABASE_URL is missing")
    if config.get("STAFF_MFA", "staff") not in ("staff", "all"):
        problems.append("STAFF_MFA must be staff or all")
    if problems:
        raise ConfigError("Refusing to start in production: " + "; ".join(problems) + ".")
