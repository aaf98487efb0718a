"""Pseudonymised research exports: usage events, module progress and wellbeing check-ins.

Who is in an export:

- relatives only when they agreed to research use (their current choice, so
  withdrawing consent takes all their rows out of later exports);
- staff always, since usage by staff is what the implementation study measures;
- no erased account, and no account that no longer exists;
- usage events done by nobody (no user and no role: public pages before
  signing in, commands run on the server) are kept with an empty actor. xAPI
  needs an actor, so they are left out of that format. Events with a role but
  no user are an erased person's, and are left out.

Every id of a person is a keyed HMAC pseudonym (`USAGE_PSEUDONYM_KEY`); session
hashes are keyed again the same way. A person appears only as the one who acted:
an event whose object is a person carries no object id, not even in rows written
before the recorder stopped keeping one, since a pseudonym there would name
someone who may not have agreed. Nothing here reads emails, names, forum
names, text anyone typed or addresses: the tables queried hold none of them
except `users`, which is read only for ids, consent and erasure.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import islice
from typing import IO, Any

from sqlalchemy import Select, and_, exists, or_, select

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import User, UserRole
from react_toolkit.extensions import db
from react_toolkit.modules.models import Module, ModuleCompletion, Section, SectionProgress
from react_toolkit.outcomes.items import ITEM_KEYS
from react_toolkit.outcomes.models import CheckIn, MeasureAnswer
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import PERSON_OBJECTS

BATCH_ROWS = 5000
DEFAULT_HOME_PAGE = "https://react.invalid"

KINDS = ("usage", "progress", "outcomes", "measures")
FORMATS: dict[str, tuple[str, ...]] = {
    "usage": ("csv", "parquet", "xapi"),
    "progress": ("csv", "parquet"),
    "outcomes": ("csv", "parquet"),
    "measures": ("csv", "parquet"),
}
BINARY_FORMATS = frozenset({"parquet"})
EXTENSIONS = {"csv": "csv", "parquet": "parquet", "xapi": "jsonl"}
MIMETYPES = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet", "xapi": "application/x-ndjson"}


def pseudonym(user_id: int | None, key: str) -> str:
    """The same user always maps to the same pseudonym under one key, and to another under another."""
    if user_id is None:
        return ""
    digest = hmac.new(key.encode(), f"user:{user_id}".encode(), hashlib.sha256).hexdigest()
    return digest[:20]


def session_pseudonym(session_hash: str | None, key: str) -> str | None:
    """Visits stay grouped, but the grouping changes with the export key like every other id."""
    if not session_hash:
        return None
    return hmac.new(key.encode(), f"session:{session_hash}".encode(), hashlib.sha256).hexdigest()[:20]


@dataclass(frozen=True)
class Column:
    """A column and its Parquet type, named as pyarrow names its type factories."""

    name: str
    type: str


# pyarrow holds about 90 MB once imported; it is loaded when a Parquet file is written, not by
# every worker that serves pages.
TIMESTAMP = "timestamp"

USAGE_COLUMNS = (
    Column("occurred_at", TIMESTAMP),
    Column("name", "string"),
    Column("route", "string"),
    Column("object_type", "string"),
    Column("object_id", "string"),
    Column("actor", "string"),
    Column("roles", "string"),
    Column("site_id", "int64"),
    Column("team_id", "int64"),
    Column("session", "string"),
    Column("status", "int16"),
    Column("device", "string"),
    Column("schema_version", "int16"),
)
PROGRESS_COLUMNS = (
    Column("actor", "string"),
    Column("record", "string"),  # "section" or "module"
    Column("module", "string"),
    Column("section", "string"),
    Column("first_viewed_at", TIMESTAMP),
    Column("completed_at", TIMESTAMP),
)
OUTCOME_COLUMNS = (
    Column("actor", "string"),
    Column("completed_at", TIMESTAMP),
    *(Column(key, "int8") for key in ITEM_KEYS),
    Column("total", "int16"),
)
# One row per questionnaire answered. Item answers are the values on each item's scale, keyed as
# in the instrument's file (content/instruments/), as JSON, so any instrument fits the same columns.
MEASURE_COLUMNS = (
    Column("actor", "string"),
    Column("instrument", "string"),
    Column("time_point", "string"),
    Column("in_window", "bool_"),
    Column("days_since_registration", "int32"),
    Column("completed_at", TIMESTAMP),
    Column("item_answers", "string"),
    Column("total", "int16"),
    Column("band", "string"),
)
COLUMNS_BY_KIND = {
    "usage": USAGE_COLUMNS,
    "progress": PROGRESS_COLUMNS,
    "outcomes": OUTCOME_COLUMNS,
    "measures": MEASURE_COLUMNS,
}


@dataclass(frozen=True)
class Window:
    """[since, until): whole UTC days, either end open."""

    since: date | None = None
    until: date | None = None

    @staticmethod
    def _moment(day: date | None) -> datetime | None:
        return datetime.combine(day, time(), UTC) if day else None

    def apply(self, query: Select, *moments: Any) -> Select:
        """Keep rows where any of the given times falls inside the window."""
        start, end = self._moment(self.since), self._moment(self.until)
        if start is None and end is None:
            return query
        conditions = []
        for moment in moments:
            condition = moment.is_not(None)
            if start is not None:
                condition = condition & (moment >= start)
            if end is not None:
                condition = condition & (moment < end)
            conditions.append(condition)
        return query.where(or_(*conditions))


# Who may appear ----------------------------------------------------------------------


def _is_relative() -> Any:
    return exists().where(UserRole.user_id == User.id, UserRole.role == R.RELATIVE)


def exportable_people() -> Select:
    """Ids of accounts whose data may leave: staff, and relatives who agreed to research use."""
    return select(User.id).where(
        User.erased_at.is_(None), or_(~_is_relative(), User.research_consent.is_(True))
    )


def consenting_relatives() -> Select:
    return select(User.id).where(User.erased_at.is_(None), User.research_consent.is_(True), _is_relative())


# Rows ------------------------------------------------------------------------------------


def _usage_events(window: Window, *, with_actor: bool = False) -> Iterator[Any]:
    people = UsageEvent.user_id.in_(exportable_people())
    # An event with no user id counts as nobody's only when no role was recorded: erasure
    # clears the user id of a relative's events but leaves the role they were done in.
    nobody = and_(UsageEvent.user_id.is_(None), UsageEvent.roles == "")
    query = select(*UsageEvent.__table__.columns).where(people if with_actor else or_(people, nobody))
    query = window.apply(query, UsageEvent.occurred_at).order_by(UsageEvent.id)
    yield from db.session.execute(query.execution_options(yield_per=BATCH_ROWS))


def _object_id(event: Any) -> str | None:
    return None if event.object_type in PERSON_OBJECTS else event.object_id


def usage_rows(key: str, window: Window) -> Iterator[tuple]:
    for event in _usage_events(window):
        yield (
            event.occurred_at,
            event.name,
            event.route,
            event.object_type,
            _object_id(event),
            pseudonym(event.user_id, key) or None,
            event.roles,
            event.site_id,
            event.team_id,
            session_pseudonym(event.session_hash, key),
            event.status,
            event.device,
            event.schema_version,
        )


def progress_rows(key: str, window: Window) -> Iterator[tuple]:
    people = consenting_relatives()
    sections = (
        select(
            SectionProgress.user_id,
            Module.slug,
            Section.slug,
            SectionProgress.first_viewed_at,
            SectionProgress.completed_at,
        )
        .join(Section, Section.id == SectionProgress.section_id)
        .join(Module, Module.id == SectionProgress.module_id)
        .where(SectionProgress.user_id.in_(people))
    )
    sections = window.apply(sections, SectionProgress.first_viewed_at, SectionProgress.completed_at).order_by(
        SectionProgress.user_id, Module.position, Section.position
    )
    for user_id, module, section, first_viewed_at, completed_at in db.session.execute(
        sections.execution_options(yield_per=BATCH_ROWS)
    ):
        yield (pseudonym(user_id, key), "section", module, section, first_viewed_at, completed_at)
    modules = (
        select(ModuleCompletion.user_id, Module.slug, ModuleCompletion.completed_at)
        .join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id.in_(people))
    )
    modules = window.apply(modules, ModuleCompletion.completed_at).order_by(
        ModuleCompletion.user_id, Module.position
    )
    for user_id, module, completed_at in db.session.execute(modules.execution_options(yield_per=BATCH_ROWS)):
        yield (pseudonym(user_id, key), "module", module, None, None, completed_at)


def outcome_rows(key: str, window: Window) -> Iterator[tuple]:
    query = select(CheckIn.user_id, CheckIn.completed_at, CheckIn.answers, CheckIn.total).where(
        CheckIn.user_id.in_(consenting_relatives())
    )
    query = window.apply(query, CheckIn.completed_at).order_by(CheckIn.completed_at, CheckIn.id)
    for user_id, completed_at, answers, total in db.session.execute(
        query.execution_options(yield_per=BATCH_ROWS)
    ):
        scores = [answers.get(item) if isinstance(answers, dict) else None for item in ITEM_KEYS]
        yield (pseudonym(user_id, key), completed_at, *scores, total)


def measure_rows(key: str, window: Window) -> Iterator[tuple]:
    query = select(
        MeasureAnswer.user_id,
        MeasureAnswer.instrument,
        MeasureAnswer.time_point,
        MeasureAnswer.in_window,
        MeasureAnswer.days_since_registration,
        MeasureAnswer.completed_at,
        MeasureAnswer.answers,
        MeasureAnswer.total,
        MeasureAnswer.band,
    ).where(MeasureAnswer.user_id.in_(consenting_relatives()))
    query = window.apply(query, MeasureAnswer.completed_at).order_by(
        MeasureAnswer.completed_at, MeasureAnswer.id
    )
    for row in db.session.execute(query.execution_options(yield_per=BATCH_ROWS)):
        user_id, instrument, time_point, in_window, days, completed_at, answers, total, band = row
        items = json.dumps(answers if isinstance(answers, dict) else {}, sort_keys=True)
        yield (
            pseudonym(user_id, key),
            instrument,
            time_point,
            in_window,
            days,
            completed_at,
            items,
            total,
            band,
        )


ROWS_BY_KIND: dict[str, Callable[[str, Window], Iterator[tuple]]] = {
    "usage": usage_rows,
    "progress": progress_rows,
    "outcomes": outcome_rows,
    "measures": measure_rows,
}


# Formats ---------------------------------------------------------------------------------


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def write_csv(out: IO[str], columns: tuple[Column, ...], rows: Iterable[tuple]) -> int:
    """One header line, then one line per row, streaming; returns the number of rows."""
    writer = csv.writer(out)
    writer.writerow([column.name for column in columns])
    count = 0
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
        count += 1
    return count


def _batches(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _parquet_type(pa: Any, name: str) -> Any:
    return pa.timestamp("us", tz="UTC") if name == TIMESTAMP else getattr(pa, name)()


def write_parquet(out: IO[bytes] | str, columns: tuple[Column, ...], rows: Iterable[tuple]) -> int:
    """Typed columns, UTC timestamps, written a batch at a time so memory stays flat."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = [_parquet_type(pa, column.type) for column in columns]
    schema = pa.schema([pa.field(column.name, type_) for column, type_ in zip(columns, types, strict=True)])
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in _batches(rows, BATCH_ROWS):
            arrays = [
                pa.array([row[index] for row in batch], type=type_) for index, type_ in enumerate(types)
            ]
            writer.write_batch(pa.record_batch(arrays, schema=schema))
            count += len(batch)
    return count


# xAPI ------------------------------------------------------------------------------------

ADL_COMPLETED = ("http://adlnet.gov/expapi/verbs/completed", "completed")
TINCAN_VIEWED = ("http://id.tincanapi.com/verb/viewed", "viewed")
# Whole event names first, then the action (the last part of the name).
VERBS_BY_NAME = {
    "auth.login.succeeded": ("https://w3id.org/xapi/adl/verbs/logged-in", "logged in"),
    "auth.session.ended": ("https://w3id.org/xapi/adl/verbs/logged-out", "logged out"),
    "auth.registration.completed": ("http://adlnet.gov/expapi/verbs/registered", "registered"),
    "auth.invitation.accepted": ("http://activitystrea.ms/schema/1.0/accept", "accepted"),
    "forum.post.created": ("http://adlnet.gov/expapi/verbs/commented", "commented"),
    "modules.exercise.saved": ("http://adlnet.gov/expapi/verbs/answered", "answered"),
}
VERBS_BY_ACTION = {
    "viewed": TINCAN_VIEWED,
    "read": TINCAN_VIEWED,
    "visited": TINCAN_VIEWED,
    "completed": ADL_COMPLETED,
    "shared": ("http://adlnet.gov/expapi/verbs/shared", "shared"),
}
_ROUTE_PARAMETER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def verb(name: str, home_page: str) -> dict:
    found = VERBS_BY_NAME.get(name) or VERBS_BY_ACTION.get(name.rsplit(".", 1)[-1])
    if found is None:
        return {"id": f"{home_page}/xapi/verbs/{name}", "display": {"en-GB": name}}
    return {"id": found[0], "display": {"en-GB": found[1]}}


def activity_id(event: Any, home_page: str) -> str:
    """An IRI for what was acted on: its type and id, else the route template, never a real URL."""
    object_id = _object_id(event)
    if event.object_type and object_id:
        return f"{home_page}/xapi/activities/{event.object_type}/{object_id}"
    if event.route:
        return f"{home_page}/xapi/activities/page" + _ROUTE_PARAMETER.sub(r":\1", event.route)
    return f"{home_page}/xapi/activities/event/{event.name}"


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def statement(event: Any, key: str, home_page: str, platform: str) -> dict:
    """One xAPI 1.0.3 statement for one usage event."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{home_page}/xapi/statements")
    extension = f"{home_page}/xapi/extensions/"
    extensions = {
        "site-id": event.site_id,
        "team-id": event.team_id,
        "roles": [role for role in (event.roles or "").split(",") if role],
        "device": event.device,
        "session": session_pseudonym(event.session_hash, key),
        "status": event.status,
        "event-name": event.name,
    }
    extensions = {name: value for name, value in extensions.items() if value is not None}
    return {
        "id": str(uuid.uuid5(namespace, f"usage-event:{event.id}")),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": home_page, "name": pseudonym(event.user_id, key)},
        },
        "verb": verb(event.name, home_page),
        "object": {"objectType": "Activity", "id": activity_id(event, home_page)},
        "timestamp": _timestamp(event.occurred_at),
        "context": {"platform": platform, "extensions": {extension + k: v for k, v in extensions.items()}},
        "version": "1.0.3",
    }


def write_xapi(out: IO[str], key: str, window: Window, home_page: str, platform: str) -> int:
    """JSON Lines, one statement per usage event that has an actor; returns the number written."""
    count = 0
    for event in _usage_events(window, with_actor=True):
        out.write(json.dumps(statement(event, key, home_page, platform), separators=(",", ":")))
        out.write("\n")
        count += 1
    return count


# One entry point ------------------------------------------------------------------------------


def write_export(
    out: IO[bytes],
    kind: str,
    fmt: str,
    *,
    key: str,
    window: Window,
    home_page: str = DEFAULT_HOME_PAGE,
    platform: str = "REACT toolkit",
) -> int:
    """Write one export to a binary stream (left open); returns the number of rows or statements."""
    if fmt not in FORMATS.get(kind, ()):
        raise ValueError(f"no {fmt} export of {kind}")
    if fmt in BINARY_FORMATS:
        return write_parquet(out, COLUMNS_BY_KIND[kind], ROWS_BY_KIND[kind](key, window))
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        if fmt == "xapi":
            return write_xapi(text, key, window, home_page.rstrip("/"), platform)
        return write_csv(text, COLUMNS_BY_KIND[kind], ROWS_BY_KIND[kind](key, window))
    finally:
        text.flush()
        text.detach()


def write_usage_csv(out: IO[str], key: str, since: date | None = None, until: date | None = None) -> int:
    """Usage events as CSV to a text stream: the first export the toolkit had, kept for its callers."""
    return write_csv(out, USAGE_COLUMNS, usage_rows(key, Window(since, until)))
