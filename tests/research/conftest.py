"""A small, hand-built history for the export tests, and helpers to read every format back."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pyarrow.parquet as pq
import pytest

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.modules.models import Module, ModuleCompletion, Section, SectionProgress
from react_toolkit.outcomes.models import CheckIn
from react_toolkit.research import services
from react_toolkit.usage.models import UsageEvent

T = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SESSION = "a" * 32
SCORES = {"coping": 3, "sleep": 3, "supported": 4, "own_time": 0, "worry": 0, "hope": 2}
COMBINATIONS = [
    ("usage", "csv"),
    ("usage", "parquet"),
    ("usage", "xapi"),
    ("progress", "csv"),
    ("progress", "parquet"),
    ("outcomes", "csv"),
    ("outcomes", "parquet"),
]


@dataclass
class History:
    consenting: User
    declined: User
    erased: User
    clinician: User
    admin: User
    module: Module
    sections: list[Section]
    events: dict[str, UsageEvent]


def _event(name: str, user: User | None, moment: datetime, **fields) -> UsageEvent:
    event = UsageEvent(
        name=name,
        occurred_at=moment,
        user_id=user.id if user else None,
        roles=",".join(sorted(user.roles)) if user else "",
        site_id=user.site_id if user else None,
        team_id=user.team_id if user else None,
        **fields,
    )
    db.session.add(event)
    db.session.flush()
    return event


@pytest.fixture
def history(app, create_team, create_user) -> History:
    team = create_team()
    consenting = create_user(R.RELATIVE, team=team)
    declined = create_user(R.RELATIVE, team=team)
    erased = create_user(R.RELATIVE, team=team)
    clinician = create_user(R.CLINICIAN, team=team)
    admin = create_user(R.ADMIN)
    consenting.research_consent = True
    consenting.research_consent_at = T - timedelta(days=60)
    erased.research_consent = True
    erased.erased_at = T + timedelta(days=20)

    module = Module(
        slug="coping-at-home",
        title="Coping at home",
        summary="A test module.",
        position=1,
        estimated_minutes=10,
        author_role="Health information writer",
        written=date(2026, 1, 1),
        law_applies="not applicable",
        lived_experience="Not yet.",
        source_hash="0" * 64,
    )
    module.sections = [
        Section(slug="first-steps", position=1, title="First steps", parts=[], minutes=5),
        Section(slug="next-steps", position=2, title="Next steps", parts=[], minutes=5),
    ]
    db.session.add(module)
    db.session.flush()
    first, second = module.sections

    events = {
        "old": _event("usage.page.viewed", consenting, T - timedelta(days=40), route="/modules", status=200),
        "module": _event(
            "usage.page.viewed",
            consenting,
            T,
            route="/modules/<slug>",
            object_type="module",
            object_id=str(module.id),
            session_hash=SESSION,
            status=200,
            device="mobile",
        ),
        "completed": _event(
            "modules.section.completed",
            consenting,
            T + timedelta(minutes=1),
            route="/modules/<slug>/<int:number>/done",
            object_type="section",
            object_id=str(first.id),
            session_hash=SESSION,
            device="mobile",
        ),
        "declined": _event(
            "usage.page.viewed", declined, T + timedelta(minutes=2), route="/modules", status=200
        ),
        "erased": _event("usage.page.viewed", erased, T + timedelta(minutes=3), route="/modules", status=200),
        "invited": _event(
            "auth.invitation.sent",
            clinician,
            T + timedelta(minutes=4),
            route="/invitations/new",
            object_type="invitation",
            object_id="9",
            device="desktop",
        ),
        "staff": _event(
            "auth.staff_account.created",
            admin,
            T + timedelta(minutes=5),
            route="/staff/new",
            object_type="user",
            object_id=str(clinician.id),
            device="desktop",
        ),
        "anonymous": _event(
            "usage.page.viewed", None, T + timedelta(minutes=6), route="/sign-in", status=200
        ),
    }

    for user in (consenting, declined, erased):
        db.session.add(
            SectionProgress(
                user_id=user.id,
                module_id=module.id,
                section_id=first.id,
                first_viewed_at=T,
                last_viewed_at=T + timedelta(hours=1),
                completed_at=T + timedelta(hours=1),
            )
        )
    db.session.add(
        SectionProgress(
            user_id=consenting.id,
            module_id=module.id,
            section_id=second.id,
            first_viewed_at=T + timedelta(hours=2),
            last_viewed_at=T + timedelta(hours=3),
            completed_at=T + timedelta(hours=3),
        )
    )
    db.session.add(
        ModuleCompletion(user_id=consenting.id, module_id=module.id, completed_at=T + timedelta(hours=3))
    )

    db.session.add(
        CheckIn(user_id=consenting.id, completed_at=T + timedelta(days=1), answers=SCORES, total=12)
    )
    db.session.add(
        CheckIn(
            user_id=consenting.id,
            completed_at=T + timedelta(days=15),
            answers={key: 4 if key != "worry" else 0 for key in SCORES},
            total=20,
        )
    )
    for user in (declined, erased):
        db.session.add(CheckIn(user_id=user.id, completed_at=T + timedelta(days=1), answers=SCORES, total=12))
    db.session.commit()
    return History(consenting, declined, erased, clinician, admin, module, [first, second], events)


def run_export(kind: str, fmt: str, since: date | None = None, until: date | None = None, user=None):
    """(bytes, log row) for one export made through the service, as the command and the page do."""
    out = io.BytesIO()
    record = services.export(user, kind, fmt, since, until, out)
    return out.getvalue(), record


def read(fmt: str, data: bytes) -> list[dict]:
    """The rows of an export in any format, as dicts."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    if fmt == "parquet":
        return pq.read_table(io.BytesIO(data)).to_pylist()
    return [json.loads(line) for line in data.decode("utf-8").splitlines()]
