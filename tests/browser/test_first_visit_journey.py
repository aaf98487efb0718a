"""In Chromium at 375 px: a relative registers from an emailed invitation, meets "Start here", reads
the help and about pages, and reads a module section offline; the offline store never holds a
private page and is empty after signing out. Axe on every new page."""

import re

import pytest

from react_toolkit.auth import services as auth_services
from react_toolkit.extensions import db
from react_toolkit.modules.services import sync_content
from tests.modules.conftest import CONTENT_DIR

pytestmark = pytest.mark.browser

STORED = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const store = await caches.open(name);
    for (const request of await store.keys()) found.push(new URL(request.url).pathname);
  }
  return found;
}"""
ALLOWED = re.compile(r"^/static/.+|^/modules/[a-z0-9-]+/[0-9]+$")


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")
            and page.problems.append(message.text)
        ),
    )
    yield context, page
    context.close()


def test_first_visit_on_a_phone(phone, create_user, check_accessibility):
    context, page = phone
    sync_content(CONTENT_DIR)
    clinician = create_user("clinician")
    invitation = auth_services.create_invitation(
        clinician, clinician.team, "email", "new.relative@example.org"
    )
    db.session.commit()

    page.goto(f"/register/{invitation.code}")
    assert page.input_value("#email") == "new.relative@example.org"
    check_accessibility(page)
    page.fill("#forum_name", "Quiet Harbour")
    page.fill("#password", "lanterns along the harbour")
    page.check("#terms")
    page.click("button:has-text('Create my account')")
    page.wait_for_url("**/")
    start_here = page.locator("#start-here-title")
    assert start_here.is_visible()
    assert "116 123" in page.inner_text(".react-start-here")
    check_accessibility(page)

    for path, heading in (("/help", "Help using the toolkit"), ("/about", "About REACT toolkit")):
        page.goto(path)
        assert page.inner_text("h1") == heading
        check_accessibility(page)

    # The worker takes charge of the pages once it is ready; from then on sections are kept.
    page.goto("/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    section = "/modules/what-is-psychosis/1"
    page.goto(section)
    title = page.inner_text("h1")
    check_accessibility(page)

    # Every page the header offers a relative, and the others they reach.
    links = page.eval_on_selector_all(
        "a.nhsuk-header__navigation-link[href]", "links => links.map(a => a.pathname)"
    )
    for path in {*links, "/toolbox", "/messages", "/forum", "/account", "/help", "/about", "/crisis"}:
        page.goto(path)
    stored = page.evaluate(STORED)
    assert section in stored
    assert [path for path in stored if not ALLOWED.match(path)] == []

    context.set_offline(True)
    page.goto(section)
    assert page.inner_text("h1") == title
    context.set_offline(False)

    page.goto("/")
    page.locator("button:has-text('I have read this, hide it')").click()
    page.wait_for_url("**/")
    assert page.locator("#start-here-title").count() == 0

    page.click(".nhsuk-header__account-button")
    page.wait_for_url("**/signed-out")
    page.wait_for_function(f"({STORED})().then(found => found.length === 0)")
    assert page.problems == []
