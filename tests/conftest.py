"""Shared fixtures: a set clock, an app per test on each database backend, a client, and factories.

Every database test runs on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is
set. The schema is built by running the Alembic migrations, never by create_all().
With pytest-xdist each worker has its own SQLite file and its own PostgreSQL database.

Every test runs on the app's clock, set to `SUITE_NOW` (or to REACT_TEST_NOW, which
`make test-dates` uses to run the date-sensitive tests at awkward moments), and ticking
from there; the `clock` fixture sets it to an exact moment.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
from collections import UserList
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, time, timedelta
from itertools import count

import flask_migrate
import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import create_engine, func, make_url, select, text, update
from sqlalchemy.exc import DBAPIError

from react_toolkit import create_app
from react_toolkit.auth import roles as R
from react_toolkit.auth.forum_names import forum_name_key
from react_toolkit.auth.models import User, UserRole, UserSession
from react_toolkit.auth.passwords import hash_password
from react_toolkit.config import for_tests
from react_toolkit.extensions import db, limiter
from react_toolkit.organisations.models import ServiceHours, Site, Team
from react_toolkit.timeutil import now, set_clock

# The browser and live-server fixtures, shared by every package that drives Chromium.
pytest_plugins = ["tests.chromium"]

PASSWORD = "correct horse battery staple"


def _share_url_builders() -> None:
    """Every app the suite builds compiles the same URL rules; compile each rule's builder once.

    Werkzeug turns each rule into a small Python function when it is added to an app, which was
    a tenth of the cost of building an app. The function depends only on the rule's parts, its
    defaults and whether it appends unknown arguments (it reaches the rule's converters through
    its first argument), so one compiled for an identical rule of another app is the same.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = getattr(Rule, "_compile_builder", None)
    if compile_builder is None or getattr(compile_builder, "shared", False):
        return
    built: dict[tuple, Callable] = {}

    def shared(self: Rule, append_unknown: bool = True) -> Callable:
        key = (
            self.rule,
            tuple(self._trace),
            tuple(sorted((k, repr(v)) for k, v in (self.defaults or {}).items())),
            append_unknown,
        )
        if key not in built:
            built[key] = compile_builder(self, append_unknown)
        return built[key]

    shared.shared = True
    Rule._compile_builder = shared


_share_url_builders()
BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])

# A Wednesday morning inside every team's service hours, away from month ends and clock changes.
SUITE_NOW = datetime(2026, 11, 18, 10, 30, tzinfo=UTC)
# `make test-dates` lists moments here (ISO times with their offsets); each test then runs once at each.
TEST_DATES = os.environ.get("REACT_TEST_DATES", "").split()


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value}: test dates need an offset, such as 2027-03-28T00:59:00+00:00")
    return moment


def suite_now() -> datetime:
    """When the suite's clock starts: REACT_TEST_NOW (an ISO time with its offset), else SUITE_NOW."""
    value = os.environ.get("REACT_TEST_NOW")
    return _moment(value) if value else SUITE_NOW


class Clock:
    """The app's clock as a test sees it: `set` a moment (frozen unless ticking), `advance` it."""

    def __init__(self, start: datetime) -> None:
        self.start = start  # where the suite started it for this test

    def set(self, moment: datetime, *, ticking: bool = False) -> datetime:
        set_clock(moment, ticking=ticking)
        return moment

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        return self.set(now() + (delta or timedelta(**parts)))

    def __call__(self) -> datetime:
        return now()

    @property
    def moment(self) -> datetime:
        return now()

    @moment.setter
    def moment(self, moment: datetime) -> None:
        self.set(moment)


def _clock_from(start: datetime) -> Iterator[Clock]:
    set_clock(start, ticking=True)
    yield Clock(start)
    set_clock(None)


if TEST_DATES:

    @pytest.fixture(autouse=True, params=TEST_DATES)
    def clock(request: pytest.FixtureRequest) -> Iterator[Clock]:
        yield from _clock_from(_moment(request.param))

else:

    @pytest.fixture(autouse=True)
    def clock() -> Iterator[Clock]:
        yield from _clock_from(suite_now())


def own_database(url: str, suffix: str) -> str:
    """A PostgreSQL database beside the one `url` names, called `<name>_<suffix>`, made on first use."""
    base = make_url(url)
    name = f"{base.database}_{suffix}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def worker_database(url: str) -> str:
    """The PostgreSQL database of this pytest-xdist worker, or `url` itself without xdist."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    return own_database(url, worker) if worker else url


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


# Each backend's database, made and migrated once per worker: the long tests run first, so a
# worker may come back to a backend after the other and finds its database ready.
_migrated: dict[str, str] = {}


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param not in _migrated:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        else:
            url = worker_database(os.environ["TEST_DATABASE_URL"])
            _reset_postgres(url)
        app = create_app(for_tests(url))
        with app.app_context():
            flask_migrate.upgrade()
            db.engine.dispose()
        _migrated[request.param] = url
    yield _migrated[request.param]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The long tests (marked `slow`, and the browser journeys) first, in their order: the workers
    start on them together and end on short tests, instead of one worker carrying a long test
    alone at the end."""
    items.sort(key=lambda item: not (item.get_closest_marker("slow") or item.get_closest_marker("browser")))


def _empty_tables() -> None:
    tables = [table.name for table in db.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        # DELETE with the foreign-key checks off for this transaction (teams and users point at
        # each other), then every id sequence back to 1: the clean slate of TRUNCATE ... RESTART
        # IDENTITY without making new files for every table after every test. Turning the checks
        # off needs a superuser; anyone else gets TRUNCATE.
        try:
            with db.engine.begin() as connection:
                # One round trip: psycopg sends statements without parameters as one simple query.
                deletes = "".join(f"DELETE FROM {name}; " for name in tables)  # noqa: S608 - our own metadata
                connection.exec_driver_sql(f"SET LOCAL session_replication_role = replica; {deletes}")
                sequences = connection.scalars(
                    text("SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()")
                ).all()
                if sequences:
                    connection.execute(
                        text("SELECT " + ", ".join(f"setval('{name}', 1, false)" for name in sequences))
                    )
        except DBAPIError:
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        return
    # SQLite ignores PRAGMA foreign_keys inside a transaction: turn the checks off before the
    # deletes begin one and on again after they commit, or the pooled connection keeps them off.
    with db.engine.connect() as connection:
        connection.execute(text("PRAGMA foreign_keys=OFF"))
        for name in tables:
            connection.execute(text(f"DELETE FROM {name}"))  # noqa: S608 - names come from our own metadata
        connection.commit()
        connection.execute(text("PRAGMA foreign_keys=ON"))
        connection.commit()
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


class RequestClient(FlaskClient):
    """Gives each request its own app context, as in production.

    Tests hold an app context open for factories and queries; without this, Flask
    would reuse it for every request and `g` would leak from one request to the next.
    """

    def open(self, *args, **kwargs):
        hidden = _cv_app.set(None)
        try:
            return super().open(*args, **kwargs)
        finally:
            _cv_app.reset(hidden)


# Apps built for earlier tests on this worker, by database and settings, to be used again: building
# an app and loading its templates was a large part of each test's cost. After each test its tables
# are emptied and its settings, mail and rate limits put back; an app the test changed in shape (a
# route, a home card, a template loader added) is never used again. A test that changes an app's
# shape on purpose, or needs the database to itself, asks for one of its own with
# `@pytest.mark.fresh_app`.
_apps: dict[tuple[str, str], tuple[Flask, dict, tuple, dict]] = {}
_KEEP_APPS = 24


def _shape(app: Flask) -> tuple:
    """What a test could change about an app that emptying tables and resetting settings does not undo."""
    loader = app.jinja_env.loader
    return (
        len(app.url_map._rules),
        tuple(sorted((k, len(v)) for k, v in app.extensions.items() if isinstance(v, list))),
        len(getattr(loader, "loaders", ())),
        tuple(sorted(app.jinja_env.globals)),
        tuple(sorted(app.jinja_env.filters)),
        id(app.jinja_env.bytecode_cache),
        len(app.before_request_funcs.get(None, ())),
        len(app.after_request_funcs.get(None, ())),
    )


def _settle(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        _empty_tables()


def _let_go_of_connections(keep: list[Flask]) -> None:
    """A PostgreSQL server takes a hundred connections: of the apps kept for later tests, only those
    the last test used hold theirs open (most tests use the same app, and connecting costs each
    test about 10 ms). A SQLite file has no such limit."""
    for (url, _settings), (kept, *_) in _apps.items():
        if url.startswith("postgresql") and all(kept is not app for app in keep):
            with kept.app_context():
                db.engine.dispose()


def _retire(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_app(database_url: str, request: pytest.FixtureRequest) -> Iterator[Callable[..., Flask]]:
    """Build an app on the test database with extra settings (or use again one built with the same)."""
    fresh = request.node.get_closest_marker("fresh_app") is not None
    used: list[tuple[Flask, tuple | None]] = []
    if fresh:
        # Such a test may also need the database to itself (a restore): the shared apps let go of
        # their connections, and open new ones when next used.
        for shared, *_ in _apps.values():
            with shared.app_context():
                db.engine.dispose()

    def build(**overrides) -> Flask:
        key = (database_url, repr(sorted(overrides.items())))
        # A second app with the same settings in one test stands for another process: build it.
        if not fresh and key in _apps and all(k != key for _, k in used):
            _apps[key] = _apps.pop(key)  # the most recently used last
            app = _apps[key][0]
            used.append((app, key))
            return app
        app = create_app(for_tests(database_url, **overrides))
        app.test_client_class = RequestClient
        shared = not fresh and key not in _apps
        used.append((app, key if shared else None))
        if shared:
            _apps[key] = (app, copy.deepcopy(dict(app.config)), _shape(app), dict(app.extensions))
            while len(_apps) > _KEEP_APPS:
                _retire(_apps.pop(next(iter(_apps)))[0])
        return app

    yield build
    for app, key in used:
        _settle(app)
        kept = _apps.get(key) if key else None
        if kept is None or kept[0] is not app:
            _retire(app)
            continue
        _, settings, shape, extensions = kept
        if _shape(app) != shape:
            del _apps[key]
            _retire(app)
            continue
        app.config.clear()
        app.config.update(copy.deepcopy(settings))
        # An extension a test swapped (a mail server that is down, say) is put back.
        app.extensions.update(extensions)
        for backend in ("mail", "sms"):
            if hasattr(app.extensions.get(backend), "outbox"):
                app.extensions[backend].outbox.clear()
        # Translations loaded (or swapped, as the pseudo-locale does) are loaded afresh.
        with app.app_context():
            app.extensions["babel"].instance.domain_instance.cache.clear()
    if database_url.startswith("postgresql"):
        _let_go_of_connections([app for app, _ in used])
    limiter.reset()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


class DeliveredOutbox(UserList):
    """The mail the outbox worker has delivered: each look runs the worker once first.

    Features only write notices to the outbox; reading this list delivers what is due, through
    the memory backend, as `flask react deliver --once` would.
    """

    def __init__(self, app: Flask, backend: str = "mail") -> None:  # no super(): `data` is live
        self.app = app
        self.backend = backend

    @property
    def data(self) -> list:
        from react_toolkit.notifications import worker

        with self.app.app_context():
            worker.deliver_due()
        return self.app.extensions[self.backend].outbox

    def __getitem__(self, index):  # a slice is a plain list of what was delivered
        return self.data[index]


@pytest.fixture
def outbox(app: Flask) -> DeliveredOutbox:
    return DeliveredOutbox(app)


@pytest.fixture
def texts(app: Flask) -> DeliveredOutbox:
    """The text messages the outbox worker has delivered (the memory SMS backend)."""
    return DeliveredOutbox(app, "sms")


_numbers = count(1)


@pytest.fixture
def create_site(app: Flask) -> Callable[..., Site]:
    def make(name: str | None = None) -> Site:
        number = next(_numbers)
        site = Site(name=name or f"Trust {number}", code=f"trust-{number}")
        db.session.add(site)
        db.session.commit()
        return site

    return make


@pytest.fixture
def create_team(app: Flask, create_site) -> Callable[..., Team]:
    def make(site: Site | None = None, *, crisis_phone: str = "0300 555 0000", hours: bool = True) -> Team:
        site = site or create_site()
        team = Team(
            site_id=site.id,
            name=f"EIP team {next(_numbers)}",
            caseload=100,
            crisis_phone=crisis_phone,
            crisis_phone_label="Local crisis line",
        )
        if hours:
            team.hours = [ServiceHours(weekday=d, opens=time(9), closes=time(17)) for d in range(5)]
        db.session.add(team)
        db.session.commit()
        return team

    return make


@pytest.fixture
def create_user(app: Flask, create_team) -> Callable[..., User]:
    """create_user(role="clinician") or create_user(roles=[...], team=..., site=...)."""

    def make(
        role: str = R.RELATIVE,
        *,
        roles: list[str] | None = None,
        team: Team | None = None,
        site: Site | None = None,
        password: str = PASSWORD,
        email: str | None = None,
        no_team: bool = False,
    ) -> User:
        number = next(_numbers)
        roles = roles or [role]
        if team is None and not no_team and R.ADMIN not in roles and R.RESEARCHER not in roles:
            team = create_team(site)
        if team is not None:
            site = team.site
        user = User(
            email=email or f"person{number}@example.org",
            password_hash=hash_password(password),
            full_name="" if R.RELATIVE in roles else f"Staff Member {number}",
            forum_name=f"Member{number}" if R.RELATIVE in roles else None,
            forum_name_key=forum_name_key(f"Member{number}") if R.RELATIVE in roles else None,
            site_id=site.id if site else None,
            team_id=team.id if team and R.SITE_LEAD not in roles else None,
        )
        user.role_rows.extend(UserRole(role=name) for name in roles)
        db.session.add(user)
        db.session.commit()
        return user

    return make


TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(client: FlaskClient, path: str = "/") -> str:
    """A CSRF token for this client's session, read from a page that has a form."""
    response = client.get(path)
    match = TOKEN.search(response.get_data(as_text=True))
    if match is None:
        response = client.get("/sign-in")
        match = TOKEN.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def csrf_token(client: FlaskClient) -> str:
    """The CSRF token a page would put in this client's forms, made as Flask-WTF makes it.

    A form's token is the session's own secret, signed with the app's key; reading the session
    and signing it here gives the same token without rendering a page for it. The checking side
    is untouched: the app verifies it exactly as it verifies a token read off a page, and tests in
    tests/security post without one, and with another session's, to show it is refused.
    """
    app = client.application
    with client.session_transaction() as session:
        # The page the form was on would have shown any waiting messages, and so used them up.
        session.pop("_flashes", None)
        if "csrf_token" not in session:
            session["csrf_token"] = hashlib.sha1(os.urandom(64)).hexdigest()  # noqa: S324 - as Flask-WTF
        raw = session["csrf_token"]
    secret = app.config.get("WTF_CSRF_SECRET_KEY") or app.secret_key
    return URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps(raw)


def post(
    client: FlaskClient, path: str, data: dict | None = None, *, token_from: str | None = None, **kwargs
):
    """POST a form the way a browser would: with the session's CSRF token (see csrf_token).

    `token_from` names the page the form is on, for the reader; the token is the same on every page.
    """
    data = dict(data or {})
    if "csrf_token" not in data:
        data["csrf_token"] = csrf_token(client)
    return client.post(path, data=data, **kwargs)


def pass_second_factor(user: User) -> None:
    """What a right code does at sign-in, for tests about something else: the newest session passes.

    Staff must pass a second factor before they can open any page; tests/second_factor/ go
    through the real set-up and code pages.
    """
    from react_toolkit.second_factor.services import needs_second_factor

    if not needs_second_factor(user):
        return
    newest = (
        select(func.max(UserSession.id))
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .scalar_subquery()
    )
    db.session.execute(update(UserSession).where(UserSession.id == newest).values(second_factor_at=now()))
    db.session.commit()


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., FlaskClient]:
    def sign_in(user: User, password: str = PASSWORD, the_client: FlaskClient | None = None) -> FlaskClient:
        target = the_client or client
        response = post(
            target, "/sign-in", {"email": user.email, "password": password}, token_from="/sign-in"
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        pass_second_factor(user)
        return target

    return sign_in
