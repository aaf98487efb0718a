"""Email delivery backends, used only by the notifications worker: file (default), console,
memory (tests), SMTP or GOV.UK Notify.

Nothing in a web request sends mail: features write notices to the outbox
(`react_toolkit.notifications.services.enqueue`) and the worker hands them to a backend here.
Messages are short notices, never text that another person wrote, only links back to the service.
"""

from __future__ import annotations

import secrets
import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

from react_toolkit.timeutil import now


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    reference: str = ""  # the outbox row's id: the same on every try, so a receiver can spot a repeat

    def as_email(self, sender: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.to
        message["Subject"] = self.subject
        message["Message-ID"] = (
            f"<notice-{self.reference}@react.invalid>"
            if self.reference
            else make_msgid(domain="react.invalid")
        )
        message.set_content(self.body)
        return message


class MailBackend(Protocol):
    def send(self, mail: Mail) -> None: ...


class MemoryBackend:
    """Keeps messages in a list; the tests read it as the outbox."""

    def __init__(self) -> None:
        self.outbox: list[Mail] = []

    def send(self, mail: Mail) -> None:
        self.outbox.append(mail)


class FileBackend:
    """Writes each message as an .eml file, for development."""

    def __init__(self, directory: str, sender: str) -> None:
        self.directory = Path(directory)
        self.sender = sender

    def send(self, mail: Mail) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = now().strftime("%Y%m%dT%H%M%S%f")
        # The random part keeps two messages written in the same microsecond (or by two hosts) apart.
        path = self.directory / f"{stamp}-{secrets.token_hex(4)}.eml"
        path.write_bytes(bytes(mail.as_email(self.sender)))


class ConsoleBackend:
    """Prints each message to standard output."""

    def __init__(self, sender: str) -> None:
        self.sender = sender

    def send(self, mail: Mail) -> None:
        sys.stdout.write(mail.as_email(self.sender).as_string() + "\n")
        sys.stdout.flush()


class SMTPBackend:
    def __init__(self, config: dict) -> None:
        self.config = config

    def send(self, mail: Mail) -> None:
        c = self.config
        with smtplib.SMTP(c["SMTP_HOST"], c["SMTP_PORT"], timeout=20) as smtp:
            if c["SMTP_STARTTLS"]:
                smtp.starttls()
            if c["SMTP_USERNAME"]:
                smtp.login(c["SMTP_USERNAME"], c["SMTP_PASSWORD"])
            smtp.send_message(mail.as_email(c["MAIL_FROM"]))


def init_app(app: Flask) -> None:
    from react_toolkit.notifications.backends import NotifyBackend

    kind = app.config["MAIL_BACKEND"]
    backends = {
        "memory": lambda: MemoryBackend(),
        "file": lambda: FileBackend(app.config["MAIL_FILE_DIR"], app.config["MAIL_FROM"]),
        "console": lambda: ConsoleBackend(app.config["MAIL_FROM"]),
        "smtp": lambda: SMTPBackend(app.config),
        "notify": lambda: NotifyBackend(app.config),
    }
    if kind not in backends:
        raise ValueError(f"MAIL_BACKEND must be one of {', '.join(backends)}, not {kind!r}")
    app.extensions["mail"] = backends[kind]()


def outbox() -> list[Mail]:
    """The memory backend's messages (tests only)."""
    return current_app.extensions["mail"].outbox
