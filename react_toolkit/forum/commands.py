"""Forum commands: adding categories and the moderators' digest."""

from __future__ import annotations

import click

from react_toolkit.commands import react


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
