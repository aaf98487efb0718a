"""The usage CSV for research: keyed pseudonyms that are stable under one key and different under another."""

import csv
import io
from datetime import UTC, datetime

from react_toolkit.auth.models import User, UserRole
from react_toolkit.extensions import db
from react_toolkit.research.exports import USAGE_COLUMNS, pseudonym, write_usage_csv
from react_toolkit.usage.models import UsageEvent


def add_events(user_ids, when=datetime(2026, 3, 1, 12, tzinfo=UTC)):
    # Research exports hold relatives only when they agreed to research use, and an
    # event with no user only when nobody was signed in (no role).
    for user_id in {user_id for user_id in user_ids if user_id is not None}:
        if db.session.get(User, user_id) is None:
            relative = User(id=user_id, email=f"relative{user_id}@example.org", research_consent=True)
            relative.role_rows.append(UserRole(role="relative"))
            db.session.add(relative)
    for user_id in user_ids:
        db.session.add(
            UsageEvent(
                name="usage.page.viewed",
                route="/",
                user_id=user_id,
                roles="relative" if user_id else "",
                occurred_at=when,
            )
        )
    db.session.commit()


def export(key, **kwargs):
    out = io.StringIO()
    write_usage_csv(out, key, **kwargs)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_pseudonyms_are_stable_and_differ_under_another_key(app):
    add_events([7, 7, 8, None])
    first = export("key-one")
    again = export("key-one")
    other = export("key-two")
    assert [row["actor"] for row in first] == [row["actor"] for row in again]
    assert first[0]["actor"] == first[1]["actor"] != first[2]["actor"]
    assert first[3]["actor"] == ""
    assert first[0]["actor"] != other[0]["actor"]
    assert "7" != first[0]["actor"] and len(first[0]["actor"]) == 20
    assert tuple(first[0]) == tuple(column.name for column in USAGE_COLUMNS)
    assert "user_id" not in first[0]


def test_pseudonym_function_is_keyed():
    assert pseudonym(1, "a") == pseudonym(1, "a")
    assert pseudonym(1, "a") != pseudonym(1, "b")
    assert pseudonym(1, "a") != pseudonym(2, "a")


def test_cli_export_with_date_window(app, tmp_path):
    add_events([1], when=datetime(2026, 1, 10, tzinfo=UTC))
    add_events([2], when=datetime(2026, 2, 10, tzinfo=UTC))
    add_events([3], when=datetime(2026, 3, 10, tzinfo=UTC))
    out = tmp_path / "events.csv"
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "react",
            "export-usage",
            "--format",
            "csv",
            "--out",
            str(out),
            "--since",
            "2026-02-01",
            "--until",
            "2026-03-01",
        ]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 1
    assert rows[0]["actor"] == pseudonym(2, app.config["USAGE_PSEUDONYM_KEY"])
    assert rows[0]["occurred_at"].startswith("2026-02-10")


def test_cli_rejects_a_bad_date(app, tmp_path):
    result = app.test_cli_runner().invoke(
        args=["react", "export-usage", "--out", str(tmp_path / "x.csv"), "--since", "last tuesday"]
    )
    assert result.exit_code != 0
    assert "use a date like" in result.output
