"""Account commands: the first administrator."""

from __future__ import annotations

import click

from react_toolkit.commands import react


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
