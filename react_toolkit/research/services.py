"""Use cases for research exports: write one, log it, and list the log."""

from __future__ import annotations

from datetime import date
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from react_toolkit import signals
from react_toolkit.auth.models import User
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.research import exports
from react_toolkit.research.models import ExportRecord
from react_toolkit.timeutil import now

LOG_LENGTH = 50
XAPI_ONLY_FOR_USAGE = _l("xAPI is only for usage events. Choose CSV or Parquet")


class ResearchError(Refusal):
    """Refused by the export rules."""


def check_request(kind: str, fmt: str, since: date | None, until: date | None) -> None:
    """Refuse an export that cannot be made, naming the field to fix."""
    if kind not in exports.KINDS:
        raise ResearchError(_("Choose what to export"), field="kind")
    if fmt not in exports.FORMATS[kind]:
        if fmt == "xapi":
            raise ResearchError(XAPI_ONLY_FOR_USAGE, field="format")
        raise ResearchError(_("Choose a file format"), field="format")
    if since and until and until <= since:
        raise ResearchError(_("The end date must be the same as or after the start date"), field="until")


def export(user, kind: str, fmt: str, since: date | None, until: date | None, out: IO[bytes]) -> ExportRecord:
    """Write one pseudonymised export and log who made it, what and how many rows, in one commit."""
    check_request(kind, fmt, since, until)
    config = current_app.config
    rows = exports.write_export(
        out,
        kind,
        fmt,
        key=config["USAGE_PSEUDONYM_KEY"],
        window=exports.Window(since, until),
        home_page=config.get("BASE_URL") or exports.DEFAULT_HOME_PAGE,
        platform=config.get("SERVICE_NAME") or "REACT toolkit",
    )
    record = ExportRecord(
        user_id=user.id if user is not None else None,
        kind=kind,
        format=fmt,
        since=since,
        until=until,
        rows=rows,
        created_at=now(),
    )
    db.session.add(record)
    db.session.flush()
    signals.export_created.send(user, object_type="export", object_id=record.id)
    db.session.commit()
    return record


def file_name(record: ExportRecord) -> str:
    return f"react-{record.kind}-{record.created_at:%Y%m%d-%H%M%S}.{exports.EXTENSIONS[record.format]}"


def recent_exports(limit: int = LOG_LENGTH) -> list[tuple[ExportRecord, User | None]]:
    """The latest exports with who made them (None for the command line), newest first."""
    query = (
        select(ExportRecord, User)
        .outerjoin(User, User.id == ExportRecord.user_id)
        .order_by(ExportRecord.created_at.desc(), ExportRecord.id.desc())
        .limit(limit)
    )
    return [(record, user) for record, user in db.session.execute(query)]
