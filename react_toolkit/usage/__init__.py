"""Implementation-usage events: one row per page view or domain action, never any text.

init_app() wires the page-view hook, the signal listeners and the erasure of a person's links.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from react_toolkit.usage import listeners, personal_data, recorder

    recorder.init_app(app)
    listeners.connect()
    personal_data.init_app(app)
