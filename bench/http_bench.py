"""Page throughput under gunicorn, as a share of a bare Flask app's, on SQLite and PostgreSQL.

Run it as `bench/run` (which installs wrk first if it is missing). For each backend it:

1. migrates an empty database, loads the content, adds a simulated history
   (`flask react simulate`) and a world built for the pages under test: a relative
   with reading progress, a forum thread of exactly 50 posts, the relative's
   conversation of exactly 20 messages, a supporter whose team inbox holds 50
   conversations, and an admin; then brings the dashboard roll-ups up to date;
2. serves the app with `gunicorn --config gunicorn.conf.py wsgi:app` in production
   mode (generated keys, mail to files), signs each role in over HTTP and loads each
   page with wrk on 127.0.0.1; the same is done for `bench/hello.py`, the ceiling;
3. loads the module page again with usage recording on and off (restarting gunicorn
   each time, after an untimed warm-up run, in pairs whose order alternates, and
   checking one page-view event per request when on);
4. reads the resident memory (VmRSS) of the worker processes during and after the load.

It prints a table per backend and writes them all to bench/results.md. Numbers on a
shared machine are noisy, which is why each page is reported as a ratio to the
ceiling measured in the same run.

PostgreSQL is taken from BENCH_RUN_DATABASE_URL (default: the database `bench_run` on
127.0.0.1:5432), whose public schema is dropped and built again.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.postgres import fresh_postgres  # noqa: E402

BIN = Path(sys.executable).parent
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_run"
PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway database
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)

# (key, label, role that loads it, target share of the ceiling or None)
PAGES = [
    ("module", "Module section (relative)", "relative", 0.40),
    ("thread", "Forum thread, 50 posts (relative)", "relative", 0.25),
    ("conversation", "Conversation, 20 messages (relative)", "relative", None),
    ("inbox", "Team inbox, 50 conversations (supporter)", "supporter", None),
    ("dashboard", "Dashboard (admin)", "admin", None),
    # What every signed-in page pays before its own work: session lookup, layout, headers, event.
    ("floor", "Crisis page (relative): layout and session only", "relative", None),
]
RECORDING_TARGET = 0.05
EXACT_VIEWS = 20
RSS_TARGET_MB = 150


# Building the database -----------------------------------------------------------------------


def flask(env: dict[str, str], *args: str) -> None:
    done = subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")


def build_world(env: dict[str, str]) -> dict[str, str]:
    """The people and things the pages show; returns each page's path."""
    from datetime import time as clock
    from datetime import timedelta

    from sqlalchemy import select

    from react_toolkit import create_app
    from react_toolkit.auth import roles as R
    from react_toolkit.auth.forum_names import forum_name_key
    from react_toolkit.auth.models import User, UserRole
    from react_toolkit.auth.passwords import hash_password
    from react_toolkit.config import from_environment
    from react_toolkit.extensions import db
    from react_toolkit.forum.models import ForumCategory, Post, Thread
    from react_toolkit.inbox.models import OPEN, Conversation, Message
    from react_toolkit.modules.models import Module, SectionProgress, ToolboxItem
    from react_toolkit.organisations.models import ServiceHours, Site, Team
    from react_toolkit.timeutil import now

    app = create_app(from_environment(env))
    with app.app_context():
        moment = now()
        site = Site(name="Bench NHS Foundation Trust", code="bench")
        db.session.add(site)
        db.session.flush()
        team = Team(
            site_id=site.id,
            name="Bench EIP team",
            caseload=120,
            caseload_set_at=moment,
            crisis_phone="01632 960 999",
            crisis_phone_label="Bench crisis line",
        )
        team.hours = [ServiceHours(weekday=d, opens=clock(9), closes=clock(17)) for d in range(5)]
        db.session.add(team)
        db.session.flush()
        password_hash = hash_password(PASSWORD)

        def person(email: str, roles: list[str], forum_name: str | None = None, full_name: str = "") -> User:
            user = User(
                email=email,
                full_name=full_name,
                password_hash=password_hash,
                forum_name=forum_name,
                forum_name_key=forum_name_key(forum_name) if forum_name else None,
                site_id=None if R.ADMIN in roles else site.id,
                team_id=None if R.ADMIN in roles else team.id,
                terms_accepted_at=moment if forum_name else None,
                password_changed_at=moment,
                created_at=moment - timedelta(days=90),
                first_login_at=moment - timedelta(days=89),
            )
            user.role_rows.extend(UserRole(role=role) for role in roles)
            db.session.add(user)
            return user

        relative = person("bench-relative@example.org", [R.RELATIVE], forum_name="BenchReader")
        supporter = person("bench-supporter@example.org", [R.SUPPORTER], full_name="Sam Supporter")
        person("bench-admin@example.org", [R.ADMIN], full_name="Alex Admin")
        members = [
            person(f"bench-member{n:02}@example.org", [R.RELATIVE], forum_name=f"BenchMember{n:02}")
            for n in range(1, 50)
        ]
        db.session.flush()

        modules = db.session.scalars(select(Module).where(Module.published).order_by(Module.position)).all()
        for module in modules[:3]:
            for section in module.sections[:3]:
                seen = moment - timedelta(days=10 - section.position)
                db.session.add(
                    SectionProgress(
                        user_id=relative.id,
                        module_id=module.id,
                        section_id=section.id,
                        first_viewed_at=seen,
                        last_viewed_at=seen,
                        completed_at=seen if module is not modules[2] else None,
                    )
                )
        db.session.add(
            ToolboxItem(
                user_id=relative.id,
                kind="section",
                section_id=modules[1].sections[0].id,
                position=1,
            )
        )
        module = modules[1]

        category = db.session.scalar(select(ForumCategory).where(ForumCategory.slug == "coping-day-to-day"))
        started = moment - timedelta(days=20)
        thread = Thread(
            category_id=category.id,
            author_id=members[0].id,
            title="What helps on the hard days",
            created_at=started,
            last_post_at=started,
        )
        db.session.add(thread)
        db.session.flush()
        writers = [relative, *members[:9]]
        for n in range(50):
            body = POST_BODIES[n % len(POST_BODIES)]
            posted = started + timedelta(hours=6 * n)
            db.session.add(
                Post(
                    thread_id=thread.id, author_id=writers[n % len(writers)].id, body=body, created_at=posted
                )
            )
            thread.last_post_at = posted
        thread.reply_count = 49

        first = moment - timedelta(days=6)
        conversation = Conversation(
            relative_id=relative.id,
            team_id=team.id,
            subject="Questions about his medication",
            status=OPEN,
            assigned_to_id=supporter.id,
            created_at=first,
            first_response_at=first + timedelta(hours=2),
            first_response_seconds=7200,
        )
        db.session.add(conversation)
        db.session.flush()
        for n in range(20):
            from_relative = n % 2 == 0
            sent = first + timedelta(hours=7 * n)
            db.session.add(
                Message(
                    conversation_id=conversation.id,
                    author_id=relative.id if from_relative else supporter.id,
                    kind="relative" if from_relative else "staff",
                    body=MESSAGE_BODIES[n % len(MESSAGE_BODIES)],
                    created_at=sent,
                )
            )
        last = first + timedelta(hours=7 * 19)
        conversation.last_message_at = last
        conversation.waiting_since = last
        conversation.relative_read_at = last
        for n, member in enumerate(members):
            opened = moment - timedelta(hours=3 * n + 1)
            other = Conversation(
                relative_id=member.id,
                team_id=team.id,
                subject=f"A question from a relative ({n + 1})",
                status=OPEN,
                urgent=n % 10 == 0,
                urgent_since=opened if n % 10 == 0 else None,
                assigned_to_id=supporter.id if n % 3 == 0 else None,
                created_at=opened,
                last_message_at=opened,
                waiting_since=opened,
            )
            db.session.add(other)
            db.session.flush()
            db.session.add(
                Message(
                    conversation_id=other.id,
                    author_id=member.id,
                    kind="relative",
                    body=MESSAGE_BODIES[n % len(MESSAGE_BODIES)],
                    created_at=opened,
                )
            )
        db.session.commit()
        paths = {
            "module": f"/modules/{module.slug}/2",
            "thread": f"/forum/threads/{thread.id}",
            "conversation": f"/messages/{conversation.id}",
            "inbox": "/inbox",
            "dashboard": "/dashboard",
            "floor": "/crisis",
        }
        db.session.remove()
        db.engine.dispose()
    return paths


POST_BODIES = [
    "Some days are much harder than others. What helps me is a **short walk** before he wakes up, "
    "so I have a bit of calm to start with.",
    "We found that keeping to the same mealtimes helped everyone.\n\n- breakfast at nine\n- a late lunch\n"
    "- tea together, even if he only stays ten minutes",
    "I wrote down the crisis number and put it on the fridge. Knowing where it is made me less anxious, "
    "even though we have not needed it.",
    "The module on *stress and thinking differently* was useful. I try to notice when I am catastrophising "
    "and ask myself what I would tell a friend.",
    "Thank you all. Reading this thread at night has helped more than I can say.",
    "Our care coordinator suggested a **carer's assessment**. It took a few weeks, but I now get a break "
    "one afternoon a week. Worth asking for.",
    "> It does get easier to understand\n\nThis is true for us too. A year on, we talk about it much more openly.",
]

MESSAGE_BODIES = [
    "He has been sleeping most of the day since the new tablets. Is that normal, and should I wake him?",
    "Thank you for asking. Sleeping more is common in the first weeks on this medication. Please don't wake "
    "him on a schedule; I will ask his care coordinator to call you this week.",
    "She is refusing to come to appointments. I don't know how to bring it up without an argument.",
    "That sounds hard. The module on communication has a section on choosing a calm moment. Would a joint "
    "visit at home help? I can ask the team.",
    "I am finding it hard to sleep myself. Is there anything for carers locally?",
    "Yes: the carers' centre runs a group on Tuesdays, and you can ask for a carer's assessment.",
]


# Serving ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, children_too: bool = False) -> float:
    """CPU time of a process; with children_too, also of its children that have exited."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # Fields after the name start at state (3); utime, stime, cutime, cstime are 14-17.
    ticks = int(fields[11]) + int(fields[12])
    if children_too:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICK


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Server:
    """gunicorn with the project's settings, serving one app on a free port."""

    def __init__(self, app: str, env: dict[str, str], log_dir: Path, name: str) -> None:
        self.port = free_port()
        self.base = f"127.0.0.1:{self.port}"
        self.log = log_dir / f"gunicorn-{name}.log"
        self.process = subprocess.Popen(  # noqa: S603
            [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "--bind", self.base, app],
            cwd=ROOT,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.log.read_text()[-3000:]}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz" if app == "wsgi:app" else "/")
            except OSError:
                status = 0
            if status == 200 and len(self.workers()) >= int(env.get("WEB_CONCURRENCY", "2")):
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer: {self.log.read_text()[-3000:]}")

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def cpu(self) -> float:
        """CPU seconds used so far by the master and its workers, live or recycled by max_requests."""
        return cpu_seconds(self.process.pid, children_too=True) + sum(
            cpu_seconds(pid) for pid in self.workers()
        )

    def settle(self) -> None:
        """Wait until the workers have finished what an earlier load left queued."""
        before = self.cpu()
        for _ in range(60):
            time.sleep(0.5)
            after = self.cpu()
            if after - before < 0.02:
                return
            before = after

    def worker_rss(self) -> list[float]:
        return [mb for mb in (rss_mb(pid) for pid in self.workers()) if mb is not None]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def request(
    port: int, method: str, path: str, cookie: str = "", form: dict[str, str] | None = None
) -> tuple[int, dict[str, list[str]], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"User-Agent": USER_AGENT, "Accept": "text/html"}
    if cookie:
        headers["Cookie"] = cookie
    body = None
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    found: dict[str, list[str]] = {}
    for name, value in response.getheaders():
        found.setdefault(name.lower(), []).append(value)
    connection.close()
    return response.status, found, text


def merge_cookies(cookie: str, headers: dict[str, list[str]]) -> str:
    jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
    for line in headers.get("set-cookie", []):
        name, value = line.split(";", 1)[0].split("=", 1)
        jar[name.strip()] = value.strip()
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def sign_in(port: int, email: str) -> str:
    """Sign in through the form, as a browser does; returns the Cookie header to send."""
    status, headers, html = request(port, "GET", "/sign-in")
    cookie = merge_cookies("", headers)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    status, headers, _ = request(
        port, "POST", "/sign-in", cookie, {"csrf_token": token, "email": email, "password": PASSWORD}
    )
    if status != 302:
        raise RuntimeError(f"signing in {email} answered {status}")
    return merge_cookies(cookie, headers)


def pass_second_factor(url: str, email: str) -> None:
    """What a right authenticator code does for a signed-in member of staff: their live sessions pass.

    Staff must pass a second factor before any page (see react_toolkit/second_factor); the bench
    times the pages, not the code form, so it marks the session as the code page would.
    """
    from sqlalchemy import create_engine, select, update

    from react_toolkit.auth.models import User, UserSession

    sessions, users = UserSession.__table__, User.__table__
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            update(sessions)
            .where(
                sessions.c.revoked_at.is_(None),
                sessions.c.user_id == select(users.c.id).where(users.c.email == email).scalar_subquery(),
            )
            .values(second_factor_at=datetime.now(UTC))
        )
    engine.dispose()


def check_page(port: int, path: str, cookie: str, key: str) -> str:
    """Load a page once as this person: it must be the page itself, with what it should show."""
    status, headers, html = request(port, "GET", path, cookie)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")
    expected = {
        "module": lambda: "Mark as done" in html or "mark" in html.lower(),
        "thread": lambda: html.count('class="react-post ') >= 20,
        "conversation": lambda: html.count("Questions about his medication") >= 1,
        "inbox": lambda: html.count("A question from a relative") >= 49,
        "dashboard": lambda: "Bench NHS Foundation Trust" in html,
        "floor": lambda: "999" in html and "BenchReader" in html,
    }[key]
    if not expected():
        raise RuntimeError(f"{path} did not show what it should")
    return merge_cookies(cookie, headers)


# Load ------------------------------------------------------------------------------------------


@dataclass
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    cpu_ms: float
    rss_peak_mb: float = 0.0
    notes: list[str] = field(default_factory=list)


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(
    server: Server, path: str, cookie: str, args: argparse.Namespace, seconds: float | None = None
) -> Load:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{round(seconds or args.duration)}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        f"User-Agent: {USER_AGENT}",
        "-H",
        "Accept: text/html",
    ]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    command.append(f"http://{server.base}{path}")
    peak = [0.0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak[0] = max([peak[0], *server.worker_rss()])

    sampler = threading.Thread(target=sample, daemon=True)
    server.settle()
    cpu_before = server.cpu()
    sampler.start()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    cpu_used = server.cpu() - cpu_before
    done.set()
    sampler.join()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    total = int(re.search(r"(\d+) requests in", output).group(1))
    errors = 0
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if bad:
        errors += int(bad.group(1))
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return Load(rate, p50, p99, total, errors, 1000 * cpu_used / max(1, total), peak[0])


def page_views(url: str) -> int:
    """Page-view events so far, once the server has finished what wrk left queued."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    counts = []
    while len(counts) < 2 or counts[-1] != counts[-2]:
        if counts:
            time.sleep(1)
        with engine.connect() as connection:
            counts.append(
                connection.execute(
                    text("SELECT count(*) FROM usage_events WHERE name = 'usage.page.viewed'")
                ).scalar_one()
            )
    engine.dispose()
    return int(counts[-1])


# One backend --------------------------------------------------------------------------------------


@dataclass
class Result:
    backend: str
    ceiling: Load
    pages: dict[str, Load]
    paths: dict[str, str]
    recording_on: list[Load]
    recording_off: list[Load]
    events_per_request: float
    rss_after_mb: list[float]
    rss_peak_mb: float


def run_backend(backend: str, url: str, args: argparse.Namespace, scratch: Path) -> Result:
    print(f"\n== {backend}: building the database", flush=True)
    mail = scratch / f"mail-{backend}"
    mail.mkdir()
    base_env = {
        **{
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("REACT_", "GUNICORN_", "WEB_CONCURRENCY"))
        },
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": url,
        "MAIL_BACKEND": "file",
        "MAIL_FILE_DIR": str(mail),
        "LOG_LEVEL": "warning",
    }
    build_env = {**base_env, "REACT_ENV": "development"}
    started = time.perf_counter()
    flask(build_env, "db", "upgrade")
    flask(build_env, "react", "sync-content")
    flask(
        build_env,
        "react",
        "simulate",
        "--months",
        str(args.months),
        "--sites",
        str(args.sites),
        "--seed",
        "7",
    )
    paths = build_world(build_env)
    flask(build_env, "react", "refresh-dashboard", "--full")
    print(f"   built in {time.perf_counter() - started:.0f} s", flush=True)

    serve_env = {
        **base_env,
        "REACT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "USAGE_PSEUDONYM_KEY": secrets.token_urlsafe(48),
        "WEB_CONCURRENCY": "2",
    }

    ceilings = [measure_ceiling(serve_env, args, scratch, backend)]
    ceiling = ceilings[0]
    print(f"   {'Ceiling: bare Flask':50} {describe(ceiling, ceiling)}", flush=True)

    server = Server("wsgi:app", {**serve_env, "USAGE_RECORDING": "1"}, scratch, f"{backend}-app")
    pages: dict[str, Load] = {}
    cookies: dict[str, str] = {}
    try:
        for role in ("relative", "supporter", "admin"):
            cookies[role] = sign_in(server.port, f"bench-{role}@example.org")
            if role != "relative":
                pass_second_factor(url, f"bench-{role}@example.org")
        for key, label, role, _ in PAGES:
            if args.pages and key not in args.pages:
                continue
            cookies[role] = check_page(server.port, paths[key], cookies[role], key)
            wrk(server, paths[key], cookies[role], args, args.warmup)
            if args.profile:
                profile(server, paths[key], cookies[role], args, scratch, f"{backend}-{key}")
            pages[key] = wrk(server, paths[key], cookies[role], args)
            print(f"   {label:50} {describe(pages[key], ceiling)}", flush=True)
        rss_after = server.worker_rss()
        rss_peak = max([load.rss_peak_mb for load in pages.values()] + rss_after)
    finally:
        server.stop()

    recording_on: list[Load] = []
    recording_off: list[Load] = []
    events = []
    if not args.pages or "module" in args.pages:
        # Rounds alternate which setting goes first (on-off, off-on, ...), so a drift across the
        # runs (the database file growing, the machine's other work) falls on both settings alike;
        # an untimed run first warms the operating system's file cache for either.
        warm = Server("wsgi:app", {**serve_env, "USAGE_RECORDING": "0"}, scratch, f"{backend}-rec")
        try:
            wrk(
                warm,
                paths["module"],
                check_page(warm.port, paths["module"], cookies["relative"], "module"),
                args,
            )
        finally:
            warm.stop()
        for round_number in range(args.rounds):
            order = (("1", recording_on), ("0", recording_off))
            for setting, into in order if round_number % 2 == 0 else order[::-1]:
                server = Server(
                    "wsgi:app", {**serve_env, "USAGE_RECORDING": setting}, scratch, f"{backend}-rec"
                )
                try:
                    cookie = check_page(server.port, paths["module"], cookies["relative"], "module")
                    wrk(server, paths["module"], cookie, args, args.warmup)
                    into.append(wrk(server, paths["module"], cookie, args))
                    # Then count exactly: one event for each of a known number of page views, or none.
                    before = page_views(url)
                    for _ in range(EXACT_VIEWS):
                        status, _, _ = request(server.port, "GET", paths["module"], cookie)
                        if status != 200:
                            raise RuntimeError(f"{paths['module']} answered {status}")
                    added = page_views(url) - before
                finally:
                    server.stop()
                expected = EXACT_VIEWS if setting == "1" else 0
                if added != expected:
                    raise RuntimeError(
                        f"{added} page-view events for {EXACT_VIEWS} views, recording {setting}"
                    )
                if setting == "1":
                    events.append(added / EXACT_VIEWS)
        on = mean(load.requests_per_second for load in recording_on)
        off = mean(load.requests_per_second for load in recording_off)
        print(f"   recording on {on:.1f} req/s, off {off:.1f} req/s: costs {1 - on / off:.1%}", flush=True)
        on_cpu = mean(load.cpu_ms for load in recording_on)
        off_cpu = mean(load.cpu_ms for load in recording_off)
        print(
            f"   recording on {on_cpu:.2f} CPU ms/request, off {off_cpu:.2f}: costs {1 - off_cpu / on_cpu:.1%}"
        )
    ceilings.append(measure_ceiling(serve_env, args, scratch, backend))
    print(f"   {'Ceiling again, at the end':50} {describe(ceilings[1], ceilings[1])}", flush=True)
    print(f"   worker RSS after load {', '.join(f'{mb:.0f}' for mb in rss_after)} MB; peak {rss_peak:.0f} MB")
    return Result(
        backend,
        Load(
            mean(c.requests_per_second for c in ceilings),
            mean(c.p50_ms for c in ceilings),
            mean(c.p99_ms for c in ceilings),
            sum(c.requests for c in ceilings),
            sum(c.errors for c in ceilings),
            mean(c.cpu_ms for c in ceilings),
        ),
        pages,
        paths,
        recording_on,
        recording_off,
        mean(events) if events else 0.0,
        rss_after,
        rss_peak,
    )


def measure_ceiling(serve_env: dict[str, str], args: argparse.Namespace, scratch: Path, backend: str) -> Load:
    hello = Server("bench.hello:app", serve_env, scratch, f"{backend}-hello")
    try:
        wrk(hello, "/", "", args, args.warmup)
        return wrk(hello, "/", "", args)
    finally:
        hello.stop()


def describe(load: Load, ceiling: Load) -> str:
    return (
        f"{load.requests_per_second:8.1f} req/s  p50 {load.p50_ms:7.1f} ms  p99 {load.p99_ms:7.1f} ms  "
        f"{load.requests_per_second / ceiling.requests_per_second:6.1%}  CPU {load.cpu_ms:6.2f} ms/req "
        f"({ceiling.cpu_ms / load.cpu_ms:6.1%})" + (f"  {load.errors} errors" if load.errors else "")
    )


def profile(
    server: Server, path: str, cookie: str, args: argparse.Namespace, scratch: Path, name: str
) -> None:
    """Sample both workers with py-spy while wrk loads the page; writes collapsed stacks to --profile."""
    spy = shutil.which("py-spy")
    if spy is None:
        raise RuntimeError("--profile needs py-spy on PATH")
    out = Path(args.profile) / f"{name}.txt"
    seconds = int(args.duration)
    recorder = subprocess.Popen(  # noqa: S603
        [
            spy,
            "record",
            "--subprocesses",
            "--nonblocking",
            "--format",
            "raw",
            "--rate",
            "200",
            "-d",
            str(seconds),
            "-o",
            str(out),
            "-p",
            str(server.process.pid),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wrk(server, path, cookie, args, seconds)
    recorder.wait()


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


# Report ---------------------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{value:.1%}" if value < 0.1 else f"{value:.0%}"


def markdown(results: list[Result], args: argparse.Namespace, command: str) -> str:
    lines = [
        "# Page throughput",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}`: gunicorn with `gunicorn.conf.py` "
        f"(2 sync workers), production settings, wrk `-t{args.threads} -c{args.connections} -d{args.duration}s` "
        f"on 127.0.0.1 after a {args.warmup} s warm-up; {os.cpu_count()} CPU cores shared with wrk, "
        f"Python {platform.python_version()}. The ceiling is `bench/hello.py` under the same settings, "
        "measured at the start and the end of each backend's run (the mean is shown).",
        "",
        "*ratio to ceiling* is requests/s over the ceiling's requests/s. On a machine that other work "
        "shares, requests/s moves with the load from outside; *CPU/request* (the workers' and master's "
        "CPU time over the requests served) moves much less, and *CPU ratio* is the ceiling's "
        "CPU/request over the page's.",
        "",
    ]
    for result in results:
        ceiling = result.ceiling
        lines += [
            f"## {result.backend}",
            "",
            "| page | requests/s | p50 | p99 | ratio to ceiling | CPU/request | CPU ratio | target |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| Ceiling: bare Flask | {ceiling.requests_per_second:.0f} | {ceiling.p50_ms:.1f} ms | "
            f"{ceiling.p99_ms:.1f} ms | 100% | {ceiling.cpu_ms:.2f} ms | 100% | |",
        ]
        for key, label, _, target in PAGES:
            load = result.pages.get(key)
            if load is None:
                continue
            ratio = load.requests_per_second / ceiling.requests_per_second
            verdict = "" if target is None else f"≥ {target:.0%}: {'met' if ratio >= target else 'missed'}"
            errors = f" ({load.errors} errors)" if load.errors else ""
            lines.append(
                f"| {label} | {load.requests_per_second:.1f}{errors} | {load.p50_ms:.0f} ms | "
                f"{load.p99_ms:.0f} ms | {_pct(ratio)} | {load.cpu_ms:.1f} ms | "
                f"{_pct(ceiling.cpu_ms / load.cpu_ms)} | {verdict} |"
            )
        lines.append("")
        if result.recording_on:
            on = mean(load.requests_per_second for load in result.recording_on)
            off = mean(load.requests_per_second for load in result.recording_off)
            on_cpu = mean(load.cpu_ms for load in result.recording_on)
            off_cpu = mean(load.cpu_ms for load in result.recording_off)
            share = 1 - off_cpu / on_cpu
            verdict = "met" if share <= RECORDING_TARGET else "missed"
            lines += [
                f"Usage recording, module page ({len(result.recording_on)} runs each after an untimed warm-up, "
                f"in on/off pairs whose order alternates, gunicorn restarted for each): CPU/request {on_cpu:.1f} ms on, {off_cpu:.1f} ms off, so recording costs "
                f"{share:.1%} of the page's CPU, and as much of its throughput when the CPU is the limit "
                f"(target ≤ {RECORDING_TARGET:.0%}: {verdict}). Requests/s: {on:.1f} on, {off:.1f} off "
                f"({1 - on / off:+.1%}), which on this shared machine is mostly other work's noise. "
                f"After each run, {EXACT_VIEWS} more views one at a time wrote exactly "
                f"{result.events_per_request * EXACT_VIEWS:.0f} page-view events with recording on "
                "and none with it off.",
                "",
            ]
        after = max(result.rss_after_mb) if result.rss_after_mb else 0
        verdict = "met" if max(after, result.rss_peak_mb) < RSS_TARGET_MB else "missed"
        lines += [
            f"Worker memory (VmRSS): {after:.0f} MB after the load, {result.rss_peak_mb:.0f} MB at most "
            f"while it ran (target < {RSS_TARGET_MB} MB: {verdict}). gunicorn.conf.py recycles a worker "
            "after about 2,000 requests, so the peak is the figure to watch.",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load for each page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of load before each measurement")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--rounds", type=int, default=4, help="recording on/off pairs, each pair in turn order"
    )
    parser.add_argument("--months", type=int, default=6, help="months of simulated history")
    parser.add_argument("--sites", type=int, default=2, help="simulated trusts")
    parser.add_argument("--pages", type=lambda s: s.split(","), default=None, help="only these pages")
    parser.add_argument("--profile", default=None, help="folder for py-spy samples of each page")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: run bench/run, which installs it")
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    command = "bench/run" + ("" if len(sys.argv) == 1 else " " + " ".join(sys.argv[1:]))
    results = []
    with tempfile.TemporaryDirectory(prefix="react-http-bench-") as folder:
        scratch = Path(folder)
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = f"sqlite:///{scratch / 'bench.sqlite3'}"
            elif backend == "postgresql":
                url = os.environ.get("BENCH_RUN_DATABASE_URL", DEFAULT_PG)
                fresh_postgres(url)
            else:
                raise SystemExit(f"unknown backend {backend!r}")
            results.append(run_backend(backend, url, args, scratch))
    report = markdown(results, args, command)
    print("\n" + report)
    if not args.pages:
        Path(args.out).write_text(report + "\n")


if __name__ == "__main__":
    main()
