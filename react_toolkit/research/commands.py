"""Research commands: pseudonymised exports from the command line, logged like the page's."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

import click

from react_toolkit.commands import react


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as error:
        raise click.BadParameter("use a date like 2026-11-21") from error


@react.command("export-usage")
@click.option(
    "--kind",
    type=click.Choice(["usage", "progress", "outcomes", "measures"]),
    default="usage",
    show_default=True,
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
