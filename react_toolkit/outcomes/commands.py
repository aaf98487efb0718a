"""`flask react measures-reminders`: remind relatives whose 12- or 24-week questionnaires are due."""

from __future__ import annotations

import click

from react_toolkit.commands import react


@react.command("measures-reminders")
def measures_reminders_command() -> None:
    """Send each relative one reminder per time point while its window is open (safe to repeat)."""
    from react_toolkit.outcomes.reminders import send_due_reminders

    click.echo(f"Questionnaire reminders sent: {send_due_reminders()}")
