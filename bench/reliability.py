"""Reliability under load: gunicorn with the production settings, on SQLite and on PostgreSQL.

Run by hand (a few minutes; the PostgreSQL run stops and starts the local cluster):

    .venv/bin/python bench/reliability.py
    .venv/bin/python bench/reliability.py --backends sqlite --seconds 30
    .venv/bin/python bench/reliability.py --backends postgresql --no-outage

For each backend the script prepares a world (a team open round the clock, a
supporter, relatives with conversations, two busy forum threads), starts
gunicorn with 2 workers and REACT_ENV=production (fresh random secrets), signs
the relatives in over HTTP and then checks three things:

1. load: many connections for a while against a mix of pages and form posts
   (forum replies, messages, module sections, toolbox notes). No response may
   be a 5xx, and every HTML page that answered 200 must have exactly one
   `usage.page.viewed` event with status 200: counted per route by the client
   and in the database, the two must be equal.
2. crash: one gunicorn worker is killed with SIGKILL while relatives post and
   write messages with a unique marker each. Every post or message whose
   request succeeded must exist exactly once, and nothing may be half-written:
   each post has its event, each thread's reply count and last-post time match
   its posts, each relative message has its event and each conversation's
   last-message time matches its messages.
3. outage (PostgreSQL only): the database is stopped under load. Pages must
   answer the service's 503 page (no traceback) and /healthz a 503 JSON, and
   once the database is started again the same gunicorn workers must answer
   200 by themselves. The database is always started again, whatever happens.

PostgreSQL is taken from RELIABILITY_DATABASE_URL (default: a database named
`rel_bench` on 127.0.0.1:5432, created if missing, emptied first). The rate-limit
store is Redis database 5 on 127.0.0.1:6379 when it answers, memory otherwise.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import time as clock
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from werkzeug.exceptions import HTTPException  # noqa: E402
from werkzeug.routing import RequestRedirect  # noqa: E402

from bench.postgres import fresh_postgres  # noqa: E402
from react_toolkit import create_app  # noqa: E402
from react_toolkit.config import from_environment  # noqa: E402

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/rel_bench"
REDIS = ("127.0.0.1", 6379)
PASSWORD = "reliability bench password 2026"  # noqa: S105 - accounts made for the run
RELATIVES = 16
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
UNAVAILABLE = "Sorry, the service is unavailable"
PAGE_VIEWED = "usage.page.viewed"


# The world ---------------------------------------------------------------------------------


@dataclass
class World:
    relatives: list[str]
    conversations: dict[str, int]
    threads: list[int]
    sections: list[tuple[str, int]]


def _redis_answers() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def production_env(url: str, mail_dir: Path) -> dict[str, str]:
    """The production settings with fresh strong secrets; forum pacing off so relatives can post freely."""
    return {
        **os.environ,
        "FLASK_APP": "wsgi.py",
        "REACT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "USAGE_PSEUDONYM_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url,
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/5" if _redis_answers() else "memory://",
        "BASE_URL": "https://react.example.nhs.uk",
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(mail_dir),
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "warning",
        "FORUM_FIRST_POSTS_HELD": "0",
        "FORUM_NEW_MEMBER_DAYS": "0",
        "FORUM_POST_INTERVAL_SECONDS": "0",
        "FORUM_NEW_MEMBER_INTERVAL_SECONDS": "0",
        "FORUM_DAILY_POSTS": "1000000",
        "FORUM_NEW_MEMBER_DAILY_POSTS": "1000000",
    }


def prepare(app) -> World:
    """Migrate, load the content and create the people, conversations and threads, through the services."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from react_toolkit.auth import roles as R
    from react_toolkit.auth.forum_names import forum_name_key
    from react_toolkit.auth.models import User, UserRole
    from react_toolkit.auth.passwords import hash_password
    from react_toolkit.extensions import db
    from react_toolkit.forum import services as forum
    from react_toolkit.forum.models import ForumCategory
    from react_toolkit.inbox import services as inbox
    from react_toolkit.modules.models import Module, Section
    from react_toolkit.organisations.models import ServiceHours, Site, Team

    with app.app_context():
        upgrade()
        result = app.test_cli_runner().invoke(args=["react", "sync-content"])
        assert result.exit_code == 0, result.output
        site = Site(name="Reliability Trust", code="reliability")
        team = Team(site=site, name="Reliability EIP team", caseload=100, crisis_phone="0300 555 0199")
        team.hours = [ServiceHours(weekday=day, opens=clock(0), closes=clock(23, 59)) for day in range(7)]
        db.session.add_all([site, team])
        db.session.flush()
        password_hash = hash_password(PASSWORD)

        def person(email: str, role: str, forum_name: str | None = None) -> User:
            user = User(
                email=email,
                password_hash=password_hash,
                full_name="" if forum_name else "Sam Supporter",
                forum_name=forum_name,
                forum_name_key=forum_name_key(forum_name) if forum_name else None,
                site_id=site.id,
                team_id=team.id,
            )
            user.role_rows.append(UserRole(role=role))
            db.session.add(user)
            return user

        person("supporter@reliability.example.org", R.SUPPORTER)
        relatives = [
            person(f"relative{n}@reliability.example.org", R.RELATIVE, f"Steady{n}") for n in range(RELATIVES)
        ]
        db.session.commit()
        conversations = {}
        for user in relatives:
            conversation, _ = inbox.start_conversation(
                user, "Questions about visiting", "Hello, a first note."
            )
            conversations[user.email] = conversation.id
        category = db.session.scalars(select(ForumCategory).order_by(ForumCategory.position)).first()
        threads = []
        for n in range(2):
            item, outcome = forum.create_thread(
                relatives[n], category, f"Busy thread {n}", "Sharing how our week went."
            )
            assert item is not None and outcome.status == "published", outcome
            threads.append(item.id)
        sections = [
            (slug, number)
            for slug, count in db.session.execute(
                select(Module.slug, db.func.count(Section.id))
                .join(Section, Section.module_id == Module.id)
                .where(Module.published)
                .group_by(Module.slug)
            )
            for number in range(1, count + 1)
        ]
        emails = [user.email for user in relatives]
        db.session.remove()
        db.engine.dispose()
    return World(emails, conversations, threads, sections)


# HTTP -------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the clients saw, shared by every thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    views: Counter = field(default_factory=Counter)  # 200 HTML pages per route template
    errors: Counter = field(default_factory=Counter)  # no response at all
    server_errors: list = field(default_factory=list)

    def add(self, method: str, route: str, status: int, html: bool, body: str) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[status] += 1
            if status == 200 and html:
                self.views[route] += 1
            if status >= 500 and len(self.server_errors) < 5:
                self.server_errors.append((method, route, status, body[:300]))

    def failed(self, kind: str) -> None:
        with self.lock:
            self.errors[kind] += 1


class Client:
    """A browser for one signed-in relative: its own cookies, CSRF token, and route names for the tally."""

    def __init__(self, port: int, routes, tally: Tally | None = None) -> None:
        self.port = port
        self.routes = routes
        self.tally = tally
        self.cookies: dict[str, str] = {}
        self.token = ""

    def route(self, method: str, path: str) -> str:
        try:
            rule, _ = self.routes.match(urlsplit(path).path, method=method, return_rule=True)
            return rule.rule
        except RequestRedirect:
            return urlsplit(path).path
        except HTTPException:
            return "(no route)"

    def request(
        self, method: str, path: str, form: dict | None = None, timeout: float = 60
    ) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Accept": "text/html,application/xhtml+xml", "User-Agent": "reliability-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode({**form, "csrf_token": self.token})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        html = (response.getheader("Content-Type") or "").startswith("text/html")
        if html:
            match = TOKEN.search(page)
            if match:
                self.token = match.group(1)
        if self.tally is not None:
            self.tally.add(method, self.route(method, path), response.status, html, page)
        return response.status, response.getheader("Location") or "", page

    def get(self, path: str) -> tuple[int, str, str]:
        return self.request("GET", path)

    def submit(self, path: str, form: dict) -> tuple[int, str, str]:
        """POST a form and, as a browser does, follow the redirect."""
        status, location, page = self.request("POST", path, form)
        if status in (302, 303) and location:
            follow = urlsplit(location)
            self.get(follow.path + (f"?{follow.query}" if follow.query else ""))
        return status, location, page

    def sign_in(self, email: str) -> None:
        self.get("/sign-in")
        status, _, page = self.request("POST", "/sign-in", {"email": email, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"sign-in for {email} answered {status}: {page[:300]}")
        self.get("/toolbox")  # a page with a form: the CSRF token for the rest of the session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthz(port: int, timeout: float = 5) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        connection.close()


class Server:
    """gunicorn with the repository's gunicorn.conf.py, its output kept in a log file."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
            + ["--bind", f"127.0.0.1:{self.port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped; see {log_path}")
            try:
                if healthz(self.port, 2)[0] == 200 and len(self.workers()) == 2:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in 60 seconds; see {log_path}")

    def workers(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]

    def log_counts(self) -> dict[str, int]:
        self.log.flush()
        content = self.log_path.read_text(errors="replace")
        return {"tracebacks": content.count("Traceback"), "errors": content.count(" ERROR ")}

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# The checks -------------------------------------------------------------------------------


def _browse(client: Client, world: World, email: str, stop: threading.Event, seed: int) -> None:
    """One relative's visits: mostly reading, sometimes writing, as fast as the server answers."""
    rng = random.Random(seed)
    conversation = world.conversations[email]

    def section() -> None:
        slug, number = rng.choice(world.sections)
        client.get(f"/modules/{slug}/{number}")

    def reply() -> None:
        client.submit(
            f"/forum/threads/{rng.choice(world.threads)}/reply",
            {"body": f"Thank you for sharing this. {uuid.uuid4().hex[:8]}"},
        )

    def message() -> None:
        client.submit(
            f"/messages/{conversation}/reply", {"body": f"A question about leave. {uuid.uuid4().hex[:8]}"}
        )

    def note() -> None:
        client.submit("/toolbox/notes", {"title": "Reminder", "text": f"Ask about {uuid.uuid4().hex[:6]}"})

    actions = [
        (lambda: client.get("/"), 10),
        (lambda: client.get("/modules"), 8),
        (section, 20),
        (lambda: client.get("/forum"), 6),
        (lambda: client.get(f"/forum/threads/{rng.choice(world.threads)}"), 12),
        (lambda: client.get("/messages"), 6),
        (lambda: client.get(f"/messages/{conversation}"), 8),
        (lambda: client.get("/toolbox"), 5),
        (lambda: client.get("/resources/"), 4),
        (reply, 8),
        (message, 6),
        (note, 4),
    ]
    choices, weights = zip(*actions, strict=True)
    while not stop.is_set():
        try:
            rng.choices(choices, weights)[0]()
        except (OSError, http.client.HTTPException) as error:
            client.tally.failed(type(error).__name__)


def page_view_rows(url: str, after_id: int) -> tuple[int, Counter]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            last = connection.execute(text("SELECT coalesce(max(id), 0) FROM usage_events")).scalar()
            rows = connection.execute(
                text(
                    "SELECT route, count(*) FROM usage_events "
                    "WHERE name = :name AND status = 200 AND id > :after GROUP BY route"
                ),
                {"name": PAGE_VIEWED, "after": after_id},
            ).all()
    finally:
        engine.dispose()
    return last, Counter({route: count for route, count in rows})


def load_check(url: str, port: int, routes, world: World, connections: int, seconds: float) -> dict:
    tally = Tally()
    clients = []
    for n in range(connections):
        client = Client(port, routes)
        client.sign_in(world.relatives[n % len(world.relatives)])
        client.tally = tally
        clients.append(client)
    watermark, _ = page_view_rows(url, 0)
    stop = threading.Event()
    threads = [
        threading.Thread(target=_browse, args=(c, world, world.relatives[n % len(world.relatives)], stop, n))
        for n, c in enumerate(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    _, recorded = page_view_rows(url, watermark)
    differences = {
        route: (tally.views[route], recorded[route])
        for route in set(tally.views) | set(recorded)
        if tally.views[route] != recorded[route]
    }
    return {
        "requests": tally.requests,
        "per_second": tally.requests / elapsed,
        "statuses": dict(sorted(tally.statuses.items())),
        "server_errors": sum(v for k, v in tally.statuses.items() if k >= 500),
        "examples": tally.server_errors,
        "no_response": dict(tally.errors),
        "client_views": sum(tally.views.values()),
        "recorded_views": sum(recorded.values()),
        "routes": len(tally.views),
        "differences": differences,
        "clients": clients,
    }


def _write(
    client: Client, world: World, email: str, stop: threading.Event, outcomes: list, seed: int
) -> None:
    """Post and message in turn, each with a unique marker; note what the server answered."""
    rng = random.Random(seed)
    while not stop.is_set():
        marker = f"marker-{uuid.uuid4().hex}"
        if rng.random() < 0.5:
            kind, path = "post", f"/forum/threads/{rng.choice(world.threads)}/reply"
        else:
            kind, path = "message", f"/messages/{world.conversations[email]}/reply"
        try:
            status, _, _ = client.request("POST", path, {"body": f"Checking in today. {marker}"}, timeout=30)
            outcome = "ok" if status == 302 else f"refused {status}"
        except (OSError, http.client.HTTPException):
            outcome = "no answer"
        outcomes.append((kind, marker, outcome))


CONSISTENCY = {
    "posts without exactly one created event": """
        SELECT count(*) FROM forum_posts p
        WHERE (SELECT count(*) FROM usage_events e WHERE e.name = 'forum.post.created'
               AND e.object_type = 'post' AND e.object_id = CAST(p.id AS VARCHAR(40))) <> 1""",
    "created events without their post": """
        SELECT count(*) FROM usage_events e WHERE e.name = 'forum.post.created'
        AND NOT EXISTS (SELECT 1 FROM forum_posts p WHERE CAST(p.id AS VARCHAR(40)) = e.object_id)""",
    "threads whose reply count is not their published posts less the opening one": """
        SELECT count(*) FROM forum_threads t
        WHERE t.reply_count <> (SELECT count(*) FROM forum_posts p
                                WHERE p.thread_id = t.id AND p.status = 'published') - 1""",
    "threads whose last-post time is not their newest post's": """
        SELECT count(*) FROM forum_threads t
        WHERE t.last_post_at <> (SELECT max(p.created_at) FROM forum_posts p WHERE p.thread_id = t.id)""",
    "conversations whose relative messages and sent events differ": """
        SELECT count(*) FROM conversations c
        WHERE (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'relative')
           <> (SELECT count(*) FROM usage_events e WHERE e.name = 'inbox.message.sent'
               AND e.object_type = 'conversation' AND e.object_id = CAST(c.id AS VARCHAR(40)))""",
    "conversations whose last-message time is not their newest message's": """
        SELECT count(*) FROM conversations c
        WHERE c.last_message_at <> (SELECT max(m.created_at) FROM messages m WHERE m.conversation_id = c.id)""",
    "conversations with a relative message but nothing waiting": """
        SELECT count(*) FROM conversations c
        WHERE c.waiting_since IS NULL AND EXISTS
            (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.kind = 'relative')""",
}


def consistency(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {name: connection.execute(text(sql)).scalar() for name, sql in CONSISTENCY.items()}
    finally:
        engine.dispose()


def crash_check(url: str, server: Server, clients: list[Client], world: World, seconds: float) -> dict:
    outcomes: list[tuple[str, str, str]] = []
    writers = clients[: len(world.relatives)]
    for client in writers:
        client.tally = None
    stop = threading.Event()
    threads = [
        threading.Thread(
            target=_write, args=(c, world, world.relatives[n % len(world.relatives)], stop, outcomes, n)
        )
        for n, c in enumerate(writers)
    ]
    for thread in threads:
        thread.start()
    time.sleep(seconds / 3)
    before = server.workers()
    victim = before[0]
    os.kill(victim, signal.SIGKILL)
    time.sleep(seconds * 2 / 3)
    stop.set()
    for thread in threads:
        thread.join()
    after = server.workers()
    answered = healthz(server.port)[0]
    engine = create_engine(url)
    found: dict[str, int] = {}
    try:
        with engine.connect() as connection:
            for kind, marker, _ in outcomes:
                table = "forum_posts" if kind == "post" else "messages"
                found[marker] = connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE body LIKE :marker"),  # noqa: S608 - fixed names
                    {"marker": f"%{marker}%"},
                ).scalar()
    finally:
        engine.dispose()
    ok = [marker for _, marker, outcome in outcomes if outcome == "ok"]
    unanswered = [marker for _, marker, outcome in outcomes if outcome == "no answer"]
    return {
        "attempts": len(outcomes),
        "acknowledged": len(ok),
        "refused": sum(1 for *_, outcome in outcomes if outcome.startswith("refused")),
        "unanswered": len(unanswered),
        "unanswered_saved": sum(1 for m in unanswered if found[m] == 1),
        "missing": sum(1 for m in ok if found[m] == 0),
        "duplicated": sum(1 for m in outcomes if found[m[1]] > 1),
        "killed": victim,
        "workers_after": len(after),
        "replaced": victim not in after and len(after) == 2,
        "healthz_after": answered,
        "inconsistent": consistency(url),
    }


def _pg_cluster(command: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(  # noqa: S603 - fixed arguments
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", command]
        + (["-m", "fast"] if command == "stop" else []),
        check=True,
        capture_output=True,
    )


def _pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0  # noqa: S607


def outage_check(server: Server, clients: list[Client], down_seconds: float, recover_within: float) -> dict:
    """Stop PostgreSQL under load, look at what people see, start it again and time the recovery."""
    seen: Counter = Counter()
    bad_pages: list[str] = []
    stop = threading.Event()

    def read(client: Client) -> None:
        client.tally = None
        while not stop.is_set():
            try:
                status, _, page = client.get("/modules")
            except (OSError, http.client.HTTPException):
                seen["no answer"] += 1
                continue
            seen[status] += 1
            if status == 503 and (UNAVAILABLE not in page or "Traceback" in page):
                bad_pages.append(page[:300])

    readers = [threading.Thread(target=read, args=(c,)) for c in clients[:8]]
    workers_before = sorted(server.workers())
    for thread in readers:
        thread.start()
    probe = clients[8]
    result: dict = {}
    try:
        time.sleep(2)
        _pg_cluster("stop")
        stopped = time.monotonic()
        time.sleep(2)
        status, _, page = probe.get("/modules")
        result["page_status"] = status
        result["page_has_503_text"] = UNAVAILABLE in page
        result["page_has_traceback"] = "Traceback" in page or 'File "' in page
        result["healthz"] = healthz(server.port)
        time.sleep(max(0.0, down_seconds - (time.monotonic() - stopped)))
    finally:
        if not _pg_ready():
            _pg_cluster("start")
    restarted = time.monotonic()
    recovered = None
    while time.monotonic() - restarted < recover_within:
        try:
            if probe.get("/modules")[0] == 200 and healthz(server.port)[0] == 200:
                recovered = time.monotonic() - restarted
                break
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.2)
    time.sleep(2)
    stop.set()
    for thread in readers:
        thread.join()
    result.update(
        statuses=dict(seen),
        bad_503_pages=len(bad_pages),
        recovered_after=recovered,
        same_workers=sorted(server.workers()) == workers_before,
    )
    return result


# Running ------------------------------------------------------------------------------------


def run(backend: str, url: str, args: argparse.Namespace, workdir: Path) -> dict:
    print(f"\n== {backend} ==", flush=True)
    env = production_env(url, workdir / f"mail-{backend}")
    app = create_app(from_environment(env))
    world = prepare(app)
    routes = app.url_map.bind("127.0.0.1")
    server = Server(env, workdir / f"gunicorn-{backend}.log")
    results: dict = {"backend": backend}
    try:
        print(f"load: {args.connections} connections for {args.seconds:g} s ...", flush=True)
        load = load_check(url, server.port, routes, world, args.connections, args.seconds)
        clients = load.pop("clients")
        results["load"] = load
        print(f"crash: kill -9 one worker while relatives write ({args.crash_seconds:g} s) ...", flush=True)
        results["crash"] = crash_check(url, server, clients, world, args.crash_seconds)
        if backend == "postgresql" and args.outage:
            print(f"outage: PostgreSQL stopped for {args.down_seconds:g} s under load ...", flush=True)
            results["outage"] = outage_check(server, clients, args.down_seconds, args.recover_within)
    finally:
        results["log"] = server.log_counts()
        server.stop()
    results["log_path"] = str(server.log_path)
    return results


def _row(label: str, values: list[str]) -> str:
    return f"| {label:<58} | " + " | ".join(f"{v:>18}" for v in values) + " |"


def report(all_results: list[dict], args: argparse.Namespace) -> bool:
    """Print the table; return whether every check passed."""
    passed = True
    names = [r["backend"] for r in all_results]
    lines = [_row("check", names), "|" + "-" * 60 + "|" + "|".join("-" * 20 for _ in names) + "|"]

    def line(label: str, pick, good=None) -> None:
        nonlocal passed
        values = []
        for result in all_results:
            try:
                value = pick(result)
            except KeyError:
                values.append("-")
                continue
            ok = good(value) if good else True
            passed = passed and ok
            values.append(f"{value}{'' if ok else '  FAIL'}")
        lines.append(_row(label, values))

    line(
        f"load: requests in {args.seconds:g} s, {args.connections} connections",
        lambda r: r["load"]["requests"],
    )
    line("load: requests per second", lambda r: f"{r['load']['per_second']:.0f}")
    line("load: 5xx responses", lambda r: r["load"]["server_errors"], lambda v: v == 0)
    line("load: requests with no answer", lambda r: sum(r["load"]["no_response"].values()), lambda v: v == 0)
    line("load: 200 pages seen by clients", lambda r: r["load"]["client_views"])
    line("load: page-view events with status 200", lambda r: r["load"]["recorded_views"])
    line("load: routes whose two counts differ", lambda r: len(r["load"]["differences"]), lambda v: v == 0)
    line("crash: posts and messages sent", lambda r: r["crash"]["attempts"])
    line("crash: acknowledged (302)", lambda r: r["crash"]["acknowledged"])
    line("crash: no answer (killed mid-request)", lambda r: r["crash"]["unanswered"])
    line("crash: of those, saved anyway", lambda r: r["crash"]["unanswered_saved"])
    line("crash: acknowledged but missing", lambda r: r["crash"]["missing"], lambda v: v == 0)
    line("crash: saved more than once", lambda r: r["crash"]["duplicated"], lambda v: v == 0)
    line(
        "crash: half-written rows (all checks)",
        lambda r: sum(r["crash"]["inconsistent"].values()),
        lambda v: v == 0,
    )
    line(
        "crash: worker replaced, /healthz after",
        lambda r: f"{r['crash']['replaced']}, {r['crash']['healthz_after']}",
        lambda v: v == "True, 200",
    )
    line("outage: page status while down", lambda r: r["outage"]["page_status"], lambda v: v == 503)
    line(
        "outage: 503 page has its text, no traceback",
        lambda r: r["outage"]["page_has_503_text"] and not r["outage"]["page_has_traceback"],
        bool,
    )
    line(
        "outage: /healthz while down",
        lambda r: f"{r['outage']['healthz'][0]} {r['outage']['healthz'][1].get('database')}",
        lambda v: v == "503 unreachable",
    )
    line(
        "outage: statuses seen under load",
        lambda r: " ".join(f"{k}:{v}" for k, v in sorted(r["outage"]["statuses"].items(), key=str)),
    )
    line(
        "outage: 500s or pages without the 503 text",
        lambda r: r["outage"]["statuses"].get(500, 0) + r["outage"]["bad_503_pages"],
        lambda v: v == 0,
    )
    line(
        "outage: seconds to 200 after restart, same workers",
        lambda r: (
            f"{r['outage']['recovered_after']:.1f}, {r['outage']['same_workers']}"
            if r["outage"]["recovered_after"] is not None
            else "never"
        ),
        lambda v: v != "never" and v.endswith("True"),
    )
    line("gunicorn log: tracebacks", lambda r: r["log"]["tracebacks"])
    print()
    print("\n".join(lines))
    for result in all_results:
        differences = result.get("load", {}).get("differences")
        if differences:
            print(
                f"\n{result['backend']}: routes where clients and events differ (client, events): {differences}"
            )
        for example in result.get("load", {}).get("examples", []):
            print(f"{result['backend']}: 5xx example {example}")
        inconsistent = {k: v for k, v in result.get("crash", {}).get("inconsistent", {}).items() if v}
        if inconsistent:
            print(f"{result['backend']}: half-written rows: {inconsistent}")
        print(f"{result['backend']}: gunicorn log at {result['log_path']}")
    print(f"\n{'All checks passed.' if passed else 'Some checks FAILED.'}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--backends", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"]
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--crash-seconds", type=float, default=15)
    parser.add_argument("--down-seconds", type=float, default=10)
    parser.add_argument("--recover-within", type=float, default=30)
    parser.add_argument("--no-outage", dest="outage", action="store_false", help="Do not stop PostgreSQL.")
    args = parser.parse_args()
    url_pg = os.environ.get("RELIABILITY_DATABASE_URL", DEFAULT_PG)
    results = []
    with tempfile.TemporaryDirectory(prefix="reliability-") as folder:
        workdir = Path(folder)
        for backend in args.backends:
            if backend == "sqlite":
                url = f"sqlite:///{workdir / 'reliability.sqlite3'}"
            else:
                url = url_pg
                fresh_postgres(url)
            results.append(run(backend, url, args, workdir))
        ok = report(results, args)
        if not ok:
            kept = Path(tempfile.mkdtemp(prefix="reliability-logs-"))
            for log in workdir.glob("gunicorn-*.log"):
                log.rename(kept / log.name)
            print(f"gunicorn logs kept in {kept}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
