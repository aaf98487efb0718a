"""A long conversation costs the same number of SQL queries to show as a short one."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.inbox.models import Conversation, Message


def long_conversation(relative, supporters, size: int) -> int:
    """`size` messages: relative and staff turns, and a staff note every tenth message."""
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    conversation = Conversation(
        relative_id=relative.id,
        team_id=relative.team_id,
        subject=f"A conversation of {size} messages",
        created_at=start,
        last_message_at=start + timedelta(minutes=size),
    )
    db.session.add(conversation)
    db.session.flush()
    for number in range(size):
        supporter = supporters[number % len(supporters)]
        if number % 10 == 9:
            kind, author = "note", supporter
        elif number % 2 == 0:
            kind, author = "relative", relative
        else:
            kind, author = "staff", supporter
        db.session.add(
            Message(
                conversation_id=conversation.id,
                author_id=author.id,
                kind=kind,
                body=f"Message number {number} of {size}",
                created_at=start + timedelta(minutes=number),
            )
        )
    db.session.commit()
    return conversation.id


def statements_for(client, path: str) -> list[str]:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        response = client.get(path)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert response.status_code == 200, path
    return seen


@pytest.fixture
def pair(app, create_team, create_user, login):
    team = create_team()
    relative = create_user(R.RELATIVE, team=team)
    supporters = [create_user(R.SUPPORTER, team=team) for _ in range(3)]
    short = long_conversation(relative, supporters, 20)
    long = long_conversation(relative, supporters, 200)
    return {
        "short": short,
        "long": long,
        "relative": login(relative, the_client=app.test_client()),
        "supporter": login(supporters[0], the_client=app.test_client()),
    }


@pytest.mark.parametrize(
    ("who", "path", "last_shown"),
    [
        ("supporter", "/inbox/{}", "Message number 199 of 200"),
        ("relative", "/messages/{}", "Message number 198 of 200"),
    ],
)
def test_query_count_does_not_grow_with_the_conversation(pair, who, path, last_shown):
    client = pair[who]
    # Warm up both pages once, so caches and first-visit work are out of the way.
    client.get(path.format(pair["short"]))
    client.get(path.format(pair["long"]))

    short = statements_for(client, path.format(pair["short"]))
    long = statements_for(client, path.format(pair["long"]))
    html = client.get(path.format(pair["long"])).get_data(as_text=True)
    assert html.count(last_shown) == 1
    assert ("Message number 199 of 200" in html) is (who == "supporter")  # notes are for staff only
    extra = Counter(long) - Counter(short)
    assert len(long) == len(short), (
        f"{len(short)} queries for 20 messages but {len(long)} for 200; the extra ones, with counts:\n"
        + "\n".join(f"{n} x {statement[:300]}" for statement, n in extra.most_common(5))
    )


def test_the_team_inbox_counts_every_filter_and_reads_no_closed_conversation(app, create_team, create_user):

    from react_toolkit.inbox import services
    from react_toolkit.inbox.models import CLOSED, OPEN, WAITING

    team, elsewhere = create_team(), create_team()
    relative = create_user(R.RELATIVE, team=team)
    supporter, colleague = create_user(R.SUPPORTER, team=team), create_user(R.SUPPORTER, team=team)
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    rows = [
        (team, OPEN, None, True),
        (team, OPEN, supporter, False),
        (team, WAITING, colleague, False),
        (team, WAITING, None, True),
        (team, CLOSED, None, True),
        (team, CLOSED, supporter, False),
        (team, CLOSED, None, False),
        (elsewhere, OPEN, None, True),
    ]
    for n, (where, status, assigned, urgent) in enumerate(rows):
        db.session.add(
            Conversation(
                relative_id=relative.id,
                team_id=where.id,
                subject=f"Conversation {n}",
                status=status,
                assigned_to_id=assigned.id if assigned else None,
                urgent=urgent,
                created_at=start,
                last_message_at=start,
                waiting_since=start if status == OPEN else None,
            )
        )
    db.session.commit()

    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        _shown, counts = services.team_inbox(db.session.get(type(supporter), supporter.id), "waiting_for_us")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert counts == {
        "unassigned": 2,
        "mine": 1,
        "urgent": 2,
        "waiting_for_us": 2,
        "waiting_for_relative": 2,
        "closed": 3,
    }
    # Closed conversations are counted, never aggregated row by row: every other figure leaves them out.
    figures = [s for s in seen if "sum(" in s.lower() and "conversations" in s]
    assert figures and all("status in" in " ".join(s.lower().split()) for s in figures), figures
