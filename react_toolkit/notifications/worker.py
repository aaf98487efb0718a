"""The outbox worker: claims due notices, hands each to its backend, and records what happened.

Several workers may run at once, on one host or many. A worker claims a batch by writing its
name and a lease on the rows (on PostgreSQL the rows are picked with FOR UPDATE SKIP LOCKED; on
SQLite the claiming UPDATE re-checks that each row is still free, and SQLite runs one writer at a
time), commits, and only then sends. Each notice is marked sent in its own transaction straight
after its backend takes it, so a worker that dies mid-batch leaves the rest claimed until the lease
ends, when another takes them; none that was marked sent goes twice. A failure is tried again after
a wait that doubles each time, and after the last try the notice is marked failed for an
administrator to see.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from react_toolkit.extensions import db
from react_toolkit.mail import Mail
from react_toolkit.notifications import kinds as K
from react_toolkit.notifications.backends import PermanentError, Text
from react_toolkit.notifications.models import FAILED, PENDING, SENT, Notice
from react_toolkit.timeutil import now

log = logging.getLogger(__name__)


def worker_name() -> str:
    """A name for this worker that no other running worker shares."""
    return f"{socket.gethostname()[:30]}-{os.getpid()}-{secrets.token_hex(4)}"


@dataclass
class Tally:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expanded: int = 0
    ids: list[int] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.expanded += other.expanded
        self.ids.extend(other.ids)


def _claimable(moment):
    return (
        Notice.status == PENDING,
        Notice.due_at <= moment,
        or_(Notice.lease_until.is_(None), Notice.lease_until < moment),
    )


def claim(name: str, limit: int) -> list[int]:
    """Claim up to `limit` due notices for the worker `name`; returns their ids, oldest first."""
    config = current_app.config
    moment = now()
    pick = select(Notice.id).where(*_claimable(moment)).order_by(Notice.id).limit(limit)
    if db.engine.dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(pick))
    if not ids:
        db.session.commit()
        return []
    db.session.execute(
        update(Notice)
        .where(Notice.id.in_(ids), *_claimable(moment))
        .values(
            claimed_by=name,
            lease_until=moment + timedelta(seconds=config["OUTBOX_LEASE_SECONDS"]),
            attempts=Notice.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(Notice.id)
            .where(Notice.id.in_(ids), Notice.claimed_by == name, Notice.status == PENDING)
            .order_by(Notice.id)
        )
    )


def _backoff(attempts: int) -> timedelta:
    first = current_app.config["OUTBOX_RETRY_SECONDS"]
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), 6 * 3600))


def _hand_over(notice: Notice) -> None:
    reference = str(notice.id)
    if notice.channel == K.SMS:
        current_app.extensions["sms"].send(Text(to=notice.recipient, body=notice.body, reference=reference))
    elif notice.channel == K.EMAIL:
        current_app.extensions["mail"].send(
            Mail(to=notice.recipient, subject=notice.subject, body=notice.body, reference=reference)
        )
    else:
        expand = current_app.extensions.get("notification_fanouts", {}).get(notice.kind)
        if expand is None:
            raise PermanentError(f"no fan-out for {notice.kind}")
        expand(dict(notice.payload or {}))


def deliver(notice_id: int, name: str) -> Tally:
    """Send one claimed notice and record the outcome in its own transaction."""
    tally = Tally()
    notice = db.session.get(Notice, notice_id, populate_existing=True)
    if notice is None or notice.claimed_by != name or notice.status != PENDING:
        db.session.commit()
        return tally
    try:
        _hand_over(notice)
    except Exception as error:  # noqa: BLE001 - any failure is recorded on the row and tried again
        db.session.rollback()
        notice = db.session.get(Notice, notice_id, populate_existing=True)
        if notice is None or notice.claimed_by != name:
            db.session.rollback()
            return tally
        # The class and message of our own errors (statuses), never an address: see backends.
        notice.last_error = (
            f"{type(error).__name__}: {error}"[:120]
            if isinstance(error, PermanentError | RuntimeError)
            else type(error).__name__
        )
        notice.claimed_by = None
        notice.lease_until = None
        if isinstance(error, PermanentError) or notice.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            notice.status = FAILED
            tally.failed += 1
        else:
            notice.due_at = now() + _backoff(notice.attempts)
            tally.retried += 1
        db.session.commit()
        log.warning("notice %s not delivered (%s)", notice_id, type(error).__name__)
        return tally
    if notice.channel == K.FANOUT:
        tally.expanded += 1
    else:
        tally.sent += 1
        tally.ids.append(notice_id)
    notice.status = SENT
    notice.sent_at = now()
    notice.lease_until = None
    # Once sent, the words are not kept: they may hold a one-time link (a password reset, an
    # unsubscribe). The row keeps its kind, channel, address and times.
    notice.subject = ""
    notice.body = ""
    db.session.commit()
    return tally


def deliver_due(name: str | None = None, stop: threading.Event | None = None) -> Tally:
    """Deliver every notice due now, batch by batch, until none is left (the `--once` mode)."""
    name = name or worker_name()
    tally = Tally()
    batch = current_app.config["OUTBOX_BATCH"]
    while stop is None or not stop.is_set():
        ids = claim(name, batch)
        if not ids:
            break
        for notice_id in ids:
            tally.add(deliver(notice_id, name))
    return tally


def run(stop: threading.Event, poll_seconds: float) -> None:
    """Deliver in a loop until `stop` is set, waiting `poll_seconds` whenever the outbox is empty."""
    name = worker_name()
    log.info("outbox worker %s started", name)
    while not stop.is_set():
        try:
            deliver_due(name, stop)
            db.session.remove()
        except Exception as error:  # noqa: BLE001 - a database blip must not end the worker
            log.error("outbox worker round failed: %s", type(error).__name__)
            db.session.remove()
        stop.wait(poll_seconds)
    log.info("outbox worker %s stopped", name)
