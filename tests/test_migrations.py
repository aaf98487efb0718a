"""The migrations build exactly the schema the models describe, on each database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from react_toolkit.extensions import db, described_by_models


def test_models_match_migrations(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": described_by_models}
        )
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_sqlite_runs_in_wal_mode(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
