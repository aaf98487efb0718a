"""The `flask react ...` commands that belong to no one feature: demo data and shipped content.

Each feature adds its own commands to the group in `react_toolkit.commands`.
"""

from __future__ import annotations

import click
from flask import Flask, current_app

from react_toolkit.commands import react


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
    from react_toolkit.core.content import ContentError
    from react_toolkit.extensions import db
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


def init_app(app: Flask) -> None:
    """Offer the commands that span the whole toolkit: demo data, content, backup and restore."""
    from react_toolkit import commands, ops  # noqa: F401 - ops adds the backup and restore commands

    commands.init_app(app)
