"""The `flask react ...` command group, which each feature adds its own commands to.

It imports nothing of the toolkit, so a feature's commands module can import it
without pulling in any other feature.
"""

from __future__ import annotations

from flask import Flask
from flask.cli import AppGroup

react = AppGroup("react", help="REACT toolkit commands.")


def init_app(app: Flask) -> None:
    """Offer the group (with every command added so far) on this app's `flask` command."""
    app.cli.add_command(react)
