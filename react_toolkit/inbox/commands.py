"""Inbox commands: alerts for urgent conversations left waiting."""

from __future__ import annotations

import click

from react_toolkit.commands import react


@react.command("inbox-alerts")
def inbox_alerts_command() -> None:
    """Email teams about urgent conversations waiting past the limit (run every few minutes)."""
    from react_toolkit.inbox.services import send_overdue_alerts

    click.echo(f"Overdue alerts sent for {send_overdue_alerts()} conversation(s).")
