"""Time the implementation dashboard over 1 million and 5 million usage events, on SQLite and PostgreSQL.

Run by hand (it takes a while: the history is written through the app's services):

    .venv/bin/python bench/dashboard.py
    .venv/bin/python bench/dashboard.py --backends sqlite --sizes 1000000

PostgreSQL is taken from BENCH_DATABASE_URL (default: a database named `bench`
on 127.0.0.1:5432, created if missing) and is emptied first. For each backend,
the script migrates an empty database, loads the content, runs
`flask react simulate` up to each size, brings the roll-ups up to date and then
requests /dashboard as an admin (every site) and as a site lead (one site).
It reports the median and 95th percentile of the page's time in the app, which
is what the targets (300 ms at 1M, 1 s at 5M) are about; HTTP overhead is left out.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask.ctx import _cv_app  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench.http_bench import pass_second_factor  # noqa: E402
from bench.postgres import fresh_postgres  # noqa: E402
from react_toolkit import create_app  # noqa: E402
from react_toolkit.config import BASE_DIR, for_tests  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/bench"
TARGETS_MS = {1_000_000: 300, 5_000_000: 1000}


class RequestClient(FlaskClient):
    """Gives each request its own app context, as in production, although the script holds one open."""

    def open(self, *args, **kwargs):
        hidden = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(hidden)


def _time_page(client, path: str, runs: int) -> tuple[float, float]:
    client.get(path)  # warm caches and templates
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def run(backend: str, url: str, sizes: list[int], months: int, runs: int) -> list[dict]:
    from flask_migrate import upgrade

    from react_toolkit.auth import roles as R
    from react_toolkit.auth.models import User, UserRole
    from react_toolkit.auth.passwords import hash_password
    from react_toolkit.dashboard.rollup import refresh
    from react_toolkit.dashboard.simulate import simulate
    from react_toolkit.extensions import db
    from react_toolkit.forum.services import seed_categories
    from react_toolkit.modules.services import sync_content
    from react_toolkit.organisations.models import Site
    from react_toolkit.usage.models import UsageEvent

    # Cheap password hashing: the benchmark signs in; it does not measure argon2.
    app = create_app(for_tests(url, MAIL_BACKEND="memory"))
    app.test_client_class = RequestClient
    results = []
    with app.app_context():
        upgrade(directory=str(BASE_DIR / "migrations"))
        sync_content(BASE_DIR / "content")
        seed_categories()
        db.session.commit()
        for size in sizes:
            have = db.session.scalar(select(func.count()).select_from(UsageEvent))
            started = time.perf_counter()
            # Four simulated trusts for the first million events and four more for the rest:
            # beyond that, more events come as more visits by the same relatives.
            sites = max(1, min(4, round((size - have) / 250_000)))
            simulate(months=months, sites=sites, events=size - have, seed=size, echo=lambda _: None)
            built = time.perf_counter() - started
            started = time.perf_counter()
            refresh(full=True)
            refreshed = time.perf_counter() - started
            events = db.session.scalar(select(func.count()).select_from(UsageEvent))

            admin = db.session.scalar(select(User).where(User.email == "bench-admin@example.org"))
            if admin is None:
                admin = User(email="bench-admin@example.org", password_hash=hash_password("bench-password"))
                admin.role_rows.append(UserRole(role=R.ADMIN))
                db.session.add(admin)
            site = db.session.scalars(select(Site).order_by(Site.id)).first()
            lead = db.session.scalar(select(User).where(User.email == "bench-lead@example.org"))
            if lead is None:
                lead = User(
                    email="bench-lead@example.org",
                    password_hash=hash_password("bench-password"),
                    site_id=site.id,
                )
                lead.role_rows.append(UserRole(role=R.SITE_LEAD))
                db.session.add(lead)
            db.session.commit()
            for who, email in (("admin, every site", admin.email), ("site lead, one site", lead.email)):
                client = app.test_client()
                token = _csrf(client)
                signed_in = client.post(
                    "/sign-in", data={"email": email, "password": "bench-password", "csrf_token": token}
                )
                assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[-3000:]
                pass_second_factor(url, email)  # staff pass a second factor before any page
                median, p95 = _time_page(client, "/dashboard", runs)
                results.append(
                    {
                        "backend": backend,
                        "events": events,
                        "viewer": who,
                        "median_ms": median,
                        "p95_ms": p95,
                        "target_ms": TARGETS_MS.get(size),
                        "simulate_s": built,
                        "refresh_s": refreshed,
                    }
                )
                print(
                    f"{backend:10} {events:>10,} events  {who:20} median {median:7.1f} ms  p95 {p95:7.1f} ms"
                    f"  (target {TARGETS_MS.get(size, '-')} ms; simulate {built:.0f} s, full roll-up {refreshed:.1f} s)",
                    flush=True,
                )
        db.session.remove()
        db.engine.dispose()
    return results


def copy_history(source_url: str, target_url: str) -> None:
    """Copy every table of a built benchmark database into an empty, migrated PostgreSQL database."""
    from flask_migrate import upgrade

    from react_toolkit.extensions import db

    app = create_app(for_tests(target_url, MAIL_BACKEND="memory"))
    with app.app_context():
        upgrade(directory=str(BASE_DIR / "migrations"))
        tables = db.metadata.sorted_tables
        db.engine.dispose()
    source, target = create_engine(source_url), create_engine(target_url)
    with source.connect() as reading, target.begin() as writing:
        writing.execute(text("SET session_replication_role = replica"))  # no FK checks while copying
        for table in tables:
            writing.execute(table.delete())
            rows = reading.execute(table.select()).mappings()
            while batch := rows.fetchmany(20_000):
                writing.execute(table.insert(), [dict(row) for row in batch])
            if "id" in table.c and table.c.id.autoincrement:
                writing.execute(
                    text(
                        # Table names come from the app's own metadata, never from input.
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                        f"COALESCE(MAX(id), 1)) FROM {table.name}"
                    )
                )
    source.dispose()
    target.dispose()


def time_only(url: str, runs: int) -> None:
    """Time /dashboard on an existing benchmark database, as the admin and the site lead."""
    from react_toolkit.extensions import db
    from react_toolkit.usage.models import UsageEvent

    app = create_app(for_tests(url, MAIL_BACKEND="memory"))
    app.test_client_class = RequestClient
    with app.app_context():
        events = db.session.scalar(select(func.count()).select_from(UsageEvent))
    for who, email in (
        ("admin, every site", "bench-admin@example.org"),
        ("site lead, one site", "bench-lead@example.org"),
    ):
        client = app.test_client()
        client.post(
            "/sign-in", data={"email": email, "password": "bench-password", "csrf_token": _csrf(client)}
        )
        pass_second_factor(url, email)  # staff pass a second factor before any page
        median, p95 = _time_page(client, "/dashboard", runs)
        print(
            f"{url.split(':')[0]:10} {events:>10,} events  {who:20} median {median:7.1f} ms  p95 {p95:7.1f} ms"
        )


def _csrf(client) -> str:
    import re

    html = client.get("/sign-in").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1000000,5000000")
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--time-only",
        metavar="DATABASE_URL",
        help="Only time the page on a database an earlier run built (for a quieter re-measurement).",
    )
    parser.add_argument(
        "--copy-from",
        metavar="SQLITE_URL",
        help="Fill PostgreSQL with a copy of a history an earlier SQLite run built, then time the page there.",
    )
    args = parser.parse_args()
    if args.copy_from:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
        fresh_postgres(url)
        copy_history(args.copy_from, url)
        time_only(url, args.runs)
        return
    if args.time_only:
        time_only(args.time_only, args.runs)
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    for backend in args.backends.split(","):
        if backend == "sqlite":
            folder = tempfile.mkdtemp(prefix="react-bench-")
            url = f"sqlite:///{folder}/bench.sqlite3"
        else:
            url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
            fresh_postgres(url)
        run(backend, url, sizes, args.months, args.runs)


if __name__ == "__main__":
    main()
