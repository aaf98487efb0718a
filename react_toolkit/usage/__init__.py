"""Implementation-usage events: one row per page view or domain action, never any text.

init_app() wires the page-view hook and the signal listeners.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from react_toolkit.usage import listeners, recorder

    recorder.init_app(app)
    listeners.connect()
