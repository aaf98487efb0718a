"""Pseudonymised exports of usage events for researchers."""

from __future__ import annotations

import csv
import hashlib
import hmac
from collections.abc import Iterator
from datetime import datetime
from typing import IO

from sqlalchemy import select

from react_toolkit.extensions import db
from react_toolkit.usage.models import UsageEvent

COLUMNS = (
    "occurred_at",
    "name",
    "route",
    "object_type",
    "object_id",
    "actor",
    "roles",
    "site_id",
    "team_id",
    "session",
    "status",
    "device",
    "schema_version",
)


def pseudonym(user_id: int | None, key: str) -> str:
    """The same user always maps to the same pseudonym under one key, and to another under another."""
    if user_id is None:
        return ""
    digest = hmac.new(key.encode(), f"user:{user_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:20]


def _rows(key: str, since: datetime | None, until: datetime | None) -> Iterator[list]:
    query = select(UsageEvent).order_by(UsageEvent.id)
    if since:
        query = query.where(UsageEvent.occurred_at >= since)
    if until:
        query = query.where(UsageEvent.occurred_at < until)
    for event in db.session.execute(query.execution_options(yield_per=2000)).scalars():
        yield [
            event.occurred_at.isoformat(),
            event.name,
            event.route or "",
            event.object_type or "",
            event.object_id or "",
            pseudonym(event.user_id, key),
            event.roles,
            event.site_id if event.site_id is not None else "",
            event.team_id if event.team_id is not None else "",
            event.session_hash or "",
            event.status if event.status is not None else "",
            event.device or "",
            event.schema_version,
        ]


def write_csv(out: IO[str], key: str, since: datetime | None = None, until: datetime | None = None) -> int:
    """Write events as CSV, streaming; returns the number of rows written."""
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in _rows(key, since, until):
        writer.writerow(row)
        count += 1
    return count
