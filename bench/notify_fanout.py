"""A forum reply costs the same with 500 followers as with none; the worker's delivery rate.

Run by hand:

    .venv/bin/python bench/notify_fanout.py
    .venv/bin/python bench/notify_fanout.py --followers 2000 --replies 30

On a new SQLite database in a temporary directory it makes two threads, one followed by
`--followers` relatives (by email) and one followed by nobody, then posts `--replies` replies to
each through the reply page, alternating, and reports the median time of each and their ratio
(1.0 means the followers cost the request nothing). Then it runs the outbox worker once, with
the memory mail backend, and reports how many notices it delivered per second (the fan-out job
expanded and every email handed over).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from bench.dashboard import RequestClient, _csrf  # noqa: E402
from react_toolkit import create_app  # noqa: E402
from react_toolkit.auth import roles as R  # noqa: E402
from react_toolkit.auth.forum_names import forum_name_key  # noqa: E402
from react_toolkit.auth.models import User, UserRole  # noqa: E402
from react_toolkit.auth.passwords import hash_password  # noqa: E402
from react_toolkit.config import for_tests  # noqa: E402
from react_toolkit.extensions import db  # noqa: E402
from react_toolkit.forum import services as forum  # noqa: E402
from react_toolkit.forum.models import ForumCategory, ThreadReader  # noqa: E402
from react_toolkit.notifications import worker  # noqa: E402
from react_toolkit.notifications.models import Notice  # noqa: E402
from react_toolkit.organisations.models import Site, Team  # noqa: E402

PASSWORD = "a long bench password 2026"  # noqa: S105 - a throwaway database


def _relative(site: Site, team: Team, number: int, password_hash: str) -> User:
    user = User(
        email=f"relative{number}@bench.example",
        full_name="",
        forum_name=f"Bench Relative {number}",
        forum_name_key=forum_name_key(f"Bench Relative {number}"),
        site_id=site.id,
        team_id=team.id,
        password_hash=password_hash,
    )
    user.role_rows.append(UserRole(role=R.RELATIVE))
    db.session.add(user)
    db.session.flush()
    return user


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=500)
    parser.add_argument("--replies", type=int, default=20)
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix="bench_notify_")
    app = create_app(
        for_tests(
            f"sqlite:///{directory}/bench.sqlite3",
            FORUM_FIRST_POSTS_HELD=0,
            FORUM_POST_INTERVAL_SECONDS=0,
            FORUM_NEW_MEMBER_INTERVAL_SECONDS=0,
            FORUM_DAILY_POSTS=100000,
            FORUM_NEW_MEMBER_DAILY_POSTS=100000,
        )
    )
    app.test_client_class = RequestClient
    with app.app_context():
        flask_migrate.upgrade()
        forum.seed_categories()
        site = Site(name="Bench trust", code="bench")
        db.session.add(site)
        db.session.flush()
        team = Team(site_id=site.id, name="Bench EIP team", caseload=100, crisis_phone="0300 555 0000")
        db.session.add(team)
        db.session.flush()
        password = hash_password(PASSWORD)
        author, opener = _relative(site, team, 0, password), _relative(site, team, 1, password)
        category = db.session.scalar(select(ForumCategory).order_by(ForumCategory.id))
        busy, _outcome = forum.create_thread(opener, category, "Followed by many", "Opening words.")
        quiet, _outcome = forum.create_thread(opener, category, "Followed by nobody", "Opening words.")
        people = [_relative(site, team, n, password) for n in range(2, args.followers + 2)]
        db.session.execute(
            insert(ThreadReader),
            [{"user_id": p.id, "thread_id": busy.id, "following": True, "email": True} for p in people],
        )
        db.session.commit()
        busy_id, quiet_id, email = busy.id, quiet.id, author.email

    client = app.test_client()
    signed_in = client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": _csrf(client)}
    )
    assert signed_in.status_code == 302, signed_in.status_code
    home = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', home).group(1)
    timings: dict[int, list[float]] = {busy_id: [], quiet_id: []}
    for number in range(args.replies):
        for thread_id in (busy_id, quiet_id):
            started = time.perf_counter()
            response = client.post(
                f"/forum/threads/{thread_id}/reply", data={"body": f"Reply {number}.", "csrf_token": token}
            )
            timings[thread_id].append(time.perf_counter() - started)
            location = response.headers.get("Location", "")
            assert response.status_code == 302 and f"/forum/threads/{thread_id}" in location
    busy_ms = statistics.median(timings[busy_id]) * 1000
    quiet_ms = statistics.median(timings[quiet_id]) * 1000
    print(f"reply, {args.followers} followers: median {busy_ms:.1f} ms")
    print(f"reply, no followers:  median {quiet_ms:.1f} ms")
    print(f"ratio (many / none): {busy_ms / quiet_ms:.2f}")

    with app.app_context():
        started = time.perf_counter()
        tally = worker.deliver_due()
        elapsed = time.perf_counter() - started
        left = db.session.scalar(select(db.func.count(Notice.id)).where(Notice.status != "sent"))
    print(
        f"worker: {tally.sent} notices from {tally.expanded} reply jobs in {elapsed:.2f} s "
        f"({tally.sent / elapsed:.0f} a second); {left} left unsent"
    )


if __name__ == "__main__":
    main()
