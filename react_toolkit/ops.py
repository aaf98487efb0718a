"""Backup and restore of a SQLite database, and the `flask react backup` / `restore` commands.

A backup is taken with SQLite's online backup API, so it is a consistent copy
even while the app is writing. A restore checks that the file is a sound
database with this version's schema, copies it next to the live database and
renames it into place, so the live file is never half-written. PostgreSQL is
backed up with its own tools (`pg_dump`, `pg_restore`); both commands say so.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from react_toolkit.commands import react
from react_toolkit.config import BASE_DIR

SQLITE_HEADER = b"SQLite format 3\x00"
POSTGRES_ADVICE = (
    "This database is PostgreSQL: back it up with pg_dump and restore it with pg_restore, "
    "as the 'Backups' section of README.md and docs/deployment.md describe."
)


class OpsError(Exception):
    """A backup or restore that cannot go ahead, with the reason in plain words."""


@dataclass
class BackupReport:
    path: Path
    size: int
    revision: str


def database_file() -> Path:
    """The live SQLite file, or OpsError if the database is not a SQLite file."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        raise OpsError(POSTGRES_ADVICE)
    if not url.database or url.database == ":memory:":
        raise OpsError("This SQLite database lives in memory, so there is no file to back up or replace.")
    return Path(url.database).resolve()


def head_revisions() -> set[str]:
    """The Alembic revision(s) this version of the app expects."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(BASE_DIR / "migrations"))
    return set(ScriptDirectory.from_config(config).get_heads())


def _fsync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _temporary_beside(target: Path, purpose: str) -> Path:
    return target.with_name(f".{target.name}.{purpose}-{os.getpid()}")


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """Copy a whole database with the backup API into a single self-contained file."""
    destination = sqlite3.connect(target)
    try:
        # One step: the copy is taken inside one read transaction, a snapshot of committed data.
        source.backup(destination)
        destination.execute("PRAGMA journal_mode=DELETE")
        problems = destination.execute("PRAGMA integrity_check").fetchall()
        if problems != [("ok",)]:
            raise OpsError(f"The copy failed its integrity check: {problems[0][0]}.")
    finally:
        destination.close()
    _fsync_file(target)


def _revision(connection: sqlite3.Connection) -> str:
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.DatabaseError:
        return ""
    return ",".join(sorted(row[0] for row in rows))


def backup(out: Path) -> BackupReport:
    """Write a consistent copy of the live SQLite database to `out` (replacing it only once complete)."""
    live = database_file()
    out = out.resolve()
    if out == live:
        raise OpsError("The backup cannot be written over the live database; choose another file.")
    if not live.exists():
        raise OpsError(f"There is no database at {live} to back up.")
    if not out.parent.is_dir():
        raise OpsError(f"The folder {out.parent} does not exist.")
    temporary = _temporary_beside(out, "partial")
    source = sqlite3.connect(live, timeout=30)
    try:
        _copy(source, temporary)
        os.replace(temporary, out)
    finally:
        source.close()
        _remove(temporary)
    _fsync_directory(out.parent)
    copy = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    try:
        revision = _revision(copy)
    finally:
        copy.close()
    return BackupReport(out, out.stat().st_size, revision)


def check_backup(path: Path) -> str:
    """Refuse a file that is not a sound SQLite database with this app's schema at the current head."""
    from react_toolkit.extensions import db

    if not path.is_file():
        raise OpsError(f"There is no file at {path}.")
    with open(path, "rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise OpsError(f"{path} is not a SQLite database, so it was not restored.")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        try:
            problems = connection.execute("PRAGMA integrity_check").fetchall()
        except sqlite3.DatabaseError as error:
            raise OpsError(f"{path} cannot be read as a SQLite database ({error}).") from error
        if problems != [("ok",)]:
            raise OpsError(f"{path} is damaged (integrity check: {problems[0][0]}), so it was not restored.")
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        revision = _revision(connection)
    finally:
        connection.close()
    missing = sorted(set(db.metadata.tables) - tables)
    if "alembic_version" not in tables or missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise OpsError(
            f"{path} is not a database of this service (missing tables: {shown or 'alembic_version'})."
        )
    expected = ",".join(sorted(head_revisions()))
    if revision != expected:
        raise OpsError(
            f"{path} has the schema of another version of the service (revision {revision or 'none'}; "
            f"this version needs {expected}). Restore it with the version that made it, "
            "then upgrade with `flask db upgrade`."
        )
    return revision


def _take_over(live: Path) -> sqlite3.Connection:
    """Leave WAL mode on the live file, which only works when nothing else has it open."""
    connection = sqlite3.connect(live, timeout=2, isolation_level=None)
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if mode != "delete":
            raise sqlite3.OperationalError("database is locked")
    except sqlite3.OperationalError as error:
        connection.close()
        raise OpsError(
            "The database is in use. Stop the app (every gunicorn worker) and any scheduled "
            "`flask react` job, then try again."
        ) from error
    return connection


def restore(path: Path) -> Path | None:
    """Replace the live SQLite database with a checked backup; returns where the old one was kept."""
    live = database_file()
    path = path.resolve()
    if path == live:
        raise OpsError("That file is the live database itself.")
    check_backup(path)
    from react_toolkit.extensions import db

    # This process's own pooled connections would count as the database being in use.
    db.session.remove()
    db.engine.dispose()
    temporary = _temporary_beside(live, "restoring")
    kept = None
    lock = None
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            _copy(source, temporary)
        finally:
            source.close()
        if live.exists():
            lock = _take_over(live)
            kept = live.with_name(f"{live.name}.before-restore")
            _copy(lock, _temporary_beside(kept, "partial"))
            os.replace(_temporary_beside(kept, "partial"), kept)
            # Locked until the new file is in place; still out of WAL mode means nobody opened it meanwhile.
            lock.execute("BEGIN EXCLUSIVE")
            if lock.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
                raise OpsError("The database was opened by something else during the restore; stop the app.")
        os.replace(temporary, live)
        for stale in (Path(f"{live}-wal"), Path(f"{live}-shm"), Path(f"{live}-journal")):
            stale.unlink(missing_ok=True)
        _fsync_directory(live.parent)
    finally:
        if lock is not None:
            lock.close()
        _remove(temporary)
        if kept is not None:
            _remove(_temporary_beside(kept, "partial"))
    return kept


@react.command("backup")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False), help="File to write.")
def backup_command(out_path: str) -> None:
    """Copy the SQLite database to FILE while the app keeps running (PostgreSQL: use pg_dump)."""
    try:
        report = backup(Path(out_path))
    except OpsError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {report.path} ({report.size:,} bytes, schema revision {report.revision}).")


@react.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(backup_file: str, yes: bool) -> None:
    """Replace the SQLite database with BACKUP_FILE; stop the app first (PostgreSQL: use pg_restore)."""
    try:
        live = database_file()
        revision = check_backup(Path(backup_file))
    except OpsError as error:
        raise click.ClickException(str(error)) from error
    if not yes:
        click.confirm(
            f"Replace the database at {live} with {backup_file} (schema revision {revision})? "
            "Everything written since that backup will be lost. The app must be stopped",
            abort=True,
        )
    try:
        kept = restore(Path(backup_file))
    except OpsError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {backup_file}. Start the app again.")
    if kept is not None:
        click.echo(f"The database as it was just before is kept at {kept}; delete it once you are sure.")
