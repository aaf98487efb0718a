"""A relative's copy of their own data: everything about them, nothing about anyone else, no staff notes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import event, select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.inbox import services as inbox_services
from react_toolkit.timeutil import local, now
from react_toolkit.usage.models import UsageEvent
from tests.auth.test_erasure import (
    EDITED_REPLY,
    ESCALATION,
    HELD_REPLY,
    HIDDEN_REPLY,
    HIDE_REASON,
    OTHER,
    SECRETS,
    STAFF_NOTE,
    STAFF_REPLY,
    THREAD_BODY,
    THREAD_TITLE,
    app,  # noqa: F401 - the forum settings these histories need
    kept_history,
)
from tests.forum.helpers import add_post

# Every part of the download, in the order of the file: each feature adds its own.
SECTIONS = [
    "profile",
    "sign_ins",
    "account_links",
    "second_factor",
    "trust_identities",
    "module_progress",
    "module_completions",
    "exercise_answers",
    "toolbox",
    "wellbeing_check_ins",
    "questionnaires",
    "support_map",
    "support_map_history",
    "support_needs",
    "support_suggestions",
    "page_feedback",
    "conversations",
    "forum_threads",
    "forum_posts",
    "forum_following",
    "forum_thanks",
    "forum_reports",
    "forum_restrictions",
    "invitations",
    "start_here",
    "usage_events",
    "usage_months",
    "notifications",
]


@pytest.fixture
def history(app, create_user, login, database_url, clock):  # noqa: F811
    return kept_history(app, create_user, login, database_url, clock, texts=[SECRETS])


@pytest.fixture
def other(app, create_user, login, database_url, clock, history):  # noqa: F811
    return kept_history(app, create_user, login, database_url, clock, texts=[SECRETS, OTHER])


def download(client) -> tuple[dict, str]:
    response = client.get("/account/data")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return json.loads(text), text


def test_download_is_an_uncached_dated_attachment(history):
    today = local(now()).date().isoformat()
    response = history.client.get("/account/data")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f"attachment; filename=react-my-data-{today}.json"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'href="/account/data"' in history.client.get("/account").get_data(as_text=True)


def test_export_holds_everything_about_the_relative(history):
    data, _ = download(history.client)
    user = history.user

    assert list(data) == ["about", "exported_at", *SECTIONS]
    assert list(data["about"]) == ["this file", *SECTIONS] and all(data["about"].values())
    profile = data["profile"]
    assert (profile["email"], profile["forum_name"]) == (SECRETS["email"], SECRETS["forum_name"])
    assert (profile["trust"], profile["team"]) == (user.site.name, user.team.name)
    assert profile["research_consent"] is True
    assert profile["research_consent_at"] and profile["terms_accepted_at"] and profile["created_at"]
    assert profile["last_sign_in_at"]
    assert data["sign_ins"] and data["account_links"][0]["purpose"] == "reset"
    assert data["second_factor"]["authenticator_app_set_up_at"] is None

    assert data["module_progress"] and all(row["marked_done_at"] for row in data["module_progress"])
    assert len(data["module_completions"]) == 1
    [answer] = data["exercise_answers"]
    assert answer == answer | {"question": history.exercise.prompt, "your_answer": SECRETS["answer"]}
    kinds = {item["kind"]: item for item in data["toolbox"]}
    assert set(kinds) == {"section", "note"}
    assert (kinds["note"]["title"], kinds["note"]["text"]) == (SECRETS["note_title"], SECRETS["note_text"])
    assert [row["total"] for row in data["wellbeing_check_ins"]] == [5]

    [conversation] = data["conversations"]
    assert conversation["subject"] == SECRETS["subject"]
    said = [(m["from"], m["text"]) for m in conversation["messages"] if m["from"] != "Automatic reply"]
    first_name = history.supporter.full_name.split(" ")[0]
    assert said == [
        ("You", SECRETS["message"]),
        (f"Your supporter ({first_name})", STAFF_REPLY),
        ("You", SECRETS["second_message"]),
    ]

    assert [t["title"] for t in data["forum_threads"]] == [THREAD_TITLE]
    posts = {p["text"]: p for p in data["forum_posts"]}
    assert set(posts) == {THREAD_BODY, EDITED_REPLY, HIDDEN_REPLY, HELD_REPLY}
    assert [v["text"] for v in posts[EDITED_REPLY]["earlier_versions"]] == [SECRETS["first_reply"]]
    assert (posts[HIDDEN_REPLY]["status"], posts[HIDDEN_REPLY]["hidden_reason"]) == ("hidden", HIDE_REASON)
    assert posts[HELD_REPLY]["status"] == "held" and posts[HELD_REPLY]["held_because"] == "risk"
    assert [r["your_note"] for r in data["forum_reports"]] == [SECRETS["report_note"]]
    assert [r["kind"] for r in data["forum_restrictions"]] == ["silence"]
    assert data["forum_following"][0]["thread_title"] == THREAD_TITLE
    [thanked] = data["forum_thanks"]
    assert thanked["post_id"] == history.other_post.id and thanked["thanked_at"]
    [invitation] = data["invitations"]
    assert invitation["email"] == SECRETS["email"] and invitation["team"] == user.team.name

    names = {event["event"] for event in data["usage_events"]}
    assert {"auth.registration.completed", "usage.page.viewed", "forum.post.created"} <= names
    pages = {event["page"] for event in data["usage_events"]}
    assert "/modules/<slug>/<int:number>" in pages
    assert all(event["device"] == "desktop" for event in data["usage_events"] if event["page"])
    assert [month["page_views"] for month in data["usage_months"]] == [12]


def test_export_leaves_out_staff_notes_and_staff_only_conversations(history):
    _, text = download(history.client)
    assert STAFF_NOTE not in text
    assert ESCALATION not in text
    assert "A forum moderator is worried" not in text
    assert "Cooling off" not in text  # a moderator's reason for pausing posting is their note


def test_export_holds_nothing_of_another_relative(history, other):
    add_post(history.thread, other.user, "A reply from the harbour robin household")
    mine, mine_text = download(history.client)
    theirs, theirs_text = download(other.client)

    for secret in OTHER.values():
        assert secret not in mine_text
    for secret in SECRETS.values():
        assert secret not in theirs_text
    assert "harbour robin household" not in mine_text
    assert theirs["profile"]["email"] == OTHER["email"]
    assert len(mine["conversations"]) == len(theirs["conversations"]) == 1


@pytest.mark.parametrize("query", [{"user_id": "{other}"}, {"id": "{other}"}, {"email": "{email}"}])
def test_asking_for_someone_else_still_gives_your_own(history, other, query):
    asked = {k: v.format(other=other.user.id, email=OTHER["email"]) for k, v in query.items()}
    response = history.client.get("/account/data", query_string=asked)
    data = response.get_json()
    assert data["profile"]["email"] == SECRETS["email"]
    assert OTHER["email"] not in response.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/account/data")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", [R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER, R.ADMIN])
def test_staff_get_404(client, create_user, login, role):
    login(create_user(role))
    assert client.get("/account/data").status_code == 404
    assert "Download your data" not in client.get("/account").get_data(as_text=True)


def test_downloading_changes_nothing(history):
    def state() -> dict:
        rows = {}
        with db.engine.connect() as connection:
            for table in db.metadata.sorted_tables:
                if table.name != "user_sessions":  # last seen times move on with any request
                    rows[table.name] = sorted(repr(tuple(row)) for row in connection.execute(table.select()))
        return rows

    before = state()
    events = db.session.scalar(select(UsageEvent.id).order_by(UsageEvent.id.desc()).limit(1))
    download(history.client)
    assert state() == before
    assert db.session.scalar(select(UsageEvent.id).order_by(UsageEvent.id.desc()).limit(1)) == events


def _queries_for_download(client) -> int:
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        download(client)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_download_does_not_read_row_by_row(history, create_user):
    """More conversations, answered by more supporters, add no queries: teams and authors load with the rows."""
    before = _queries_for_download(history.client)
    for n in range(3):
        conversation, _ = inbox_services.start_conversation(history.user, f"Question {n}", "Is this normal?")
        supporter = create_user(R.SUPPORTER, team=history.user.team)
        inbox_services.staff_reply(supporter, conversation, "Thank you for asking.", 10**9)
    assert _queries_for_download(history.client) == before
