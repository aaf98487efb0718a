"""`flask react backup` and `restore`: consistent online copies, checked restores, PostgreSQL refused."""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time

import pytest
from sqlalchemy import func, select

from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import event_row

WRITTEN = "test.backup.written"


@pytest.fixture
def sqlite_only(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("backup and restore of a file are for SQLite")


def run(app, *args: str, answer: str | None = None):
    return app.test_cli_runner().invoke(args=["react", *args], input=answer)


def rows(path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def written_in(path) -> int:
    return rows(path, f"SELECT count(*) FROM usage_events WHERE name = '{WRITTEN}'")[0][0]  # noqa: S608


def emails() -> set[str]:
    db.session.expire_all()
    return set(db.session.scalars(select(User.email)))


def test_backup_is_consistent_while_another_thread_writes(app, sqlite_only, tmp_path):
    # Enough rows that the copy takes a moment, so writes land while it runs.
    with db.engine.begin() as connection:
        connection.execute(
            UsageEvent.__table__.insert(),
            [event_row("test.backup.filler", now(), route="/filler") for _ in range(20_000)],
        )
    stop = threading.Event()
    written = [0]
    failures: list[BaseException] = []

    def write() -> None:
        try:
            with app.app_context():
                while not stop.is_set():
                    with db.engine.begin() as connection:
                        connection.execute(UsageEvent.__table__.insert().values(**event_row(WRITTEN, now())))
                    written[0] += 1
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        while written[0] < 50 and writer.is_alive():
            time.sleep(0.01)
        with db.engine.connect() as connection:
            committed_before = connection.scalar(
                select(func.count()).select_from(UsageEvent).where(UsageEvent.name == WRITTEN)
            )
        out = tmp_path / "copy.sqlite3"
        result = run(app, "backup", "--out", str(out))
        during = written[0]
        time.sleep(0.05)
    finally:
        stop.set()
        writer.join()
    assert not failures
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output
    assert written[0] > during >= committed_before >= 50

    assert rows(out, "PRAGMA integrity_check") == [("ok",)]
    assert rows(out, "PRAGMA journal_mode") == [("delete",)]
    copied = written_in(out)
    assert committed_before <= copied <= written[0]
    assert rows(out, "SELECT count(*) FROM usage_events WHERE name = 'test.backup.filler'") == [(20_000,)]
    assert not list(tmp_path.glob(".copy.sqlite3.*"))


@pytest.mark.fresh_app  # a restore needs the database to itself
def test_restore_round_trips(app, sqlite_only, create_user, tmp_path):
    kept_user = create_user()
    kept, kept_id = kept_user.email, kept_user.id
    out = tmp_path / "before.sqlite3"
    assert run(app, "backup", "--out", str(out)).exit_code == 0
    later = create_user().email
    db.session.delete(db.session.get(User, kept_id))
    db.session.commit()
    assert kept not in emails() and later in emails()

    result = run(app, "restore", str(out), "--yes")

    assert result.exit_code == 0, result.output
    assert "Restored" in result.output
    assert kept in emails() and later not in emails()
    live = db.engine.url.database
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    before_restore = rows(f"{live}.before-restore", "SELECT email FROM users")
    assert (later,) in before_restore and (kept,) not in before_restore


@pytest.mark.fresh_app  # a restore needs the database to itself
def test_restore_asks_first_and_stops_on_no(app, sqlite_only, create_user, tmp_path):
    out = tmp_path / "before.sqlite3"
    assert run(app, "backup", "--out", str(out)).exit_code == 0
    later = create_user().email

    result = run(app, "restore", str(out), answer="n\n")

    assert result.exit_code == 1
    assert "Replace the database" in result.output and "must be stopped" in result.output
    assert later in emails()


@pytest.mark.fresh_app  # a restore needs the database to itself
def test_restore_refuses_a_file_that_is_not_a_database(app, sqlite_only, create_user, tmp_path):
    user = create_user()
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("not a database at all\n" * 10)

    result = run(app, "restore", str(notes), "--yes")

    assert result.exit_code == 1
    assert "is not a SQLite database" in result.output
    assert user.email in emails()


@pytest.mark.fresh_app  # a restore needs the database to itself
def test_restore_refuses_a_database_of_another_schema(app, sqlite_only, create_user, tmp_path):
    user = create_user()
    stranger = tmp_path / "stranger.sqlite3"
    connection = sqlite3.connect(stranger)
    connection.execute("CREATE TABLE patients (id INTEGER PRIMARY KEY, name TEXT)")
    connection.commit()
    connection.close()

    result = run(app, "restore", str(stranger), "--yes")

    assert result.exit_code == 1
    assert "is not a database of this service" in result.output
    assert user.email in emails()


@pytest.mark.fresh_app  # a restore needs the database to itself
def test_restore_refuses_a_backup_from_another_version(app, sqlite_only, create_user, tmp_path):
    user = create_user()
    out = tmp_path / "current.sqlite3"
    assert run(app, "backup", "--out", str(out)).exit_code == 0
    older = tmp_path / "older.sqlite3"
    shutil.copy(out, older)
    connection = sqlite3.connect(older)
    connection.execute("UPDATE alembic_version SET version_num = '0123456789ab'")
    connection.commit()
    connection.close()

    result = run(app, "restore", str(older), "--yes")

    assert result.exit_code == 1
    assert "schema of another version" in result.output and "0123456789ab" in result.output
    assert user.email in emails()


@pytest.mark.fresh_app  # a restore needs the database to itself
def test_restore_refuses_while_the_database_is_in_use(app, sqlite_only, create_user, tmp_path):
    out = tmp_path / "before.sqlite3"
    assert run(app, "backup", "--out", str(out)).exit_code == 0
    later = create_user().email
    other_process = sqlite3.connect(db.engine.url.database)
    other_process.execute("SELECT count(*) FROM users").fetchall()
    try:
        result = run(app, "restore", str(out), "--yes")
    finally:
        other_process.close()

    assert result.exit_code == 1
    assert "The database is in use" in result.output
    assert later in emails()


def test_backup_refuses_to_overwrite_the_live_database(app, sqlite_only):
    result = run(app, "backup", "--out", db.engine.url.database)
    assert result.exit_code == 1
    assert "cannot be written over the live database" in result.output


def test_both_commands_point_to_pg_tools_on_postgresql(app, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("runs when the tests run on PostgreSQL")
    backup = run(app, "backup", "--out", str(tmp_path / "copy"))
    restore = run(app, "restore", str(tmp_path / "copy"), "--yes")
    for result in (backup, restore):
        assert result.exit_code == 1
        assert "pg_dump" in result.output and "pg_restore" in result.output and "README" in result.output
    assert not (tmp_path / "copy").exists()
