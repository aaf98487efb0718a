"""Dashboard commands: roll-ups, retention, simulated histories and staff reminders."""

from __future__ import annotations

import click

from react_toolkit.commands import react


@react.command("refresh-dashboard")
@click.option("--full", is_flag=True, help="Recount every month that still has raw events.")
def refresh_dashboard_command(full: bool) -> None:
    """Bring the monthly page-view totals up to date (run every 15 minutes or so)."""
    from react_toolkit.dashboard.rollup import refresh

    report = refresh(full=full)
    click.echo(f"Recounted {len(report.months)} month(s) from {report.events} events.")


@react.command("prune-events")
@click.option(
    "--older-than", "months", type=click.IntRange(min=1), required=True, help="Months of raw events to keep."
)
def prune_events_command(months: int) -> None:
    """Delete raw usage events from whole months older than this; the monthly totals are kept."""
    from react_toolkit.dashboard.rollup import prune

    report = prune(months)
    shown = ", ".join(f"{month:%B %Y}" for month in report.months) or "none"
    click.echo(f"Deleted {report.deleted} raw events. Months now kept only as totals: {shown}.")


@react.command("simulate")
@click.option(
    "--months",
    type=click.IntRange(1, 60),
    default=12,
    show_default=True,
    help="Months of history, ending now.",
)
@click.option(
    "--sites", type=click.IntRange(1, 200), default=3, show_default=True, help="Simulated trusts to add."
)
@click.option(
    "--events", type=click.IntRange(min=1), default=None, help="Add page views until about this many events."
)
@click.option("--seed", type=int, default=2026, show_default=True)
@click.option("--once", is_flag=True, help="Do nothing if a simulated trust already exists.")
def simulate_command(months: int, sites: int, events: int | None, seed: int, once: bool) -> None:
    """Add a simulated multi-site history through the app's services (never in production)."""
    from flask import current_app
    from sqlalchemy import select

    from react_toolkit.dashboard.simulate import simulate
    from react_toolkit.extensions import db
    from react_toolkit.organisations.models import Site

    if current_app.config["PRODUCTION"]:
        raise click.ClickException("A simulated history is never written in production.")
    if once and db.session.scalar(select(Site.id).where(Site.code.like("sim-%")).limit(1)):
        click.echo("A simulated history is already here; nothing added.")
        return
    report = simulate(months=months, sites=sites, events=events, seed=seed, echo=click.echo)
    click.echo(
        f"Added {report.sites} trusts, {report.teams} teams, {report.staff} staff, {report.invitations} invitations, "
        f"{report.relatives} relatives, {report.posts} forum posts, {report.messages} messages and "
        f"{report.page_views:,} page views: {report.events:,} events in all."
    )


@react.command("send-reminders")
def send_reminders_command() -> None:
    """Email staff who have not invited anyone in 30 days (at most once a month each; run daily)."""
    from react_toolkit.dashboard.feedback import send_reminders

    click.echo(f"Reminders sent: {send_reminders()}.")
