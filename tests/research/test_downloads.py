"""The research exports page: who may use it, the form's checks, the download and its log."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.research.exports import pseudonym
from react_toolkit.research.models import ExportRecord
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.research.conftest import read

PAGE = "/research/exports"


def download(client, **fields):
    data = {"kind": "usage", "format": "csv", "since": "", "until": ""}
    data.update(fields)
    return post(client, PAGE, data, token_from=PAGE)


def log_rows() -> list[ExportRecord]:
    db.session.expire_all()
    return list(db.session.scalars(select(ExportRecord).order_by(ExportRecord.id)))


def error_for(html: str, name: str) -> str | None:
    match = re.search(rf'id="{name}-error">\s*<span[^>]*>Error: </span>(.*?)\s*</span>', html, re.S)
    return match.group(1).strip() if match else None


@pytest.mark.parametrize("role", [R.RELATIVE, R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD])
def test_everyone_but_researchers_and_admins_is_refused(client, create_user, login, role):
    login(create_user(role))
    assert client.get(PAGE).status_code == 403
    assert post(client, PAGE, {"kind": "usage", "format": "csv"}).status_code == 403
    assert log_rows() == []
    assert f'href="{PAGE}"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("role", [R.RESEARCHER, R.ADMIN])
def test_researchers_and_admins_see_the_page(client, create_user, login, role):
    login(create_user(role))
    response = client.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Research exports" in html
    assert "No exports yet." in html
    assert 'name="kind" type="radio" value="usage" checked' in html
    assert f'href="{PAGE}"' in client.get("/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_a_download_streams_the_file_and_logs_who_made_it(app, client, create_user, login, history):
    researcher = create_user(R.RESEARCHER)
    login(researcher)
    response = download(client, since="2026-03-02", until="2026-03-02")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert re.search(r"filename=react-usage-\d{8}-\d{6}\.csv", disposition)
    assert response.headers["Cache-Control"] == "no-store"
    rows = read("csv", response.get_data())
    assert len(rows) == 5
    assert pseudonym(history.consenting.id, app.config["USAGE_PSEUDONYM_KEY"]) in {r["actor"] for r in rows}

    [record] = log_rows()
    assert (record.user_id, record.kind, record.format, record.rows) == (researcher.id, "usage", "csv", 5)
    # The form's "to" day is included, so the log keeps the day after it.
    assert (record.since, record.until) == (date(2026, 3, 2), date(2026, 3, 3))
    [event] = db.session.scalars(select(UsageEvent).where(UsageEvent.name == "research.export.created"))
    assert (event.user_id, event.object_type, event.object_id) == (researcher.id, "export", str(record.id))


def test_parquet_and_xapi_downloads_parse(client, create_user, login, history):
    login(create_user(R.ADMIN))
    parquet = download(client, kind="outcomes", format="parquet")
    assert parquet.status_code == 200
    assert parquet.mimetype == "application/vnd.apache.parquet"
    assert pq.read_table(io.BytesIO(parquet.get_data())).num_rows == 2

    xapi = download(client, kind="usage", format="xapi")
    assert xapi.status_code == 200
    assert xapi.headers["Content-Disposition"].endswith(".jsonl")
    statements = read("xapi", xapi.get_data())
    assert statements and all(s["actor"]["objectType"] == "Agent" for s in statements)
    assert [(r.kind, r.format) for r in log_rows()] == [("outcomes", "parquet"), ("usage", "xapi")]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"since": "31/02/2026"}, "since", "Enter the start date as year-month-day, like 2026-02-01"),
        ({"until": "2026-02-30"}, "until", "Enter the end date as year-month-day, like 2026-02-01"),
        (
            {"since": "2026-03-02", "until": "2026-03-01"},
            "until",
            "The end date must be the same as or after the start date",
        ),
        (
            {"kind": "progress", "format": "xapi"},
            "format",
            "xAPI is only for usage events. Choose CSV or Parquet",
        ),
        ({"kind": ""}, "kind", "Choose what to export"),
        ({"format": "pdf"}, "format", "Choose a file format"),
    ],
)
def test_a_bad_choice_is_named_next_to_its_field_and_choices_are_kept(
    client, create_user, login, fields, field, message
):
    login(create_user(R.RESEARCHER))
    response = download(client, **{"kind": "progress", "format": "csv", "since": "2026-03-01", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert error_for(html, field) == message
    assert f'href="#{field}' in html
    chosen_kind = fields.get("kind", "progress")
    if chosen_kind:
        assert f'name="kind" type="radio" value="{chosen_kind}" checked' in html
    typed = fields.get("since", "2026-03-01")
    assert f'value="{typed}"' in html
    assert log_rows() == []


def test_the_log_shows_the_last_fifty_exports_with_who_made_them(client, create_user, login):
    researcher = create_user(R.RESEARCHER)
    start = now() - timedelta(days=60)
    for number in range(55):
        db.session.add(
            ExportRecord(
                user_id=researcher.id if number % 2 else None,
                kind="usage",
                format="parquet",
                since=date(2026, 2, 1),
                until=date(2026, 3, 1),
                rows=number,
                created_at=start + timedelta(days=number),
            )
        )
    db.session.commit()
    login(researcher)
    html = client.get(PAGE).get_data(as_text=True)
    table = html.split("<h2>Export log</h2>")[1]
    assert table.count('<tr role="row" class="nhsuk-table__row">') == 50
    assert researcher.full_name in table
    assert "Command line" in table
    assert "Usage events, Parquet" in table
    assert "1 February 2026 to 28 February 2026" in table
    # Newest first: the 55th export (54 rows) leads, the five oldest are not shown.
    cells = re.findall(r"Rows </span>(\d+)</td>", table)
    assert cells[0] == "54" and "4" not in cells


def test_the_download_refuses_a_missing_csrf_token(client, create_user, login):
    login(create_user(R.RESEARCHER))
    response = client.post(PAGE, data={"kind": "usage", "format": "csv"})
    assert response.status_code == 400
    assert log_rows() == []


def test_every_problem_is_shown_at_once(client, create_user, login):
    login(create_user(R.RESEARCHER))
    response = download(client, kind="progress", format="xapi", since="2026-1-1")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_for(html, "format") == "xAPI is only for usage events. Choose CSV or Parquet"
    assert error_for(html, "since") == "Enter the start date as year-month-day, like 2026-02-01"
