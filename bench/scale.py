"""Time the busiest pages as the data grows, on SQLite and PostgreSQL: each should stay flat.

Run by hand (the full sizes take a long while and several GB of disk):

    .venv/bin/python bench/scale.py
    .venv/bin/python bench/scale.py --sizes 1000,10000,100000 --backends sqlite

A size is a number of forum posts; everything else grows with it in the same shape: threads of
20 posts (bench/forum_search.py writes them, over two years), one relative per 100 posts (at
least 200), a conversation of 10 messages for every 20 posts in the inboxes of four teams, a
moderation item (resolved, some with a report) for every 100 posts, and 5 usage events per post,
in visits of 5 page views, spread over 24 months and rolled up for the dashboard. What does not
grow with history stays the same at every size: 30 items open in the moderation queue, 200 posts
no moderator has read yet, and 40 conversations per team not closed.

PostgreSQL is taken from BENCH_DATABASE_URL (default: a database named `bench_scale` on
127.0.0.1:5432, created if missing) and is emptied before each size; SQLite is a new file in a
temporary directory. After loading, the database is analysed. Each page is then requested in the
app (no HTTP), signed in as the role that uses it, and the median of `--runs` requests is kept.
The research export (all usage events, CSV) is made in a child process, once per size, which
reports its time and how much its peak resident memory grew while it ran: it should grow linearly
in time and not at all in memory. The target for every other page: its time at the largest size
at most 1.5 times its time at the smallest.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, update  # noqa: E402

from bench.dashboard import RequestClient, _time_page  # noqa: E402
from bench.forum_search import SEARCHES, _sign_in  # noqa: E402
from bench.forum_search import build as build_forum  # noqa: E402
from bench.postgres import fresh_postgres  # noqa: E402
from react_toolkit import create_app  # noqa: E402
from react_toolkit.auth.models import User  # noqa: E402
from react_toolkit.config import BASE_DIR, for_tests  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_scale"
DEFAULT_SIZES = "1000,100000,1000000"
TARGET_RATIO = 1.5
MONTHS = 24
OPEN_QUEUE_ITEMS = 30
UNREAD_POSTS = 200
OPEN_PER_TEAM = 40
TEAMS = 4
BATCH = 20_000
PAGES = (
    ("forum index", "relative"),
    ("category", "relative"),
    ("thread", "relative"),
    ("team inbox", "supporter"),
    ("conversation", "supporter"),
    ("moderation queue", "moderator"),
    ("search", "relative"),
    ("dashboard", "admin"),
)


def _write(table, rows: list[dict]) -> None:
    from react_toolkit.extensions import db

    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])
        db.session.commit()


def _people(site_id: int, teams: list[int], relatives: int) -> dict:
    """Relatives beyond the forum's authors, and one member of staff for each role timed."""
    from react_toolkit.auth import roles as R
    from react_toolkit.auth.models import User, UserRole
    from react_toolkit.auth.passwords import hash_password
    from react_toolkit.extensions import db

    password = hash_password("bench-password")
    _write(
        User,
        [
            {
                "email": f"bench-relative-{n}@example.org",
                "password_hash": password,
                "full_name": "",
                "site_id": site_id,
                "team_id": teams[n % len(teams)],
                "research_consent": True,
            }
            for n in range(relatives)
        ],
    )
    db.session.execute(update(User).where(User.email.like("bench-author-%")).values(research_consent=True))
    ids = list(db.session.scalars(select(User.id).where(User.email.like("bench-relative-%"))))
    _write(UserRole, [{"user_id": user_id, "role": R.RELATIVE} for user_id in ids])
    staff = {}
    for role, team_id in (
        ("supporter", teams[0]),
        ("moderator", None),
        ("admin", None),
        ("researcher", None),
    ):
        user = User(
            email=f"bench-{role}@example.org",
            password_hash=password,
            full_name="",
            site_id=site_id if team_id else None,
            team_id=team_id,
        )
        user.role_rows.append(UserRole(role=role))
        db.session.add(user)
        staff[role] = user
    db.session.commit()
    relatives = list(
        db.session.scalars(
            select(User.id).where(
                User.email.like("bench-%"),
                User.id.not_in(select(UserRole.user_id).where(UserRole.role != R.RELATIVE)),
            )
        )
    )
    return {"relatives": relatives, **{role: user.id for role, user in staff.items()}}


def _conversations(rng: random.Random, people: dict, teams: list[int], count: int) -> None:
    """Conversations of 10 messages, all closed but the latest few of each team."""
    from react_toolkit.extensions import db
    from react_toolkit.inbox.models import CLOSED, OPEN, WAITING, Conversation, Message
    from react_toolkit.timeutil import now

    moment = now()
    start = moment - timedelta(days=30 * MONTHS)
    apart = (moment - start - timedelta(days=1)) / max(count, 1)
    rows = []
    for n in range(count):
        created = start + apart * n
        last = created + timedelta(hours=10)
        is_open = n >= count - OPEN_PER_TEAM * len(teams)
        status = rng.choice((OPEN, OPEN, WAITING)) if is_open else CLOSED
        rows.append(
            {
                "relative_id": rng.choice(people["relatives"]),
                "team_id": teams[n % len(teams)],
                "subject": "A question about my son",
                "status": status,
                "urgent": is_open and rng.random() < 0.1,
                "staff_only": False,
                "assigned_to_id": people["supporter"] if rng.random() < 0.5 else None,
                "created_at": created,
                "last_message_at": last,
                "waiting_since": last if status == OPEN else None,
                "first_response_at": created + timedelta(hours=2),
                "first_response_seconds": 7200,
                "closed_at": None if is_open else last + timedelta(days=1),
            }
        )
    _write(Conversation, rows)
    ids = list(db.session.scalars(select(Conversation.id).order_by(Conversation.id)))
    batch: list[dict] = []
    for conversation_id, row in zip(ids, rows, strict=True):
        for m in range(10):
            staff = m % 2 == 1
            batch.append(
                {
                    "conversation_id": conversation_id,
                    "author_id": people["supporter"] if staff else row["relative_id"],
                    "kind": "staff" if staff else "relative",
                    "body": "Thank you for writing. We can talk about this at the next family meeting.",
                    "risk": False,
                    "created_at": row["created_at"] + timedelta(hours=m),
                }
            )
        if len(batch) >= BATCH:
            _write(Message, batch)
            batch = []
    _write(Message, batch)


def _moderation(rng: random.Random, moderator_id: int, reporter_id: int) -> None:
    """Resolved items for one post in a hundred, a fixed number open; all but the latest posts read."""
    from react_toolkit.extensions import db
    from react_toolkit.forum.models import Post, QueueItem, Report

    newest = db.session.scalar(select(func.max(Post.id)))
    unread_from = newest - UNREAD_POSTS
    db.session.execute(
        update(Post)
        .where(Post.id <= unread_from)
        .values(reviewed_at=Post.created_at, reviewed_by_id=moderator_id)
    )
    db.session.commit()
    posts = list(
        db.session.execute(select(Post.id, Post.created_at).where(Post.id % 100 == 0).order_by(Post.id))
    )
    recent = list(
        db.session.execute(select(Post.id, Post.created_at).order_by(Post.id.desc()).limit(OPEN_QUEUE_ITEMS))
    )
    items, reports = [], []
    for (post_id, created), open_item in [(row, False) for row in posts] + [(row, True) for row in recent]:
        reason = rng.choice(("held", "report", "risk"))
        if reason == "report":
            reports.append(
                {
                    "post_id": post_id,
                    "reporter_id": reporter_id,
                    "kind": "unkind",
                    "note": "",
                    "created_at": created,
                }
            )
        items.append(
            {
                "post_id": post_id,
                "reason": reason,
                "severity": {"held": 1, "report": 2, "risk": 3}[reason],
                "risk": reason == "risk",
                "created_at": created,
                "resolved_at": None if open_item else created + timedelta(hours=3),
                "resolved_by_id": None if open_item else moderator_id,
                "resolution": "" if open_item else "approved",
            }
        )
    _write(QueueItem, items)
    _write(Report, reports)


def _usage(rng: random.Random, people: dict, site_id: int, teams: list[int], count: int) -> None:
    """Page views in visits of five, by relatives, spread evenly over the months."""
    from flask import current_app

    from react_toolkit.dashboard.simulate import ROUTE_WEIGHTS
    from react_toolkit.extensions import db
    from react_toolkit.timeutil import now
    from react_toolkit.usage.models import UsageEvent
    from react_toolkit.usage.recorder import PAGE_VIEWED, event_row

    rules = {rule.endpoint: rule.rule for rule in current_app.url_map.iter_rules()}
    routes = [rules[name] for name in ROUTE_WEIGHTS if name in rules]
    weights = [ROUTE_WEIGHTS[name] for name in ROUTE_WEIGHTS if name in rules]
    moment = now() - timedelta(hours=1)
    start = moment - timedelta(days=30 * MONTHS)
    visits = max(1, count // 5)
    apart = (moment - start) / visits
    relatives = people["relatives"]
    batch: list[dict] = []
    for visit in range(visits):
        user_id = relatives[visit % len(relatives)]
        at = start + apart * visit
        session = hashlib.sha256(f"{user_id}:{visit}".encode()).hexdigest()[:32]
        for view in range(5):
            batch.append(
                event_row(
                    PAGE_VIEWED,
                    at + timedelta(seconds=40 * view),
                    user_id=user_id,
                    roles="relative",
                    site_id=site_id,
                    team_id=teams[user_id % len(teams)],
                    route=rng.choices(routes, weights)[0],
                    session_hash=session,
                    device="mobile" if visit % 3 else "desktop",
                    status=200,
                )
            )
        if len(batch) >= BATCH:
            db.session.execute(insert(UsageEvent), batch)
            db.session.commit()
            batch = []
    _write(UsageEvent, batch)


def build(posts: int) -> dict:
    """The whole database for one size; returns who to sign in as and what to ask for."""
    from react_toolkit.dashboard.rollup import refresh
    from react_toolkit.extensions import db
    from react_toolkit.organisations.models import Site, Team

    rng = random.Random(posts)
    forum = build_forum(None, posts, seed=posts, days=30 * MONTHS)
    site = db.session.scalar(select(Site).where(Site.code == "BENCH"))
    first = db.session.scalar(select(Team.id).where(Team.site_id == site.id))
    for n in range(1, TEAMS):
        db.session.add(Team(name=f"Bench EIP team {n + 1}", site_id=site.id, timezone="Europe/London"))
    db.session.commit()
    teams = [first, *db.session.scalars(select(Team.id).where(Team.site_id == site.id, Team.id != first))]
    people = _people(site.id, teams, max(0, posts // 100 - 200))
    _conversations(rng, people, teams, posts // 20)
    _moderation(rng, people["moderator"], people["relatives"][0])
    _usage(rng, people, site.id, teams, posts * 5)
    refresh(full=True)
    return targets(forum["reader"])


def targets(reader: str) -> dict:
    """Who to sign in as for each page, and the address of each page, in a built database."""
    from react_toolkit.extensions import db
    from react_toolkit.forum.models import ForumCategory, Thread
    from react_toolkit.inbox.models import Conversation

    supporter_team = select(User.team_id).where(User.email == "bench-supporter@example.org").scalar_subquery()
    busiest = db.session.execute(
        select(ForumCategory.slug)
        .join(Thread, Thread.category_id == ForumCategory.id)
        .where(ForumCategory.site_id.is_(None))
        .group_by(ForumCategory.slug)
        .order_by(func.count().desc())
        .limit(1)
    ).scalar()
    thread_id = db.session.scalar(select(func.max(Thread.id)).where(Thread.visible))
    conversation_id = db.session.scalar(
        select(func.max(Conversation.id)).where(Conversation.team_id == supporter_team)
    )
    return {
        "emails": {
            "relative": reader,
            **{
                role: f"bench-{role}@example.org"
                for role in ("supporter", "moderator", "admin", "researcher")
            },
        },
        "paths": {
            "forum index": "/forum",
            "category": f"/forum/{busiest}",
            "thread": f"/forum/threads/{thread_id}",
            "team inbox": "/inbox",
            "conversation": f"/inbox/{conversation_id}",
            "moderation queue": "/moderation",
            "search": f"/forum/search?q={SEARCHES[0]}",
            "dashboard": "/dashboard",
        },
    }


def _analyse(backend: str) -> None:
    from react_toolkit.extensions import db

    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE")


def _app(url: str):
    # Staff sign in with a password alone: the pages are measured here, not the second factor.
    app = create_app(for_tests(url, MAIL_BACKEND="memory", STAFF_MFA="off"))
    app.test_client_class = RequestClient
    return app


def _peak_mb() -> float:
    """This process's peak resident memory in MB. Linux's VmHWM starts afresh at exec, where
    getrusage's maxrss would carry over the peak of the parent that built the data."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_once(url: str) -> dict:
    """One usage CSV export as the researcher, read to the end: its time, size and memory growth."""
    app = _app(url)
    client = _sign_in(app, "bench-researcher@example.org")
    page = client.get("/research/exports").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    before = _peak_mb()
    started = time.perf_counter()
    response = client.post(
        "/research/exports",
        data={"kind": "usage", "format": "csv", "since": "", "until": "", "csrf_token": token},
        buffered=False,
    )
    assert response.status_code == 200, response.status_code
    size = sum(len(chunk) for chunk in response.iter_encoded())
    response.close()
    seconds = time.perf_counter() - started
    after = _peak_mb()
    return {"seconds": seconds, "bytes": size, "peak_growth_mb": after - before, "peak_mb": after}


def run_size(backend: str, url: str, posts: int, runs: int) -> dict:
    from flask_migrate import upgrade

    from react_toolkit.extensions import db

    app = _app(url)
    with app.app_context():
        upgrade(directory=str(BASE_DIR / "migrations"))
        started = time.perf_counter()
        built = build(posts)
        _analyse(backend)
        seconds = time.perf_counter() - started
        db.session.remove()
    print(f"{backend}: {posts:,} posts built and analysed in {seconds:.0f} s", flush=True)
    return {"build_s": seconds, **time_pages(app, url, built, runs)}


def time_pages(app, url: str, built: dict, runs: int) -> dict:
    """The median time of each page, and one export made in a child process."""
    from react_toolkit.extensions import db

    times = {}
    clients = {}
    for page, role in PAGES:
        if role not in clients:
            clients[role] = _sign_in(app, built["emails"][role])
        times[page] = _time_page(clients[role], built["paths"][page], runs)[0]
        print(f"  {page:18} {times[page]:8.1f} ms", flush=True)
    with app.app_context():
        db.engine.dispose()
    probe = subprocess.run(  # noqa: S603 - this script, with a URL it was given
        [sys.executable, __file__, "--export-from", url], stdout=subprocess.PIPE, text=True, check=True
    )
    export = json.loads(probe.stdout.strip().splitlines()[-1])
    print(
        f"  {'export':18} {export['seconds'] * 1000:8.1f} ms  {export['bytes'] / 1e6:.1f} MB"
        f"  peak memory grew {export['peak_growth_mb']:.1f} MB, to {export['peak_mb']:.0f} MB",
        flush=True,
    )
    return {"times": times, "export": export}


def report(backend: str, sizes: list[int], results: dict[int, dict]) -> None:
    """A Markdown table: each page at each size, the ratio largest/smallest, pass or fail."""
    small, large = sizes[0], sizes[-1]
    heads = " | ".join(f"{size:,} posts" for size in sizes)
    print(f"\n### {backend}\n\n| page | {heads} | ratio | 1.5x |")
    print("| --- |" + " ---: |" * (len(sizes) + 2))
    for page, _role in PAGES:
        cells = " | ".join(f"{results[size]['times'][page]:.1f} ms" for size in sizes)
        ratio = results[large]["times"][page] / results[small]["times"][page]
        print(f"| {page} | {cells} | {ratio:.2f} | {'pass' if ratio <= TARGET_RATIO else 'FAIL'} |")
    cells = " | ".join(f"{results[size]['export']['seconds']:.2f} s" for size in sizes)
    ratio = results[large]["export"]["seconds"] / results[small]["export"]["seconds"]
    print(f"| export (time) | {cells} | {ratio:.0f} | linear |")
    cells = " | ".join(f"{results[size]['export']['peak_growth_mb']:.1f} MB" for size in sizes)
    print(f"| export (peak memory growth) | {cells} | | |")
    cells = " | ".join(f"{results[size]['export']['peak_mb']:.0f} MB" for size in sizes)
    print(f"| export (process peak memory) | {cells} | | |")
    cells = " | ".join(f"{results[size]['export']['bytes'] / 1e6:.1f} MB" for size in sizes)
    print(f"| export (file) | {cells} | | |")
    cells = " | ".join(f"{results[size]['build_s']:.0f} s" for size in sizes)
    print(f"| build and analyse | {cells} | | |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="forum posts at each size, smallest first")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep each SQLite database and say where")
    parser.add_argument(
        "--time-only",
        metavar="DATABASE_URL",
        help="Only time the pages on a database an earlier run built (after a change to the app).",
    )
    parser.add_argument("--export-from", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_from:
        print(json.dumps(export_once(args.export_from)))
        return
    if args.time_only:
        app = _app(args.time_only)
        with app.app_context():
            built = targets("bench-reader@example.org")
        time_pages(app, args.time_only, built, args.runs)
        return
    sizes = sorted(int(size) for size in args.sizes.split(","))
    for backend in args.backends.split(","):
        results = {}
        for posts in sizes:
            if backend == "sqlite":
                folder = tempfile.mkdtemp(prefix="react-scale-")
                try:
                    results[posts] = run_size(backend, f"sqlite:///{folder}/bench.sqlite3", posts, args.runs)
                finally:
                    if args.keep:
                        print(f"  kept sqlite:///{folder}/bench.sqlite3", flush=True)
                    else:
                        shutil.rmtree(folder)
            else:
                url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
                fresh_postgres(url)
                results[posts] = run_size(backend, url, posts, args.runs)
        report(backend, sizes, results)


if __name__ == "__main__":
    main()
