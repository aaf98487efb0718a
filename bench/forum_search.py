"""Time forum search over 100,000 posts, on SQLite (FTS5) and PostgreSQL (text search).

Run by hand:

    .venv/bin/python bench/forum_search.py
    .venv/bin/python bench/forum_search.py --backends sqlite --posts 20000

PostgreSQL is taken from BENCH_DATABASE_URL (default: a database named `bench_forum_search`
on 127.0.0.1:5432, created if missing) and is emptied first; SQLite is a new file in a
temporary directory. For each backend the script migrates an empty database, writes the
posts with bulk inserts (the index is filled by the same triggers as in the service), 200
authors, 5,000 threads of 20 posts in the five national categories plus one site's own
category, with a share of held, hidden and deleted posts, then signs a relative in and asks
for /forum/search with a few typical searches. It reports, per search, the median and 95th
percentile of the whole page's time in the app and of the search alone (the matching,
counting, ranking and snippets), and how many SQL statements one page sends; the target is
100 ms. On PostgreSQL the tables are vacuumed and analysed after the load, as autovacuum
would have them in service.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bench.dashboard import RequestClient, _csrf  # noqa: E402
from bench.postgres import fresh_postgres  # noqa: E402
from react_toolkit import create_app  # noqa: E402
from react_toolkit.config import BASE_DIR, for_tests  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_forum_search"
TARGET_MS = 100
SEARCHES = (
    "sleep",
    "medication side effects",
    "hospital",
    "voices at night",
    "care coordinator",
    "clozapine",
)


def _sentences() -> list[str]:
    """The sentences of the English modules: posts made of them use the words relatives read here,
    about as often as these pages use them."""
    sentences = []
    for path in sorted((BASE_DIR / "content" / "modules").glob("*.md")):
        text = path.read_text(encoding="utf-8").split("---", 2)[-1]
        for line in text.splitlines():
            line = line.strip().lstrip("#>*- ").strip()
            sentences.extend(
                part.strip() for part in re.split(r"(?<=[.!?])\s+", line) if len(part.split()) >= 4
            )
    return sentences


def _body(rng: random.Random, sentences: list[str]) -> str:
    return " ".join(rng.choice(sentences) for _ in range(rng.randint(2, 6)))


def build(app, posts: int, seed: int = 7, days: int | None = None) -> dict:
    """Authors, threads and posts written with bulk inserts; returns a relative to search as.

    New threads start 90 minutes apart from a year ago, or, given `days`, evenly over that many days.
    """
    from react_toolkit.auth import roles as R
    from react_toolkit.auth.forum_names import forum_name_key
    from react_toolkit.auth.models import User, UserRole
    from react_toolkit.auth.passwords import hash_password
    from react_toolkit.extensions import db
    from react_toolkit.forum.models import DELETED, HELD, HIDDEN, PUBLISHED, ForumCategory, Post, Thread
    from react_toolkit.forum.services import add_category, seed_categories
    from react_toolkit.organisations.models import Site, Team
    from react_toolkit.timeutil import now

    rng = random.Random(seed)
    sentences = _sentences()
    seed_categories()
    site = Site(name="Bench trust", code="BENCH")
    db.session.add(site)
    db.session.flush()
    team = Team(name="Bench EIP team", site_id=site.id, timezone="Europe/London")
    db.session.add(team)
    db.session.commit()
    add_category("Bench local", "Only the bench trust's members.", site_code="BENCH")
    categories = list(db.session.scalars(select(ForumCategory.id).order_by(ForumCategory.id)))
    password = hash_password("bench-password")
    authors = []
    for n in range(200):
        user = User(
            email=f"bench-author-{n}@example.org",
            password_hash=password,
            full_name="",
            forum_name=f"Bench Author {n}",
            forum_name_key=forum_name_key(f"Bench Author {n}"),
            site_id=site.id,
            team_id=team.id,
        )
        user.role_rows.append(UserRole(role=R.RELATIVE))
        authors.append(user)
    reader = User(
        email="bench-reader@example.org",
        password_hash=password,
        full_name="",
        forum_name="Bench Reader",
        forum_name_key=forum_name_key("Bench Reader"),
    )
    reader.role_rows.append(UserRole(role=R.RELATIVE))
    db.session.add_all([*authors, reader])
    db.session.commit()
    author_ids = [a.id for a in authors]

    per_thread = 20
    threads = posts // per_thread
    start = now() - timedelta(days=days or 365)
    apart = (days * 24 * 60 - per_thread) / max(threads, 1) if days else 90
    thread_rows = [
        {
            "category_id": rng.choice(categories),
            "author_id": rng.choice(author_ids),
            "title": rng.choice(sentences)[:140],
            "created_at": start + timedelta(minutes=n * apart),
            "last_post_at": start + timedelta(minutes=n * apart + per_thread),
            "reply_count": per_thread - 1,
            "locked": False,
            "visible": rng.random() > 0.01,
        }
        for n in range(threads)
    ]
    db.session.execute(insert(Thread), thread_rows)
    db.session.commit()
    thread_ids = list(db.session.scalars(select(Thread.id).order_by(Thread.id)))
    statuses = [PUBLISHED] * 94 + [HELD] * 2 + [HIDDEN] * 2 + [DELETED] * 2
    batch = []
    written = 0
    for index, thread_id in enumerate(thread_ids):
        for n in range(per_thread):
            batch.append(
                {
                    "thread_id": thread_id,
                    "author_id": rng.choice(author_ids),
                    "body": _body(rng, sentences),
                    "status": PUBLISHED if n == 0 else rng.choice(statuses),
                    "held_because": "",
                    "risk_categories": "",
                    "risk_score": 0.0,
                    "hidden_reason": "",
                    "created_at": start + timedelta(minutes=index * apart + n),
                }
            )
        if len(batch) >= 5000:
            db.session.execute(insert(Post), batch)
            db.session.commit()
            written += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(Post), batch)
        db.session.commit()
        written += len(batch)
    return {"reader": reader.email, "posts": written, "threads": len(thread_ids)}


def _sign_in(app, email: str):
    client = app.test_client()
    response = client.post(
        "/sign-in", data={"email": email, "password": "bench-password", "csrf_token": _csrf(client)}
    )
    assert response.status_code == 302, response.status_code
    return client


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def _statements(app, client, words: str) -> int:
    """How many SQL statements one search page sends."""
    from sqlalchemy import event

    from react_toolkit.extensions import db

    sent = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get("/forum/search", query_string={"q": words})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(sent)


def time_searches(app, email: str, runs: int) -> list[dict]:
    from react_toolkit.auth.models import User
    from react_toolkit.extensions import db
    from react_toolkit.forum import services

    client = _sign_in(app, email)
    results = []
    for words in SEARCHES:
        client.get("/forum/search", query_string={"q": words})  # warm caches and templates
        statements = _statements(app, client, words)
        pages, alone, more = [], [], False
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get("/forum/search", query_string={"q": words})
            pages.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        with app.test_request_context():
            user = db.session.scalar(select(User).where(User.email == email))
            for _ in range(runs):
                started = time.perf_counter()
                found, _words = services.search_posts(user, words, 1)
                total, more = found.total, found.more
                alone.append((time.perf_counter() - started) * 1000)
            db.session.remove()
        page_median, page_p95 = _percentiles(pages)
        median, p95 = _percentiles(alone)
        results.append(
            {
                "search": words,
                "found": f"{total:,}{'+' if more else ''}",
                "statements": statements,
                "page": (page_median, page_p95),
                "search_only": (median, p95),
            }
        )
    return results


def run(backend: str, url: str, posts: int, runs: int) -> None:
    from flask_migrate import upgrade

    from react_toolkit.extensions import db
    from react_toolkit.forum.models import Post

    app = create_app(for_tests(url, MAIL_BACKEND="memory"))
    app.test_client_class = RequestClient
    with app.app_context():
        upgrade(directory=str(BASE_DIR / "migrations"))
        started = time.perf_counter()
        built = build(app, posts)
        seconds = time.perf_counter() - started
        if backend == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
        count = db.session.scalar(select(func.count()).select_from(Post))
        db.session.remove()
    print(
        f"{backend}: {count:,} posts in {built['threads']:,} threads written and indexed in {seconds:.0f} s",
        flush=True,
    )
    for row in time_searches(app, built["reader"], runs):
        print(
            f"  {backend:10} {row['search']!r:28} {row['found']:>7} found   page median {row['page'][0]:6.1f} ms"
            f"  p95 {row['page'][1]:6.1f} ms   search alone median {row['search_only'][0]:6.1f} ms"
            f"  p95 {row['search_only'][1]:6.1f} ms   {row['statements']} SQL statements a page"
            f"   (target {TARGET_MS} ms)",
            flush=True,
        )
    with app.app_context():
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory() as folder:
                run(backend, f"sqlite:///{folder}/bench.sqlite3", args.posts, args.runs)
        else:
            url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
            fresh_postgres(url)
            run(backend, url, args.posts, args.runs)


if __name__ == "__main__":
    main()
