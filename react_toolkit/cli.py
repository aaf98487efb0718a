"""The `flask react ...` commands."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import AppGroup

react = AppGroup("react", help="REACT toolkit commands.")


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as error:
        raise click.BadParameter("use a date like 2026-11-21") from error


@react.command("demo")
def demo_command() -> None:
    """Load demonstration data (never in production)."""
    if current_app.config["PRODUCTION"]:
        raise click.ClickException("Demo data is never loaded in production.")
    from react_toolkit.demo import load_demo

    counts = load_demo()
    click.echo("Demo data ready: " + ", ".join(f"{v} {k}" for k, v in counts.items()))


@react.command("sync-content")
@click.option("--content", "content_dir", default=None, help="Folder holding modules/ and resources.yaml.")
def sync_content_command(content_dir: str | None) -> None:
    """Load module files and national resources into the database (safe to repeat)."""
    from pathlib import Path

    from react_toolkit.config import BASE_DIR
    from react_toolkit.extensions import db
    from react_toolkit.modules.content import ContentError
    from react_toolkit.modules.services import sync_content
    from react_toolkit.risk.services import seed_lexicon

    try:
        report = sync_content(Path(content_dir) if content_dir else BASE_DIR / "content")
    except ContentError as error:
        raise click.ClickException(str(error)) from error
    from react_toolkit.forum.services import seed_categories
    from react_toolkit.organisations.hours import seed_bank_holidays

    categories = seed_categories()
    phrases = seed_lexicon()
    holidays = seed_bank_holidays()
    db.session.commit()
    click.echo(
        f"Modules: {report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.withdrawn} withdrawn, {report.translations} translations. National resources: {report.resources_added} added, "
        f"{report.resources_updated} updated. Risk phrases: {phrases} added. Bank holidays: {holidays} added. Forum categories: {categories} added."
    )


@react.command("inbox-alerts")
def inbox_alerts_command() -> None:
    """Email teams about urgent conversations waiting past the limit (run every few minutes)."""
    from react_toolkit.inbox.services import send_overdue_alerts

    click.echo(f"Overdue alerts sent for {send_overdue_alerts()} conversation(s).")


@react.command("add-forum-category")
@click.option("--name", required=True)
@click.option("--description", default="")
@click.option("--site", "site_code", default=None, help="A site's code, for a category only its members see.")
def add_forum_category_command(name: str, description: str, site_code: str | None) -> None:
    """Add a forum category: national, or for one site (shown when FORUM_SITE_CATEGORIES is on)."""
    from react_toolkit.forum.services import ForumError, add_category

    try:
        category = add_category(name, description, site_code)
    except ForumError as error:
        raise click.ClickException(error.message) from error
    click.echo(f"Added the category '{category.name}' ({category.slug}).")


@react.command("moderation-digest")
def moderation_digest_command() -> None:
    """Email moderators a summary of waiting forum items (run a few times a day)."""
    from react_toolkit.forum.services import send_digest

    click.echo(f"Digest sent to {send_digest()} moderator(s).")


@react.command("export-usage")
@click.option(
    "--kind", type=click.Choice(["usage", "progress", "outcomes"]), default="usage", show_default=True
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "parquet", "xapi"]), default="csv", show_default=True
)
@click.option(
    "--out", "out_path", required=True, help="File to write, or - for standard output (not Parquet)."
)
@click.option("--since", help="First day to include (YYYY-MM-DD, UTC).")
@click.option("--until", help="Day to stop before (YYYY-MM-DD, UTC).")
def export_usage_command(kind: str, fmt: str, out_path: str, since: str | None, until: str | None) -> None:
    """Export pseudonymised research data (relatives only with research consent), and log the export."""
    from react_toolkit.research.services import ResearchError, check_request, export

    first_day = _date(since).date() if since else None
    stop_day = _date(until).date() if until else None
    try:
        check_request(kind, fmt, first_day, stop_day)
    except ResearchError as error:
        raise click.ClickException(error.message) from error
    if out_path == "-" and fmt == "parquet":
        raise click.ClickException("Parquet needs a file: give --out FILE.")
    if out_path == "-":
        record = export(None, kind, fmt, first_day, stop_day, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        with open(out_path, "wb") as handle:
            record = export(None, kind, fmt, first_day, stop_day, handle)
    click.echo(f"Wrote {record.rows} rows.", err=True)


@react.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", "full_name", required=True)
def create_admin_command(email: str, full_name: str) -> None:
    """Create an administrator, who gets an emailed link to set a password."""
    from react_toolkit.auth import roles as R
    from react_toolkit.auth.services import ServiceError, create_staff_account

    try:
        create_staff_account(
            None, email=email, full_name=full_name, roles=[R.ADMIN], site_id=None, team_id=None
        )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    click.echo("Administrator created; a link to set the password has been emailed.")


def init_app(app: Flask) -> None:
    from react_toolkit import ops  # noqa: F401 - adds the backup and restore commands
    from react_toolkit.dashboard import commands  # noqa: F401 - adds its commands to the group

    app.cli.add_command(react)
