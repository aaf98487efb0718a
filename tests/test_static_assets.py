"""Static files carry their version in their address and are kept by browsers; old addresses are not."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from flask import url_for

from react_toolkit.static_assets import ONE_YEAR, version_of

LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def test_every_file_a_page_links_carries_its_version_and_is_kept_for_a_year(client, app):
    page = client.get("/sign-in").get_data(as_text=True)
    linked = [address.replace("&amp;", "&") for address in LINKED.findall(page)]
    assert any(address.startswith("/static/css/app.css?v=") for address in linked)
    # Icons the NHS.UK page template names from the frontend's assets folder have no version.
    versioned = [address for address in linked if "?v=" in address]
    assert {address.split("?")[0].rsplit(".", 1)[-1] for address in versioned} >= {"css", "mjs"}
    assert [address for address in linked if address.endswith((".css", ".mjs", ".js"))] == []
    for address in versioned:
        path, _, version = address.partition("?v=")
        filename = path.removeprefix("/static/")
        content = (Path(app.static_folder) / filename).read_bytes()
        assert version == hashlib.sha256(content).hexdigest()[:16], address
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == f"public, max-age={ONE_YEAR}", address


def test_an_address_without_its_version_or_with_an_old_one_is_checked_each_time(client):
    for address in ("/static/css/app.css", "/static/css/app.css?v=0123456789abcdef"):
        response = client.get(address)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache", address


def test_the_frontend_assets_path_that_templates_extend_gets_no_version(app):
    with app.test_request_context():
        assert (
            url_for("static", filename="vendor/nhsuk-frontend/assets")
            == "/static/vendor/nhsuk-frontend/assets"
        )
        assert url_for("static", filename="no/such/file.css") == "/static/no/such/file.css"


def test_a_changed_file_gets_a_new_version(tmp_path: Path):
    (tmp_path / "app.css").write_text("body { color: black; }")
    first = version_of(str(tmp_path), "app.css")
    assert first == version_of(str(tmp_path), "app.css")
    (tmp_path / "app.css").write_text("body { color: #212b32; }")
    later = os.stat(tmp_path / "app.css").st_mtime_ns + 1_000_000_000
    os.utime(tmp_path / "app.css", ns=(later, later))
    assert version_of(str(tmp_path), "app.css") not in (None, first)
    assert version_of(str(tmp_path), "../outside.css") is None
