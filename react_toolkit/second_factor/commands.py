"""Second-factor commands: a reset for when no administrator can sign in to make one."""

from __future__ import annotations

import click

from react_toolkit.commands import react


@react.command("reset-second-factor")
@click.option("--email", required=True)
@click.option("--reason", required=True, help="Why, for the audit log. Do not include their name.")
def reset_second_factor_command(email: str, reason: str) -> None:
    """Take away someone's second factor; they set it up again when they next sign in."""
    from sqlalchemy import select

    from react_toolkit.auth.models import User
    from react_toolkit.auth.services import normalise_email
    from react_toolkit.core.refusal import Refusal
    from react_toolkit.extensions import db
    from react_toolkit.second_factor.services import reset

    person = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if person is None or person.erased_at is not None:
        raise click.ClickException("There is no account with this email address.")
    try:
        reset(None, person, reason)
    except Refusal as error:
        raise click.ClickException(error.message) from error
    click.echo("Second factor reset; they have been signed out and emailed.")
