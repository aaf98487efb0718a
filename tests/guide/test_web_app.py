"""The installable web app: its manifest, and a worker that may keep module sections and nothing else."""

from __future__ import annotations

import json
import re

from react_toolkit.auth import roles as R
from react_toolkit.guide.views import OFFLINE_ASSETS, SECTION_PATH
from react_toolkit.modules.services import sync_content
from tests.modules.conftest import CONTENT_DIR
from tests.security.routes import routes


def test_the_manifest_makes_the_toolkit_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert manifest["theme_color"] == "#005eb8"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.data.startswith(b"\x89PNG")
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    # Browsers take the first manifest a page names: the app's must be the only one.
    assert page.count('rel="manifest"') == 1
    assert page.count('rel="apple-touch-icon"') == 1
    assert '<meta name="theme-color" content="#005eb8">' in page


def test_the_worker_is_served_for_the_whole_site_and_checked_on_each_visit(client):
    response = client.get("/service-worker.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert json.dumps(SECTION_PATH) in body
    for name in OFFLINE_ASSETS:
        versioned = re.search(rf'"(/static/{re.escape(name)}\?v=[0-9a-f]{{16}})"', body)
        assert versioned is not None, name
        assert f'"/static/{name}"' in body  # as a script may import it
        assert client.get(versioned.group(1)).status_code == 200


def test_only_module_section_pages_match_what_the_worker_keeps(app):
    kept = re.compile(SECTION_PATH)
    matching = set()
    for route in routes(app):
        if route.method != "GET":
            continue
        example = re.sub(r"<[^>]+>", "some-slug", re.sub(r"<int:[^>]+>", "1", route.rule.rule))
        if kept.match(example):
            matching.add(route.endpoint)
    assert matching == {"modules.view_section"}


def test_signing_out_tells_the_page_to_empty_the_offline_store(client):
    assert "data-forget-offline" in client.get("/signed-out").get_data(as_text=True)
    assert "data-forget-offline" not in client.get("/").get_data(as_text=True)


def test_module_sections_offer_listen_with_pause_and_stop(client, create_user, login):
    sync_content(CONTENT_DIR)
    login(create_user(R.RELATIVE))
    page = client.get("/modules/what-is-psychosis/1").get_data(as_text=True)
    controls = re.search(
        r'<div class="react-listen[^"]*" hidden data-listen-to="\.react-content".*?</div>\s*<p', page, re.S
    )
    assert controls, "no Listen controls on the section"
    for word in ("Listen", "Pause", "Stop"):
        assert f">{word}</button>" in controls.group(0)
    assert "react-listen" not in client.get("/modules/what-is-psychosis").get_data(as_text=True)
