"""The app served on a loopback port, and Debian's Chromium driven by Playwright.

Registered once for the whole run from the root conftest, so every package that drives a browser
shares one Playwright instance: two session-scoped instances cannot run in one process.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("REACT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def live_server(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def live_server_process(app) -> Iterator[str]:
    """The app served by a forked copy of this process, for a test that only reads what it serves.

    The copy has the app as the test has left it when the fixture starts (its clock, its settings
    and the database address), and renders pages without taking turns with the test's own
    threads (Playwright's), which share one interpreter lock with an in-process server.
    Whatever the test changes in its own process after that (the clock, settings) the copy
    does not see; the database it does.
    """
    from react_toolkit.extensions import db

    server = make_server("127.0.0.1", 0, app, threaded=True)
    with app.app_context():
        engine = db.engine
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the copy: serve until told to stop, and never return into pytest
        try:
            engine.dispose(close=False)
            # Stop too if the test process ends without stopping the copy (killed, say).
            server.service_actions = lambda: os.getppid() != parent and os._exit(0)  # type: ignore[method-assign]
            server.serve_forever(poll_interval=0.5)
        finally:
            os._exit(0)
    server.socket.close()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
