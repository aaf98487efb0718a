"""Research exports: every format parses, rows match a known history, consent decides who is in."""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.outcomes.items import ITEM_KEYS
from react_toolkit.research.exports import pseudonym, session_pseudonym
from react_toolkit.research.models import ExportRecord
from react_toolkit.research.services import ResearchError
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.research.conftest import COMBINATIONS, SCORES, SESSION, T, read, run_export

VIEWED = "http://id.tincanapi.com/verb/viewed"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"


def key(app) -> str:
    return app.config["USAGE_PSEUDONYM_KEY"]


def expected_usage(app, history) -> list[dict]:
    """The usage rows a research export must hold, in event order, typed as Parquet gives them."""
    k = key(app)
    consenting, clinician, admin = history.consenting, history.clinician, history.admin
    site, team = consenting.site_id, consenting.team_id
    events = history.events

    def row(event, actor, roles, site_id, team_id, **fields):
        values = {
            "occurred_at": event.occurred_at,
            "name": event.name,
            "route": event.route,
            "object_type": None,
            "object_id": None,
            "actor": actor,
            "roles": roles,
            "site_id": site_id,
            "team_id": team_id,
            "session": None,
            "status": None,
            "device": None,
            "schema_version": 1,
        }
        values.update(fields)
        return values

    me = pseudonym(consenting.id, k)
    session = session_pseudonym(SESSION, k)
    return [
        row(events["old"], me, "relative", site, team, status=200),
        row(
            events["module"],
            me,
            "relative",
            site,
            team,
            object_type="module",
            object_id=str(history.module.id),
            session=session,
            status=200,
            device="mobile",
        ),
        row(
            events["completed"],
            me,
            "relative",
            site,
            team,
            object_type="section",
            object_id=str(history.sections[0].id),
            session=session,
            device="mobile",
        ),
        row(
            events["invited"],
            pseudonym(clinician.id, k),
            "clinician",
            site,
            team,
            object_type="invitation",
            object_id="9",
            device="desktop",
        ),
        row(
            events["staff"],
            pseudonym(admin.id, k),
            "admin",
            None,
            None,
            object_type="user",
            object_id=None,  # a person is never an object id, not even as a pseudonym
            device="desktop",
        ),
        row(events["anonymous"], None, "", None, None, status=200),
    ]


def as_csv(rows: list[dict]) -> list[dict]:
    def text(value):
        if value is None:
            return ""
        if isinstance(value, datetime):
            return value.isoformat()
        return str(value)

    return [{name: text(value) for name, value in row.items()} for row in rows]


# Usage events ---------------------------------------------------------------------------------


def test_usage_csv_rows_match_the_history(app, history):
    data, record = run_export("usage", "csv")
    assert read("csv", data) == as_csv(expected_usage(app, history))
    assert record.rows == 6


def test_usage_parquet_is_typed_and_matches_the_history(app, history):
    data, record = run_export("usage", "parquet")
    table = pq.read_table(io.BytesIO(data))
    assert table.schema.field("occurred_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("site_id").type == pa.int64()
    assert table.schema.field("status").type == pa.int16()
    assert table.schema.field("actor").type == pa.string()
    assert table.to_pylist() == expected_usage(app, history)
    assert record.rows == table.num_rows == 6


def test_parquet_is_written_in_batches(app, history, monkeypatch):
    from react_toolkit.research import exports

    monkeypatch.setattr(exports, "BATCH_ROWS", 2)
    data, record = run_export("usage", "parquet")
    metadata = pq.ParquetFile(io.BytesIO(data)).metadata
    assert metadata.num_rows == record.rows == 6
    assert metadata.num_row_groups == 3


def test_an_empty_parquet_export_still_has_its_columns(app):
    data, record = run_export("outcomes", "parquet")
    table = pq.read_table(io.BytesIO(data))
    assert record.rows == table.num_rows == 0
    assert table.column_names == ["actor", "completed_at", *ITEM_KEYS, "total"]


def test_xapi_statements_have_the_required_fields(app, history):
    data, record = run_export("usage", "xapi")
    statements = read("xapi", data)
    home = app.config["BASE_URL"]
    k = key(app)
    # The anonymous page view has no actor, so xAPI leaves it out.
    assert record.rows == len(statements) == 5
    for statement in statements:
        assert uuid.UUID(statement["id"]).version == 5
        assert statement["actor"]["objectType"] == "Agent"
        assert statement["actor"]["account"]["homePage"] == home
        assert len(statement["actor"]["account"]["name"]) == 20
        assert statement["verb"]["id"].startswith(("http://", "https://"))
        assert statement["verb"]["display"]["en-GB"]
        assert statement["object"]["objectType"] == "Activity"
        assert statement["object"]["id"].startswith(f"{home}/xapi/activities/")
        assert "?" not in statement["object"]["id"]
        assert statement["timestamp"].endswith("Z")
        for name in statement["context"]["extensions"]:
            assert name.startswith(f"{home}/xapi/extensions/")

    by_time = {datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00")): s for s in statements}
    viewed = by_time[T]
    assert viewed["verb"]["id"] == VIEWED
    assert viewed["actor"]["account"]["name"] == pseudonym(history.consenting.id, k)
    assert viewed["object"]["id"] == f"{home}/xapi/activities/module/{history.module.id}"
    extensions = viewed["context"]["extensions"]
    assert extensions[f"{home}/xapi/extensions/site-id"] == history.consenting.site_id
    assert extensions[f"{home}/xapi/extensions/team-id"] == history.consenting.team_id
    assert extensions[f"{home}/xapi/extensions/roles"] == ["relative"]
    assert extensions[f"{home}/xapi/extensions/device"] == "mobile"
    assert extensions[f"{home}/xapi/extensions/session"] == session_pseudonym(SESSION, k)
    assert SESSION not in data.decode()

    assert by_time[T + timedelta(minutes=1)]["verb"]["id"] == COMPLETED
    invited = by_time[T + timedelta(minutes=4)]
    assert invited["verb"] == {
        "id": f"{home}/xapi/verbs/auth.invitation.sent",
        "display": {"en-GB": "auth.invitation.sent"},
    }
    staff = by_time[T + timedelta(minutes=5)]
    assert staff["object"]["id"] == f"{home}/xapi/activities/page/staff/new"  # the person is not named
    old = by_time[T - timedelta(days=40)]
    assert old["object"]["id"] == f"{home}/xapi/activities/page/modules"


def test_xapi_ids_are_deterministic_and_route_parameters_are_not_urls(app, history):
    db.session.add(
        UsageEvent(
            name="usage.page.viewed",
            route="/modules/<slug>/<int:number>",
            user_id=history.admin.id,
            roles="admin",
        )
    )
    db.session.commit()
    first = read("xapi", run_export("usage", "xapi")[0])
    again = read("xapi", run_export("usage", "xapi")[0])
    assert [s["id"] for s in first] == [s["id"] for s in again]
    assert len({s["id"] for s in first}) == len(first)
    home = app.config["BASE_URL"]
    assert first[-1]["object"]["id"] == f"{home}/xapi/activities/page/modules/:slug/:number"


def test_xapi_home_page_falls_back_when_no_base_url_is_set(app, history):
    app.config["BASE_URL"] = ""
    statements = read("xapi", run_export("usage", "xapi")[0])
    assert {s["actor"]["account"]["homePage"] for s in statements} == {"https://react.invalid"}


# Module progress and check-ins -------------------------------------------------------------


def expected_progress(app, history) -> list[dict]:
    me = pseudonym(history.consenting.id, key(app))
    return [
        {
            "actor": me,
            "record": "section",
            "module": "coping-at-home",
            "section": "first-steps",
            "first_viewed_at": T,
            "completed_at": T + timedelta(hours=1),
        },
        {
            "actor": me,
            "record": "section",
            "module": "coping-at-home",
            "section": "next-steps",
            "first_viewed_at": T + timedelta(hours=2),
            "completed_at": T + timedelta(hours=3),
        },
        {
            "actor": me,
            "record": "module",
            "module": "coping-at-home",
            "section": None,
            "first_viewed_at": None,
            "completed_at": T + timedelta(hours=3),
        },
    ]


def expected_outcomes(app, history) -> list[dict]:
    me = pseudonym(history.consenting.id, key(app))
    return [
        {"actor": me, "completed_at": T + timedelta(days=1), **SCORES, "total": 12},
        {
            "actor": me,
            "completed_at": T + timedelta(days=15),
            **{k: 4 if k != "worry" else 0 for k in SCORES},
            "total": 20,
        },
    ]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_progress_rows_match_the_history(app, history, fmt):
    data, record = run_export("progress", fmt)
    expected = expected_progress(app, history)
    assert read(fmt, data) == (expected if fmt == "parquet" else as_csv(expected))
    assert record.rows == 3


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_outcome_rows_match_the_history(app, history, fmt):
    data, record = run_export("outcomes", fmt)
    expected = expected_outcomes(app, history)
    assert read(fmt, data) == (expected if fmt == "parquet" else as_csv(expected))
    assert record.rows == 2
    if fmt == "parquet":
        table = pq.read_table(io.BytesIO(data))
        assert table.schema.field("coping").type == pa.int8()
        assert table.schema.field("completed_at").type == pa.timestamp("us", tz="UTC")


# Consent and pseudonyms --------------------------------------------------------------------


def _all_exports() -> dict[tuple[str, str], bytes]:
    return {(kind, fmt): run_export(kind, fmt)[0] for kind, fmt in COMBINATIONS}


def _text_of(fmt: str, data: bytes) -> str:
    if fmt == "parquet":
        return repr(pq.read_table(io.BytesIO(data)).to_pylist())
    return data.decode("utf-8")


def test_relatives_without_consent_and_erased_accounts_are_left_out(app, history):
    k = key(app)
    consenting = pseudonym(history.consenting.id, k)
    for (kind, fmt), data in _all_exports().items():
        text = _text_of(fmt, data)
        assert consenting in text, (kind, fmt)
        assert pseudonym(history.declined.id, k) not in text, (kind, fmt)
        assert pseudonym(history.erased.id, k) not in text, (kind, fmt)


def test_withdrawing_consent_takes_a_relative_out_of_later_exports(app, history):
    history.consenting.research_consent = False
    db.session.commit()
    for kind, fmt in COMBINATIONS:
        data, record = run_export(kind, fmt)
        assert pseudonym(history.consenting.id, key(app)) not in _text_of(fmt, data), (kind, fmt)
    assert run_export("progress", "csv")[1].rows == 0
    assert run_export("outcomes", "csv")[1].rows == 0
    # Staff events and events with nobody signed in (a page view, the exports just made) stay.
    rows = read("csv", run_export("usage", "csv")[0])
    k = key(app)
    assert {row["actor"] for row in rows} == {
        pseudonym(history.clinician.id, k),
        pseudonym(history.admin.id, k),
        "",
    }
    assert {row["name"] for row in rows if not row["actor"]} == {
        "usage.page.viewed",
        "research.export.created",
    }


def test_pseudonyms_are_stable_under_one_key_and_differ_under_another(app, history):
    first = read("csv", run_export("usage", "csv")[0])
    again = read("csv", run_export("usage", "csv")[0])
    app.config["USAGE_PSEUDONYM_KEY"] = "another-key-entirely"
    other = read("csv", run_export("usage", "csv")[0])
    assert [row["actor"] for row in first] == [row["actor"] for row in again[: len(first)]]
    assert [row["session"] for row in first] == [row["session"] for row in again[: len(first)]]
    for before, after in zip(first[:5], other[:5], strict=True):
        assert before["actor"] != after["actor"]
        assert before["occurred_at"] == after["occurred_at"]
    assert first[1]["session"] != other[1]["session"]
    assert first[4]["object_type"] == other[4]["object_type"] == "user"
    assert first[4]["object_id"] == other[4]["object_id"] == ""
    assert str(history.consenting.id) not in {row["actor"] for row in first}


def test_no_export_holds_emails_names_typed_text_or_addresses(app, history, create_user, login):
    """A real visit: sign in from a known address, write a note, check in; then search every export."""
    from react_toolkit.auth.forum_names import forum_name_key

    relative = history.consenting
    relative.forum_name = "QuietHeron"
    relative.forum_name_key = forum_name_key("QuietHeron")
    db.session.commit()
    address = "203.0.113.77"
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    login(relative, the_client=client)
    typed_title = "Private heading Zanzibar"
    typed_note = "My brother shouted at me on Tuesday"
    assert post(client, "/toolbox/notes", {"title": typed_title, "text": typed_note}).status_code == 302
    answers = {k: "2" for k in ITEM_KEYS}
    assert post(client, "/check-in", answers, token_from="/check-in").status_code == 302
    staff_client = app.test_client()
    staff_client.environ_base["REMOTE_ADDR"] = address
    login(history.clinician, the_client=staff_client)
    staff_client.get("/modules")

    forbidden = [
        relative.email,
        relative.email.split("@")[0],
        "QuietHeron",
        history.declined.forum_name,
        history.clinician.email,
        history.clinician.full_name,
        history.admin.full_name,
        typed_title,
        typed_note,
        "Zanzibar",
        address,
    ]
    exports = _all_exports()
    assert pseudonym(relative.id, key(app)) in _text_of("csv", exports[("usage", "csv")])
    assert "outcomes.checkin.completed" in _text_of("csv", exports[("usage", "csv")])
    assert "modules.toolbox_item.added" in _text_of("csv", exports[("usage", "csv")])
    for (kind, fmt), data in exports.items():
        text = _text_of(fmt, data)
        for value in forbidden:
            assert value.encode() not in data, (kind, fmt, value)
            assert value not in text, (kind, fmt, value)


# Windows, the log and the command line --------------------------------------------------------


def test_a_window_keeps_whole_utc_days(app, history):
    rows = read("csv", run_export("usage", "csv", since=date(2026, 3, 2), until=date(2026, 3, 3))[0])
    assert len(rows) == 5
    assert all(row["occurred_at"].startswith("2026-03-02") for row in rows)
    assert read("csv", run_export("usage", "csv", until=date(2026, 3, 2))[0])[0]["occurred_at"].startswith(
        "2026-01-21"
    )
    outcomes = read("csv", run_export("outcomes", "csv", since=date(2026, 3, 10))[0])
    assert [row["total"] for row in outcomes] == ["20"]
    progress = read("csv", run_export("progress", "csv", since=date(2026, 3, 3))[0])
    assert progress == []


def test_a_refused_export_writes_nothing_to_the_log(app, history):
    with pytest.raises(ResearchError) as refused:
        run_export("progress", "xapi")
    assert refused.value.field == "format"
    with pytest.raises(ResearchError):
        run_export("usage", "csv", since=date(2026, 3, 2), until=date(2026, 3, 1))
    assert db.session.scalars(select(ExportRecord)).all() == []


@pytest.mark.parametrize(("kind", "fmt"), COMBINATIONS)
def test_the_command_writes_each_format_and_logs_the_export(app, history, tmp_path, kind, fmt):
    out = tmp_path / f"export.{fmt}"
    result = app.test_cli_runner().invoke(
        args=[
            "react",
            "export-usage",
            "--kind",
            kind,
            "--format",
            fmt,
            "--out",
            str(out),
            "--since",
            "2026-01-01",
        ]
    )
    assert result.exit_code == 0, result.output
    rows = read(fmt, out.read_bytes())
    [record] = db.session.scalars(select(ExportRecord)).all()
    assert (record.user_id, record.kind, record.format) == (None, kind, fmt)
    assert (record.since, record.until) == (date(2026, 1, 1), None)
    assert record.rows == len(rows) > 0
    assert f"Wrote {record.rows} rows." in result.output
    [event] = db.session.scalars(select(UsageEvent).where(UsageEvent.name == "research.export.created"))
    assert (event.object_type, event.object_id, event.user_id) == ("export", str(record.id), None)


def test_the_command_writes_csv_to_standard_output(app, history):
    result = app.test_cli_runner().invoke(args=["react", "export-usage", "--kind", "outcomes", "--out", "-"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("actor,completed_at,coping,")
    assert db.session.scalar(select(ExportRecord.rows)) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "parquet", "--out", "-"], "Parquet needs a file"),
        (["--kind", "progress", "--format", "xapi", "--out", "x.jsonl"], "xAPI is only for usage events"),
        (["--kind", "feelings", "--out", "x.csv"], "Invalid value for '--kind'"),
        (["--since", "2026-03-02", "--until", "2026-03-01", "--out", "x.csv"], "end date"),
    ],
)
def test_the_command_refuses_what_it_cannot_do(app, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = app.test_cli_runner().invoke(args=["react", "export-usage", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert db.session.scalars(select(ExportRecord)).all() == []
    assert list(tmp_path.iterdir()) == []


def test_staff_events_are_kept_for_every_staff_role(app, create_user):
    k = key(app)
    staff = [create_user(role) for role in (R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER)]
    for person in staff:
        db.session.add(UsageEvent(name="usage.page.viewed", route="/", user_id=person.id, roles="staff"))
    db.session.commit()
    actors = {row["actor"] for row in read("csv", run_export("usage", "csv")[0])}
    assert actors == {pseudonym(person.id, k) for person in staff}


def test_events_that_erasure_unlinked_from_a_relative_are_left_out(app, history):
    consenting = history.consenting
    db.session.add(
        UsageEvent(
            name="usage.page.viewed",
            route="/modules",
            user_id=None,
            roles="relative",
            site_id=consenting.site_id,
            team_id=consenting.team_id,
            occurred_at=T + timedelta(minutes=10),
        )
    )
    db.session.commit()
    rows = read("csv", run_export("usage", "csv")[0])
    assert len(rows) == 6
    assert [row for row in rows if not row["actor"]] == as_csv(expected_usage(app, history))[-1:]
