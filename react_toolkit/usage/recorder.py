"""Builds usage event rows and records one for every HTML page view.

What goes in a row is decided here and only here: ids, roles, site and team at
the time, the route template (never the URL or its query string), the status and
a device class. No text a person typed, no email, no name, no IP address.

A person is named only as the one who acted. When the object of an event is a
person (an administrator opening a relative's account, a new member of staff),
the row says so but holds no id: an object id would tie the event to someone
who may never have agreed to research use of their data.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from react_toolkit.extensions import db
from react_toolkit.i18n.language import current_language
from react_toolkit.timeutil import now
from react_toolkit.usage.models import SCHEMA_VERSION, UsageEvent

log = logging.getLogger(__name__)

PAGE_VIEWED = "usage.page.viewed"
# Object types that are people: recorded by type alone, never with an id.
PERSON_OBJECTS = frozenset({"user"})

_TABLET = re.compile(r"ipad|tablet|kindle|silk|playbook|(android(?!.*mobile))", re.I)
_MOBILE = re.compile(r"mobi|iphone|ipod|android|blackberry|opera mini|iemobile|windows phone", re.I)


def device_class(user_agent: str | None) -> str:
    """'mobile', 'tablet' or 'desktop', from the User-Agent header alone."""
    agent = user_agent or ""
    if _TABLET.search(agent):
        return "tablet"
    if _MOBILE.search(agent):
        return "mobile"
    return "desktop"


def session_hash(token: str | None) -> str | None:
    """A keyed hash of the server session token: groups views into visits, reveals nothing."""
    if not token:
        return None
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"session:" + token.encode(), hashlib.sha256).hexdigest()[:32]


def actor_fields(user: Any) -> dict[str, Any]:
    """Who acted, as ids and role names at this moment."""
    if user is None or not getattr(user, "is_authenticated", False):
        return {"user_id": None, "roles": "", "site_id": None, "team_id": None}
    return {
        "user_id": user.id,
        "roles": ",".join(sorted(user.roles)),
        "site_id": user.site_id,
        "team_id": user.team_id,
    }


def request_fields() -> dict[str, Any]:
    """Route template, object named by the route, session hash, device and language: never the URL."""
    fields: dict[str, Any] = {
        "route": None,
        "object_type": None,
        "object_id": None,
        "session_hash": None,
        "device": None,
        "language": None,
    }
    try:
        if not request:
            return fields
    except RuntimeError:
        return fields
    if request.url_rule is not None:
        fields["route"] = request.url_rule.rule
    named = getattr(g, "usage_object", None)
    if named is not None:
        fields["object_type"], fields["object_id"] = named[0], _object_id(named[0], named[1])
    else:
        for name, value in (request.view_args or {}).items():
            if name.endswith("_id"):
                fields["object_type"] = name[: -len("_id")]
                fields["object_id"] = _object_id(fields["object_type"], value)
                break
    # The signed-in person's session, as the sign-in cookie named it; none before sign-in completes.
    fields["session_hash"] = session_hash(getattr(current_user, "session_token", None))
    fields["device"] = device_class(request.headers.get("User-Agent"))
    fields["language"] = current_language()
    return fields


def _object_id(object_type: str | None, object_id: Any) -> str | None:
    """The object's id as stored: none for a person."""
    if object_id is None or object_type in PERSON_OBJECTS:
        return None
    return str(object_id)


def name_object(object_type: str, object_id: int | str) -> None:
    """Let a view say which object its page shows when the URL names it by slug."""
    g.usage_object = (object_type, object_id)


def build_event(name: str, user: Any = None, **fields: Any) -> UsageEvent:
    """A usage event row for `name`, done by `user`, in the current request if any."""
    row: dict[str, Any] = {"name": name, "occurred_at": now(), "schema_version": SCHEMA_VERSION}
    row.update(request_fields())
    row.update(actor_fields(user))
    allowed = {"object_type", "object_id", "status", "user_id", "site_id", "team_id", "roles"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"usage events do not take {sorted(unknown)}")
    row.update(fields)
    row["object_id"] = _object_id(row["object_type"], row["object_id"])
    return UsageEvent(**row)


_BULK_FIELDS = frozenset(
    {
        "route",
        "object_type",
        "object_id",
        "user_id",
        "roles",
        "site_id",
        "team_id",
        "session_hash",
        "status",
        "device",
        "language",
    }
)


_INSERT = UsageEvent.__table__.insert()
_EMPTY_ROW = {c.key: None for c in UsageEvent.__table__.columns if c.key != "id"}


def event_row(name: str, occurred_at, **fields: Any) -> dict[str, Any]:
    """A whole event row as a dict, for writing many at once; takes the same kinds of field as a page view."""
    unknown = fields.keys() - _BULK_FIELDS
    if unknown:
        raise ValueError(f"usage events do not take {sorted(unknown)}")
    row: dict[str, Any] = dict(_EMPTY_ROW)
    row.update(name=name, occurred_at=occurred_at, roles="", schema_version=SCHEMA_VERSION)
    row.update(fields)
    row["object_id"] = _object_id(row["object_type"], row["object_id"])
    return row


def record_page_view(response: Response) -> Response:
    """After each HTML response, write one page-view event; a failure is logged, never raised."""
    if not current_app.config.get("USAGE_RECORDING", True):
        return response
    if response.mimetype != "text/html" or 300 <= response.status_code < 400:
        return response
    if request.method not in {"GET", "POST"} or request.endpoint == "static":
        return response
    try:
        # The same fields as build_event(), written as a plain row: one cached INSERT, no ORM object.
        row = event_row(
            PAGE_VIEWED, now(), **request_fields(), **actor_fields(current_user), status=response.status_code
        )
        engine = db.engine
        if engine.dialect.name == "sqlite":
            with engine.begin() as connection:
                connection.execute(_INSERT, row)
        else:
            # One INSERT is atomic by itself: in autocommit a database server needs no BEGIN and
            # COMMIT round trips for it.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(_INSERT, row)
    except Exception as exc:  # noqa: BLE001 - recording must never fail the page
        log.warning("usage event not recorded: %s", type(exc).__name__)
    return response


def init_app(app: Flask) -> None:
    app.after_request(record_page_view)
