"""The dashboard's "Forum posts read by a person" figures, on a history built by hand.

The forum is moderated 9am to 5pm, Monday to Friday (London). The suite's clock stands at
Wednesday 18 November 2026, 10:30. Each post below says when it was written, when a moderator
read it, and how many moderated hours lay between; the right answers follow from those alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from react_toolkit.dashboard import figures
from react_toolkit.extensions import db
from react_toolkit.forum.models import ForumCategory, Post, QueueItem, Report, Thread

NOVEMBER = figures.Period(date(2026, 11, 1), date(2026, 12, 1))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)  # GMT: London time in November


@pytest.fixture
def history(app, create_site, create_team, create_user, clock):
    clock.set(at("2026-11-18 10:30"))
    site, elsewhere = create_site(), create_site()
    relative = create_user(team=create_team(site))
    stranger = create_user(team=create_team(elsewhere))
    moderator = create_user("moderator")
    category = ForumCategory(slug="coping", name="Coping")
    db.session.add(category)
    db.session.flush()
    thread = Thread(
        category_id=category.id, author_id=relative.id, title="Evenings", created_at=at("2026-10-01 09:00")
    )
    db.session.add(thread)
    db.session.flush()

    def write(
        written: str, read: str | None = None, *, by=relative, risk: str = "", reader=moderator
    ) -> Post:
        row = Post(
            thread_id=thread.id,
            author_id=by.id,
            body="Words.",
            created_at=at(written),
            reviewed_at=at(read) if read else None,
            reviewed_by_id=reader.id if read else None,
            risk_categories=risk,
        )
        db.session.add(row)
        db.session.flush()
        return row

    # Read within half a moderated hour.
    write("2026-11-16 10:00", "2026-11-16 10:30")
    # Monday 4:30pm, read Wednesday 9:30am: 0.5 + 8 + 0.5 = 9 moderated hours.
    write("2026-11-16 16:30", "2026-11-18 09:30")
    # Friday 4pm, read Monday 11am: 1 + 2 = 3 moderated hours.
    write("2026-11-13 16:00", "2026-11-16 11:00")
    # A risk post at 2am on Saturday, read at 9:30 on Monday: half a moderated hour, 55.5 hours by the clock.
    write("2026-11-14 02:00", "2026-11-16 09:30", risk="suicide_writer")
    # A risk post nobody has read: more than 24 moderated hours have gone by.
    write("2026-11-10 09:00", risk="self_harm")
    # Written half an hour ago: too soon to count against any limit.
    write("2026-11-18 10:00")
    # Reported as a risk: claimed after 20 minutes, read after exactly one moderated hour.
    reported = write("2026-11-17 11:00", "2026-11-17 12:00")
    db.session.add(Report(post_id=reported.id, reporter_id=stranger.id, kind="risk"))
    db.session.add(
        QueueItem(
            post_id=reported.id,
            reason="report",
            severity=3,
            risk=True,
            created_at=at("2026-11-17 11:00"),
            claimed_by_id=moderator.id,
            claimed_at=at("2026-11-17 11:20"),
        )
    )
    # Left out: a moderator's own post, read as it was written; a post in October; and, for the
    # site's figures, a post by a relative of another trust.
    write("2026-11-16 12:00", "2026-11-16 12:00", by=moderator, reader=moderator)
    write("2026-10-30 10:00", "2026-10-30 10:05")
    write("2026-11-17 14:00", "2026-11-17 14:10", by=stranger)
    db.session.commit()
    return {"site": site, "elsewhere": elsewhere}


def test_november_for_one_trust(history):
    (row,) = figures.forum_reading(NOVEMBER, figures.Scope((history["site"].id,)))
    assert row.month == date(2026, 11, 1)
    assert row.posts == 7
    assert row.read_within == {1: (3, 6), 4: (4, 6), 24: (5, 6)}
    assert row.unread == 2
    assert row.risk_posts == 3
    assert row.risk_waiting == 1
    # 20 minutes, and 55.5 hours.
    assert row.risk_action.n == 2
    assert row.risk_action.median == (1200 + 199800) / 2
    assert row.risk_action.p90 == pytest.approx(1200 + 0.9 * (199800 - 1200))


def test_every_trust_adds_the_other_trust_s_post(history):
    (row,) = figures.forum_reading(NOVEMBER, figures.Scope(None))
    assert row.posts == 8
    assert row.read_within == {1: (4, 7), 4: (5, 7), 24: (6, 7)}


def test_a_month_with_no_posts_shows_nothing_read_and_nothing_due(history):
    (row,) = figures.forum_reading(figures.Period(date(2026, 9, 1), date(2026, 10, 1)), figures.Scope(None))
    assert (row.posts, row.read_within, row.risk_posts, row.risk_action.n) == (
        0,
        {1: (0, 0), 4: (0, 0), 24: (0, 0)},
        0,
        0,
    )


def test_the_dashboard_shows_the_table(history, create_user, login):
    admin = login(create_user("admin"))
    text = admin.get("/dashboard?from=2026-11&to=2026-11").get_data(as_text=True)
    start = text.index('id="forum-reading-table"')
    table = text[start : text.index("</table>", start)]
    assert "November 2026" in table
    # Admins see exact counts: 8 posts; 4 of 7, 5 of 7 and 6 of 7 read in time.
    for shown in ("57%", "71%", "86%"):
        assert shown in table, shown
    start = text.index('id="forum-risk-table"')
    table = text[start : text.index("</table>", start)]
    # 3 risk posts (the other trust's relative wrote none) in 8 posts is 375 per 1,000.
    assert "375" in table
