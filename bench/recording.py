"""CPU cost of recording one page-view event, timed inside one process.

`bench/run` compares whole gunicorn runs with recording on and off; on a shared
2-core machine the difference between two such runs is often smaller than their
noise. This script times the recorder alone, as a page calls it after each
response, so the cost can be set against a page's CPU time from `bench/run`:

    .venv/bin/python bench/recording.py                       # SQLite, a fresh file
    .venv/bin/python bench/recording.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

PostgreSQL databases are used as they are: migrate them first (`flask db upgrade`).
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from flask import Response  # noqa: E402
from flask_login import login_user  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from react_toolkit import create_app  # noqa: E402
from react_toolkit.auth.models import User, UserRole  # noqa: E402
from react_toolkit.config import from_environment  # noqa: E402
from react_toolkit.extensions import db  # noqa: E402
from react_toolkit.usage import recorder  # noqa: E402
from react_toolkit.usage.models import UsageEvent  # noqa: E402

PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"


def cpu_per_call(call, calls: int) -> float:
    """Median over five batches of the CPU milliseconds one call takes."""
    batches = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(calls):
            call()
        batches.append((time.process_time() - started) / calls * 1000)
    return statistics.median(batches)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file, migrated")
    parser.add_argument("--calls", type=int, default=2000, help="calls in each of five batches")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(scratch.name) / 'recording.sqlite3'}"
    app = create_app(
        from_environment({"DATABASE_URL": url, "REACT_ENV": "development", "LOG_LEVEL": "warning"})
    )
    with app.app_context():
        if args.database_url is None:
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))
    page = Response("<p>A page</p>", mimetype="text/html")
    with app.test_request_context("/modules/what-is-psychosis/2", headers={"User-Agent": PHONE}):
        reader = User(id=1, email="reader@example.org", role_rows=[UserRole(role="relative")])
        reader.session_token = secrets.token_urlsafe(32)  # a session token as sign-in makes one
        login_user(reader, force=True)  # a signed-in relative, as the recorder sees one after sign-in
        before = db.session.scalar(select(func.count()).select_from(UsageEvent))
        recorder.record_page_view(page)  # the first call compiles and caches the INSERT

        whole = cpu_per_call(lambda: recorder.record_page_view(page), args.calls)
        fields = cpu_per_call(
            lambda: recorder.event_row(
                recorder.PAGE_VIEWED, recorder.now(), **recorder.request_fields(), status=200
            ),
            args.calls,
        )
        written = db.session.scalar(select(func.count()).select_from(UsageEvent)) - before
    expected = 1 + 5 * args.calls
    if written != expected:
        raise SystemExit(f"{written} events written for {expected} calls")
    backend = url.split(":", 1)[0].split("+", 1)[0]
    print(f"{backend}: recording one page view costs {whole:.3f} ms of CPU")
    print(
        f"  building the row (route, device, session hash): {fields:.3f} ms; writing it: {whole - fields:.3f} ms"
    )
    print(f"  {written} events written, one for each call")
    scratch.cleanup()


if __name__ == "__main__":
    main()
