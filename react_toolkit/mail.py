"""Outgoing mail behind one small interface: file (default), console, memory (tests) or SMTP.

Messages are short notices. Callers never put text that another person wrote into
a message, only links back to the service.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol

from flask import Flask, Response, after_this_request, current_app, has_request_context

from react_toolkit.timeutil import now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str

    def as_email(self, sender: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.to
        message["Subject"] = self.subject
        message["Message-ID"] = make_msgid(domain="react.invalid")
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
    kind = app.config["MAIL_BACKEND"]
    backends = {
        "memory": lambda: MemoryBackend(),
        "file": lambda: FileBackend(app.config["MAIL_FILE_DIR"], app.config["MAIL_FROM"]),
        "console": lambda: ConsoleBackend(app.config["MAIL_FROM"]),
        "smtp": lambda: SMTPBackend(app.config),
    }
    if kind not in backends:
        raise ValueError(f"MAIL_BACKEND must be one of {', '.join(backends)}, not {kind!r}")
    app.extensions["mail"] = backends[kind]()


def send(to: str, subject: str, body: str) -> None:
    """Send one plain-text message through the configured backend."""
    current_app.extensions["mail"].send(Mail(to=to, subject=subject, body=body))


def send_after_response(to: str, subject: str, body: str) -> None:
    """Send one message once the response has gone to the browser.

    The person waits as long whether a message goes or not, so the wait cannot tell anyone
    whether an account exists, and a slow or failing mail server does not show in it. Outside
    a request (a command) the message goes at once; so it does to the memory backend, whose
    outbox the tests read as soon as a request returns.
    """
    backend = current_app.extensions["mail"]
    message = Mail(to=to, subject=subject, body=body)
    if not has_request_context() or isinstance(backend, MemoryBackend):
        backend.send(message)
        return

    @after_this_request
    def send_when_closed(response: Response) -> Response:
        response.call_on_close(lambda: _send_quietly(backend, message))
        return response


def _send_quietly(backend: MailBackend, message: Mail) -> None:
    try:
        backend.send(message)
    except Exception as exc:  # noqa: BLE001 - the response has gone: there is no one to show an error to
        log.error("mail not sent after the response: %s", type(exc).__name__)


def outbox() -> list[Mail]:
    """The memory backend's messages (tests only)."""
    return current_app.extensions["mail"].outbox
