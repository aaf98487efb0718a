"""`flask react deliver`: the outbox worker, as a long-running loop or once (for cron)."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app

from react_toolkit.commands import react


@react.command("deliver")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop (for cron).")
def deliver_command(once: bool) -> None:
    """Deliver the outbox's notices; safe to run on several hosts at once."""
    from react_toolkit.notifications import worker

    if once:
        tally = worker.deliver_due()
        click.echo(f"Notices sent: {tally.sent}. To try again: {tally.retried}. Failed: {tally.failed}.")
        return
    stop = threading.Event()
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_args: stop.set())
    worker.run(stop, current_app.config["OUTBOX_POLL_SECONDS"])


@react.command("notification-reminders")
def reminders_command() -> None:
    """Send invitation reminders and return nudges that are due, and drop numbers no longer needed
    (safe to repeat, or to run on several hosts)."""
    from react_toolkit.notifications import reminders

    invitations = reminders.send_invitation_reminders()
    nudges = reminders.send_nudges()
    reminders.forget_finished_mobiles()
    click.echo(f"Invitation reminders: {invitations}. Nudges: {nudges}.")
