"""Two app hosts on one PostgreSQL database and one Redis behave as one service.

Two gunicorn instances (one worker each) share the database and the rate-limit
store, as two hosts behind a load balancer would. A session started on one is
good on the other and ends on both; failed sign-ins count together; and the
scheduled commands, run by both hosts at the same moment, do their work once.
Runs when TEST_DATABASE_URL is PostgreSQL and Redis answers on 127.0.0.1:6379.
"""

from __future__ import annotations

import email
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time as clock
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import flask_migrate
import pytest
from sqlalchemy import create_engine, func, select, text

from react_toolkit import create_app
from react_toolkit.auth import roles as R
from react_toolkit.auth.forum_names import forum_name_key
from react_toolkit.auth.models import User, UserRole
from react_toolkit.auth.passwords import hash_password
from react_toolkit.config import BASE_DIR, for_tests
from react_toolkit.dashboard.models import MonthCount, StaffReminder, UserMonth
from react_toolkit.extensions import db
from react_toolkit.forum.models import ForumCategory, Post, QueueItem, Thread
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.organisations.models import ServiceHours, Site, Team
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import PAGE_VIEWED, event_row
from tests.conftest import SUITE_NOW, own_database

SHARED_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
REDIS = ("127.0.0.1", 6379)
RATE_LIMIT_STORE = "redis://127.0.0.1:6379/5"
PASSWORD = "scale out test password 2026"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(
        not SHARED_DATABASE_URL.startswith("postgresql") or not _redis_answers(),
        reason="needs TEST_DATABASE_URL on PostgreSQL and Redis on 127.0.0.1:6379",
    ),
    # One worker starts the two hosts once for all these tests.
    pytest.mark.xdist_group("scale_out"),
    pytest.mark.slow,
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Browser:
    """Just enough of a browser: cookies across hosts (as one site name would give), forms with CSRF."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, port: int, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return response.status, response.getheader("Location") or "", page
        finally:
            connection.close()

    def get(self, port: int, path: str) -> tuple[int, str, str]:
        return self.request(port, "GET", path)

    def submit(self, port: int, page_path: str, action: str, form: dict) -> tuple[int, str, str]:
        _, _, page = self.get(port, page_path)
        match = TOKEN.search(page)
        assert match, f"no form on {page_path}"
        return self.request(port, "POST", action, {**form, "csrf_token": match.group(1)})

    def sign_in(self, port: int, address: str, password: str = PASSWORD) -> int:
        status, _, _ = self.submit(port, "/sign-in", "/sign-in", {"email": address, "password": password})
        return status


@dataclass
class Cluster:
    ports: tuple[int, int]
    env: dict[str, str]
    mail_dir: Path
    people: dict[str, list[str]]

    def flask(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "flask", *args],
            cwd=BASE_DIR,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def mails(self) -> list[tuple[str, str]]:
        found = []
        for path in sorted(self.mail_dir.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes())
            found.append((message["To"], message["Subject"]))
        return found


def _reset_database(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _empty_tables() -> None:
    names = ", ".join(table.name for table in db.metadata.sorted_tables)
    with db.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def _prepare(password_hash: str) -> dict[str, list[str]]:
    """A team open round the clock, its staff, relatives, an overdue urgent message, forum items waiting."""
    site = Site(name="Scale-out Trust", code="scale-out")
    team = Team(site=site, name="Scale-out EIP team", caseload=50, crisis_phone="0300 555 0101")
    team.hours = [ServiceHours(weekday=day, opens=clock(0), closes=clock(23, 59)) for day in range(7)]
    db.session.add_all([site, team])
    db.session.flush()

    def person(label: str, roles: list[str]) -> User:
        relative = R.RELATIVE in roles
        user = User(
            email=f"{label}-{secrets.token_hex(4)}@example.org",
            password_hash=password_hash,
            full_name="" if relative else f"Staff {label}",
            forum_name=f"Scale{label}" if relative else None,
            forum_name_key=forum_name_key(f"Scale{label}") if relative else None,
            site_id=site.id,
            team_id=team.id,
        )
        user.role_rows.extend(UserRole(role=role) for role in roles)
        db.session.add(user)
        return user

    relatives = [person(f"relative{n}", [R.RELATIVE]) for n in range(3)]
    clinicians = [person(f"clinician{n}", [R.CLINICIAN]) for n in range(3)]
    supporters = [person(f"supporter{n}", [R.SUPPORTER]) for n in range(2)]
    moderators = [person(f"moderator{n}", [R.MODERATOR]) for n in range(2)]
    db.session.flush()

    # Fixed moments in the past: the hosts read the real clock, and these stay in the past on any date.
    long_ago = SUITE_NOW - timedelta(days=3)
    conversation = Conversation(
        relative_id=relatives[0].id,
        team_id=team.id,
        subject="Worried tonight",
        urgent=True,
        urgent_since=long_ago,
        waiting_since=long_ago,
        created_at=long_ago,
        last_message_at=long_ago,
    )
    db.session.add(conversation)
    db.session.flush()
    db.session.add(
        Message(conversation_id=conversation.id, author_id=relatives[0].id, kind="relative", body="x")
    )

    category = ForumCategory(slug="scale-out", name="Scale-out")
    db.session.add(category)
    db.session.flush()
    thread = Thread(category_id=category.id, author_id=relatives[1].id, title="Waiting thread")
    db.session.add(thread)
    db.session.flush()
    for n in range(2):
        item = Post(thread_id=thread.id, author_id=relatives[1].id, body=f"Held post {n}", status="held")
        db.session.add(item)
        db.session.flush()
        db.session.add(QueueItem(post_id=item.id, reason="held", severity=1))

    this_month = SUITE_NOW.replace(day=1, hour=12, minute=0, second=0, microsecond=0)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    db.session.execute(
        UsageEvent.__table__.insert(),
        [
            event_row(
                PAGE_VIEWED,
                month + timedelta(minutes=minute),
                route="/modules",
                user_id=user.id,
                roles=R.RELATIVE,
                site_id=site.id,
                team_id=team.id,
                status=200,
                device="desktop",
            )
            for month in (last_month, this_month)
            for user in relatives
            for minute in range(20)
        ],
    )
    db.session.commit()
    return {
        "relatives": [u.email for u in relatives],
        "clinicians": [u.email for u in clinicians],
        "supporters": [u.email for u in supporters],
        "moderators": [u.email for u in moderators],
    }


def _wait_until_up(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn on port {port} stopped: {process.stdout.read()[-2000:]}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn on port {port} did not answer within {seconds} seconds")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    mail_dir = tmp_path_factory.mktemp("mail")
    # A database of its own: the hosts here run migrations and empty it at the end.
    database_url = own_database(SHARED_DATABASE_URL, f"scale_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}")
    env = {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "REACT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "USAGE_PSEUDONYM_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": RATE_LIMIT_STORE,
        # Every request here comes from one address; only the per-account limit is under test.
        "LOGIN_LIMIT_ADDRESS": "1000 per 15 minutes",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(mail_dir),
        "BASE_URL": "https://react.example.nhs.uk",
        "WEB_CONCURRENCY": "1",
        "LOG_LEVEL": "warning",
    }
    _reset_database(database_url)
    app = create_app(for_tests(database_url))
    with app.app_context():
        flask_migrate.upgrade()
    servers: list[subprocess.Popen] = []
    try:
        ports = (_free_port(), _free_port())
        for port in ports:
            servers.append(
                subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                    [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
                    + ["--bind", f"127.0.0.1:{port}", "wsgi:app"],
                    cwd=BASE_DIR,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    text=True,
                )
            )
        with app.app_context():
            people = _prepare(hash_password(PASSWORD))
        for port, server in zip(ports, servers, strict=True):
            _wait_until_up(port, server)
        yield Cluster(ports, env, mail_dir, people)
    finally:
        for server in servers:
            _stop(server)
        with app.app_context():
            db.session.remove()
            _empty_tables()
            db.engine.dispose()


def test_a_session_started_on_one_host_is_good_on_the_other_and_ends_on_both(cluster):
    first, second = cluster.ports
    browser = Browser()
    assert browser.sign_in(first, cluster.people["relatives"][0]) == 302

    status, _, page = browser.get(second, "/toolbox")
    assert status == 200 and "toolbox" in page.lower()
    signed_in = dict(browser.cookies)

    status, location, _ = browser.submit(second, "/toolbox", "/sign-out", {})
    assert status == 302 and "signed-out" in location

    # The same cookie the browser had while signed in is now refused by the other host too.
    replay = Browser(cookies=signed_in)
    status, location, _ = replay.get(first, "/toolbox")
    assert status == 302 and "/sign-in" in location
    status, location, _ = replay.get(second, "/toolbox")
    assert status == 302 and "/sign-in" in location


def test_failed_sign_ins_on_both_hosts_count_against_one_limit(cluster):
    first, second = cluster.ports
    address = cluster.people["relatives"][1]
    statuses = [Browser().sign_in(cluster.ports[n % 2], address, "not the password") for n in range(5)]
    assert statuses == [401] * 5

    assert Browser().sign_in(first, address, "not the password") == 429
    assert Browser().sign_in(second, address, "not the password") == 429
    # Locked for now even with the right password, on either host.
    assert Browser().sign_in(second, address) == 429
    # Another account from the same address is not affected.
    assert Browser().sign_in(first, cluster.people["relatives"][2]) == 302


COMMANDS = ("send-reminders", "inbox-alerts", "moderation-digest", "refresh-dashboard")


def test_scheduled_commands_run_by_two_hosts_at_once_do_their_work_once(cluster):
    people = cluster.people
    before = len(cluster.mails())

    # Cron on two hosts starts every command at the same minute.
    runs = [cluster.flask("react", command) for command in COMMANDS for _ in range(2)]
    for run in runs:
        output, _ = run.communicate(timeout=90)
        assert run.returncode == 0, output[-2000:]
    # The commands write notices to the outbox; both hosts' workers deliver at once.
    workers = [cluster.flask("react", "deliver", "--once") for _ in range(2)]
    for run in workers:
        output, _ = run.communicate(timeout=90)
        assert run.returncode == 0, output[-2000:]

    mails = cluster.mails()[before:]
    reminders = Counter(to for to, subject in mails if subject.startswith("Inviting relatives"))
    alerts = Counter(to for to, subject in mails if subject.startswith("Overdue"))
    digests = Counter(to for to, subject in mails if "waiting for moderation" in subject)
    assert set(people["clinicians"]) <= set(reminders)
    assert set(reminders.values()) == {1}
    assert alerts == Counter(people["supporters"])
    assert digests == Counter(people["moderators"])
    assert len(mails) == sum(reminders.values()) + len(people["supporters"]) + len(people["moderators"])

    app = create_app(for_tests(cluster.env["DATABASE_URL"]))
    with app.app_context():
        try:
            assert db.session.scalar(select(func.count()).select_from(StaffReminder)) == len(reminders)
            assert db.session.scalar(select(Conversation.overdue_alert_at)) is not None
            views = select(func.count()).select_from(UsageEvent).where(UsageEvent.name == PAGE_VIEWED)
            raw_views = db.session.scalar(views)
            signed_in_views = db.session.scalar(views.where(UsageEvent.user_id.is_not(None)))
            duplicated = db.session.execute(
                select(UserMonth.month, UserMonth.user_id)
                .group_by(UserMonth.month, UserMonth.user_id)
                .having(func.count() > 1)
            ).all()
            assert duplicated == []
            assert db.session.scalar(select(func.sum(UserMonth.page_views))) == signed_in_views
            counted = db.session.scalar(
                select(func.sum(MonthCount.events)).where(MonthCount.name == PAGE_VIEWED)
            )
            assert counted == raw_views
        finally:
            db.session.remove()
            db.engine.dispose()
