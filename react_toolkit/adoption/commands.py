"""`flask react staff-modules`: check the staff learning modules load, and list them."""

from __future__ import annotations

from pathlib import Path

import click

from react_toolkit.commands import react


@react.command("staff-modules")
@click.option("--directory", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None)
def staff_modules_command(directory: Path | None) -> None:
    """Read every staff module (from DIRECTORY, or the shipped folder) and list each one, or say what is wrong."""
    from react_toolkit.adoption import STAFF_MODULES_DIR
    from react_toolkit.core.content import ContentError
    from react_toolkit.modules.content import parse_directory

    try:
        modules = parse_directory(directory or STAFF_MODULES_DIR)
    except ContentError as error:
        raise click.ClickException(str(error)) from error
    for module in sorted(modules, key=lambda module: module.order):
        click.echo(
            f"{module.order:>2}  {module.slug}  ({module.estimated_minutes} min, {len(module.sections)} sections)"
        )
    click.echo(f"Staff modules: {len(modules)}")
