"""Worlds that take many page visits to build, built once per worker and database, then copied in.

A test that asks for such a world gets the same rows as if it had built it: the first test to
ask builds it through the pages and services and keeps a copy of every row; each later test
starts from empty tables, as every test does, and has the rows put back, its clock set to the
moment the building ended, and the mail the building sent back in the outbox. What the world's
builder returned is rebuilt too: rows are loaded again by their keys, and test clients are made
again with the same cookies, so a person who was signed in still is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, text

from react_toolkit.extensions import db
from react_toolkit.timeutil import now, set_clock

Rows = dict[str, list[dict[str, Any]]]


@dataclass
class _Kept:
    rows: Rows
    ended_at: datetime
    mail: list = field(default_factory=list)
    parts: dict[str, tuple] = field(default_factory=dict)


_kept: dict[Hashable, _Kept] = {}


def _all_rows() -> Rows:
    with db.engine.connect() as connection:
        return {
            table.name: [dict(row._mapping) for row in connection.execute(table.select())]
            for table in db.metadata.sorted_tables
        }


def _is_empty() -> bool:
    return not any(_all_rows().values())


def _put_back(rows: Rows) -> None:
    """Empty every table, then insert the kept rows with the foreign-key checks off, as kept."""
    from tests.conftest import _empty_tables

    _empty_tables()
    tables = [table for table in db.metadata.sorted_tables if rows.get(table.name)]
    with db.engine.begin() as connection:
        postgres = connection.dialect.name == "postgresql"
        connection.execute(
            text("SET LOCAL session_replication_role = replica" if postgres else "PRAGMA foreign_keys=OFF")
        )
        for table in tables:
            connection.execute(table.insert(), rows[table.name])
        if postgres:
            # Each id sequence carries on after the ids put back, as it would have after the build.
            owned = connection.execute(
                text(
                    "SELECT s.relname, t.relname, a.attname FROM pg_class s "
                    "JOIN pg_depend d ON d.objid = s.oid AND d.deptype = 'a' "
                    "JOIN pg_class t ON t.oid = d.refobjid "
                    "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
                    "WHERE s.relkind = 'S'"
                )
            ).all()
            for sequence, table_name, column in owned:
                connection.execute(
                    text(
                        f"SELECT setval('{sequence}', "  # noqa: S608 - names come from the catalogue
                        f"COALESCE((SELECT max({column}) FROM {table_name}), 0) + 1, false)"
                    )
                )
        else:
            connection.execute(text("PRAGMA foreign_keys=ON"))


def _describe(value: Any) -> tuple:
    if isinstance(value, FlaskClient):
        cookies = [(c.key, c.value, c.domain, c.path) for c in value._cookies.values()]
        return ("client", cookies)
    if isinstance(value, db.Model):
        return ("row", type(value), inspect(value).identity)
    return ("value", value)


def _rebuild(app: Flask, description: tuple) -> Any:
    kind = description[0]
    if kind == "client":
        client = app.test_client()
        for key, value, domain, path in description[1]:
            client.set_cookie(key, value, domain=domain, path=path)
        return client
    if kind == "row":
        _, model, identity = description
        return db.session.get(model, identity)
    return description[1]


def once(app: Flask, key: Hashable, build: Callable[[], SimpleNamespace]) -> SimpleNamespace:
    """The world `build` makes, built by the first test that asks for `key`, copied in for the rest.

    A world is only kept when its building started from empty tables, so that a copy holds
    nothing but the world itself.
    """
    kept = _kept.get(key)
    outbox = app.extensions["mail"].outbox
    if kept is None:
        keep = _is_empty()
        mail_before = len(outbox)
        world = build()
        if keep:
            db.session.commit()
            _kept[key] = _Kept(
                rows=_all_rows(),
                ended_at=now(),
                mail=list(outbox[mail_before:]),
                parts={name: _describe(value) for name, value in vars(world).items()},
            )
        return world
    db.session.commit()
    _put_back(kept.rows)
    db.session.expire_all()  # rows a smaller world already loaded are read again from the copy
    set_clock(kept.ended_at, ticking=True)
    outbox.extend(kept.mail)
    return SimpleNamespace(**{name: _rebuild(app, part) for name, part in kept.parts.items()})
