"""Turns domain signals into usage event rows, added to the action's own transaction."""

from __future__ import annotations

import logging
from typing import Any

from blinker import NamedSignal

from react_toolkit import signals
from react_toolkit.extensions import db
from react_toolkit.usage.recorder import build_event

log = logging.getLogger(__name__)


def _listener(signal: NamedSignal):
    def record(sender: Any, **fields: Any) -> None:
        try:
            db.session.add(build_event(signal.name, sender, **fields))
        except Exception as exc:  # noqa: BLE001 - recording must never fail the action
            log.warning("usage event %s not recorded: %s", signal.name, type(exc).__name__)

    return record


_connected: list = []


def connect() -> None:
    """Listen to every domain signal once, however many apps are created."""
    if _connected:
        return
    for value in vars(signals).values():
        if isinstance(value, NamedSignal):
            receiver = _listener(value)
            value.connect(receiver, weak=False)
            _connected.append(receiver)
