"""Static files carry their version in their address and are kept by browsers; old addresses are not."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from flask import url_for

from react_toolkit.static_assets import ONE_YEAR, module_imports, version_of

LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def test_every_file_a_page_links_carries_its_version_and_is_kept_for_a_year(client, app):
    page = client.get("/sign-in").get_data(as_text=True)
    linked = [address.replace("&amp;", "&") for address in LINKED.findall(page)]
    assert any(address.startswith("/static/css/app.css?v=") for address in linked)
    assert [address for address in linked if "?v=" not in address] == []
    assert {address.split("?")[0].rsplit(".", 1)[-1] for address in linked} >= {"css", "mjs", "svg", "ico"}
    for address in linked:
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


IMPORT_MAP = re.compile(r'<script type="importmap" nonce="[^"]+">(.*?)</script>', re.S)


def test_every_file_our_scripts_import_is_mapped_to_its_versioned_address(client, app):
    """A script imports by a plain relative address, which a static file cannot version; each
    page's import map sends the browser to the versioned address instead."""
    page = client.get("/sign-in").get_data(as_text=True)
    found = IMPORT_MAP.findall(page)
    assert len(found) == 1
    imports = json.loads(found[0])["imports"]
    # app.mjs imports the frontend's script as "../vendor/nhsuk-frontend/nhsuk-frontend.min.js".
    assert "/static/vendor/nhsuk-frontend/nhsuk-frontend.min.js" in imports
    assert list(imports) == [f"/static/{name}" for name in module_imports(app.static_folder)]
    for plain, address in imports.items():
        assert address == f"{plain}?v={version_of(app.static_folder, plain.removeprefix('/static/'))}"
        assert client.get(address).headers["Cache-Control"] == f"public, max-age={ONE_YEAR}"
    # The map comes before any module script, or browsers ignore it.
    assert page.index('type="importmap"') < page.index('type="module"')


def test_the_imports_are_read_from_the_scripts_themselves(tmp_path: Path):
    (tmp_path / "js").mkdir()
    (tmp_path / "vendor").mkdir()
    (tmp_path / "js" / "app.mjs").write_text(
        'import { a } from "../vendor/a.js";\nimport "./b.mjs";\nconst c = await import("./c.mjs");\n'
        'import { d } from "https://example.org/d.js";\n'
    )
    (tmp_path / "vendor" / "a.js").write_text('import { e } from "./e.js";\n')
    (tmp_path / "vendor" / "inner.mjs").write_text('import { f } from "./f.js";\n')
    assert module_imports(str(tmp_path)) == ("js/b.mjs", "js/c.mjs", "vendor/a.js")
