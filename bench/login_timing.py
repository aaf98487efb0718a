"""Does the time a sign-in or a reset request takes tell whether the account exists?

Signs in, in one process and with the production argon2 parameters, alternately with an email
address that has no account and with a real account's address and a wrong password, through the
whole app (form, CSRF check, page), and prints each path's median time and their ratio. Then the
same for password-reset requests, whose email is written to files after the response, as in
production. A ratio near 1.00 means the wait tells nothing:

    .venv/bin/python bench/login_timing.py
    .venv/bin/python bench/login_timing.py --rounds 100 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

PostgreSQL databases are used as they are: migrate them first (`flask db upgrade`). The limits on
attempts are lifted for the run, so that every attempt reaches the password check.
"""

from __future__ import annotations

import argparse
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
from sqlalchemy import select  # noqa: E402

from react_toolkit import create_app  # noqa: E402
from react_toolkit.auth.models import User, UserRole  # noqa: E402
from react_toolkit.auth.passwords import hash_password  # noqa: E402
from react_toolkit.config import from_environment  # noqa: E402
from react_toolkit.extensions import db  # noqa: E402

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
UNLIMITED = "1000000 per minute"


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def timed(client, path: str, data: dict) -> float:
    """Seconds until the whole page is back, as a browser would wait; then the response is closed."""
    started = time.perf_counter()
    response = client.post(path, data=data)
    response.get_data()
    elapsed = time.perf_counter() - started
    response.close()  # the server does this once the page has gone: the reset email goes now
    return elapsed


def compare(label: str, client, path: str, token: str, nobody: dict, somebody: dict, rounds: int) -> None:
    times: dict[str, list[float]] = {"no account": [], "real account": []}
    for _ in range(rounds):
        # Alternating, so that a slower moment of the machine falls on both paths.
        times["no account"].append(timed(client, path, {**nobody, "csrf_token": token}))
        times["real account"].append(timed(client, path, {**somebody, "csrf_token": token}))
    absent, present = (median_ms(times[name]) for name in ("no account", "real account"))
    print(f"{label}, no such account:     median {absent:7.1f} ms over {rounds}")
    print(f"{label}, real account:        median {present:7.1f} ms over {rounds}")
    print(f"{label}: ratio (no account / real account) {absent / present:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None, help="default: a new SQLite file, migrated")
    parser.add_argument("--rounds", type=int, default=40, help="attempts on each path")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory()
    url = args.database_url or f"sqlite:///{Path(scratch.name) / 'login-timing.sqlite3'}"
    app = create_app(
        from_environment(
            {
                "DATABASE_URL": url,
                "REACT_ENV": "development",
                "LOGIN_LIMIT_ACCOUNT": UNLIMITED,
                "LOGIN_LIMIT_ADDRESS": UNLIMITED,
                "RESET_LIMIT_ACCOUNT": UNLIMITED,
                "RESET_LIMIT_ADDRESS": UNLIMITED,
                "MAIL_BACKEND": "file",
                "MAIL_FILE_DIR": str(Path(scratch.name) / "mail"),
            }
        )
    )
    email = f"bench-{secrets.token_hex(4)}@example.org"
    with app.app_context():
        if args.database_url is None:
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        if db.session.scalar(select(User.id).where(User.email == email)) is None:
            user = User(email=email, password_hash=hash_password(secrets.token_urlsafe(16)), forum_name=None)
            user.role_rows.append(UserRole(role="relative"))
            db.session.add(user)
            db.session.commit()

    client = app.test_client()
    token = TOKEN.search(client.get("/sign-in").get_data(as_text=True)).group(1)
    wrong = {"password": "not the password at all"}
    timed(client, "/sign-in", {"email": "warm-up@example.org", **wrong, "csrf_token": token})
    compare(
        "sign-in",
        client,
        "/sign-in",
        token,
        {"email": "nobody-here@example.org", **wrong},
        {"email": email, **wrong},
        args.rounds,
    )
    compare(
        "password reset",
        client,
        "/password/forgot",
        token,
        {"email": "nobody-here@example.org"},
        {"email": email},
        args.rounds,
    )


if __name__ == "__main__":
    main()
