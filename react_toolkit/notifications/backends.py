"""How the worker hands a notice over: email backends live in react_toolkit.mail; texts here; and
GOV.UK Notify for both, through its official client.

A backend raises `PermanentError` for a notice that will never go (a bad address, a refused
request): the worker marks it failed at once. Any other error is tried again later.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask

from react_toolkit.mail import Mail


class PermanentError(Exception):
    """The delivery service refused this notice; sending it again would fail the same way."""


@dataclass(frozen=True)
class Text:
    to: str
    body: str
    reference: str = ""


class SmsBackend(Protocol):
    def send(self, text: Text) -> None: ...


class MemorySms:
    """Keeps texts in a list, for the tests."""

    def __init__(self) -> None:
        self.outbox: list[Text] = []

    def send(self, text: Text) -> None:
        self.outbox.append(text)


class ConsoleSms:
    """Prints each text (development); the number is shown only as its last three digits."""

    def send(self, text: Text) -> None:
        sys.stdout.write(f"SMS to ...{text.to[-3:]}: {text.body}\n")
        sys.stdout.flush()


class NoSms:
    """Texts are not set up: each one fails, and an administrator sees it in the failed list."""

    def send(self, text: Text) -> None:
        raise PermanentError("SMS_BACKEND is not set")


class NotifyBackend:
    """GOV.UK Notify: one email template with ((subject)) and ((body)), one text template with ((body))."""

    def __init__(self, config: dict[str, Any]) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            config["NOTIFY_API_KEY"], base_url=config["NOTIFY_BASE_URL"], timeout=config["NOTIFY_TIMEOUT"]
        )
        self.email_template = config["NOTIFY_EMAIL_TEMPLATE_ID"]
        self.sms_template = config["NOTIFY_SMS_TEMPLATE_ID"]

    def _call(self, send: Any, *args: Any, **kwargs: Any) -> None:
        from notifications_python_client.errors import APIError

        try:
            send(*args, **kwargs)
        except APIError as error:
            status = getattr(error, "status_code", 0) or 0
            # 429 (too many requests) and 5xx are worth another try; other 4xx never change.
            if 400 <= status < 500 and status != 429:
                raise PermanentError(f"Notify answered {status}") from None
            raise RuntimeError(f"Notify answered {status}") from None

    def send(self, message: Mail | Text) -> None:
        if isinstance(message, Text):
            self._call(
                self.client.send_sms_notification,
                message.to,
                self.sms_template,
                personalisation={"body": message.body},
                reference=message.reference or None,
            )
        else:
            self._call(
                self.client.send_email_notification,
                message.to,
                self.email_template,
                personalisation={"subject": message.subject, "body": message.body},
                reference=message.reference or None,
            )


def init_app(app: Flask) -> None:
    kind = app.config["SMS_BACKEND"]
    backends = {
        "memory": MemorySms,
        "console": ConsoleSms,
        "none": NoSms,
        "notify": lambda: NotifyBackend(app.config),
    }
    if kind not in backends:
        raise ValueError(f"SMS_BACKEND must be one of {', '.join(backends)}, not {kind!r}")
    app.extensions["sms"] = backends[kind]()
