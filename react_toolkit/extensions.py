"""Bare extension instances, bound to the app in create_app()."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import DateTime, MetaData, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, registry

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every database, SQLite included."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use react_toolkit.timeutil.now()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session holds.

    For a page that saves one small change of its own (a reading marker) and then renders what
    it has already loaded: nobody else's change is at stake, and reading it all again would
    double the page's queries.
    """
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


# Tables a feature keeps with the database's own tools (a full-text index and its triggers), which
# the models do not describe: migrations' autogenerate and the model-and-migration check skip them.
_MANAGED_ELSEWHERE: set[str] = set()


def managed_elsewhere(name: str) -> None:
    """Say that the table `name` (and any table whose name starts with it and "_") is not a model's."""
    _MANAGED_ELSEWHERE.add(name)


def described_by_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's include_name: False for the tables features keep outside the models."""
    if type_ != "table" or name is None:
        return True
    return not any(name == kept or name.startswith(kept + "_") for kept in _MANAGED_ELSEWHERE)
