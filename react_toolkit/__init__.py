"""The REACT toolkit: support for relatives of people with psychosis or bipolar disorder."""

from __future__ import annotations

import logging
from collections import ChainMap
from collections.abc import Mapping
from importlib import import_module
from types import CodeType
from typing import Any

from flask import Flask
from flask.templating import Environment
from jinja2 import BytecodeCache, ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from jinja2.bccache import Bucket

from react_toolkit.config import BASE_DIR, check_production, from_environment
from react_toolkit.core.numbers import BoundedIntegerConverter

log = logging.getLogger(__name__)

# Each package here has an init_app(app) that plugs the feature in; a new feature is one more line.
FEATURES = (
    "react_toolkit.core",
    "react_toolkit.i18n",
    "react_toolkit.risk",
    # Before auth: on erasure it finds notices by the person's address before auth replaces it.
    "react_toolkit.notifications",
    "react_toolkit.auth",
    "react_toolkit.second_factor",
    "react_toolkit.trust_sign_in",
    "react_toolkit.organisations",
    "react_toolkit.modules",
    "react_toolkit.reviews",
    "react_toolkit.resources",
    "react_toolkit.inbox",
    "react_toolkit.forum",
    "react_toolkit.outcomes",
    "react_toolkit.network",
    "react_toolkit.research",
    "react_toolkit.adoption",
    "react_toolkit.dashboard",
    "react_toolkit.guide",
    "react_toolkit.usage",
)


class _SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for every app built in this process.

    A production worker builds one app, but the test suite and the commands build many, and
    compiling the NHS.UK macros afresh for each was most of their cost. Jinja checks each
    template's source against the checksum stored with its code, so an edited template is
    compiled again.
    """

    def __init__(self) -> None:
        # The code objects themselves: they hold no state of the app that compiled them, and
        # sharing them saves unmarshalling each template again for every app.
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


_TEMPLATE_CODE = _SharedTemplateCode()


class _Globals(ChainMap):
    """A template's globals, whose names come back as a set.

    Each `{% from ... import ... %}` asks which of the importing page's global names the macro
    file lacks, by subtracting this mapping's keys from a set. The NHS.UK macros import each
    other on every call, so that subtraction runs dozens of times a page; against a ChainMap's
    key view it tests each name in Python, and against a set it is one step in C.
    """

    def keys(self):  # type: ignore[override]
        return set(self)


class _TemplateEnvironment(Environment):
    def make_globals(self, d):
        return _Globals({} if d is None else d, self.globals)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment (or the given settings)."""
    app = Flask(
        __name__,
        static_folder=str(BASE_DIR / "static"),
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.update(from_environment() if config is None else config)
    check_production(app.config)
    # Before any route is added: every <int:...> in a path is bounded to what the database holds.
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.jinja_environment = _TemplateEnvironment
    app.jinja_options = {
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader(
            [FileSystemLoader(str(BASE_DIR / "templates")), PackageLoader("nhsuk_frontend_jinja")]
        ),
        "autoescape": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
        "bytecode_cache": _TEMPLATE_CODE,
    }
    configure_logging(app)
    register_extensions(app)
    register_features(app)

    from react_toolkit import cli, errors, static_assets

    static_assets.init_app(app)
    cli.init_app(app)
    errors.init_app(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Werkzeug's access log would write full URLs and addresses; we keep neither.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from react_toolkit import mail, security
    from react_toolkit.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    warn_of_split_counts(app)
    mail.init_app(app)
    security.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _sqlite_pragmas(app)


def warn_of_split_counts(app: Flask) -> None:
    """Say at start when each worker process would count attempts per address on its own."""
    processes = app.config.get("WORKER_PROCESSES", 1)
    if processes > 1 and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        log.warning(
            "RATELIMIT_STORAGE_URI is memory:// and %d worker processes serve the app: each counts "
            "sign-in and registration attempts per network address on its own, so those limits are "
            "%d times looser. Run one process with threads (as gunicorn.conf.py does when "
            "WEB_CONCURRENCY is not set) or set RATELIMIT_STORAGE_URI to a redis:// address.",
            processes,
            processes,
        )


def _sqlite_pragmas(app: Flask) -> None:
    from sqlalchemy import event

    from react_toolkit.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def register_features(app: Flask) -> None:
    """Let each feature plug itself in: its blueprint, template globals, navigation and commands."""
    for name in FEATURES:
        import_module(name).init_app(app)
