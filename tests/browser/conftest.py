"""Browser journey fixtures: a page in Chromium with its console watched, and the axe check.

The browser and the live server come from ``tests.chromium``, shared with the security sweep."""

from __future__ import annotations

import contextlib

import pytest


@pytest.fixture(autouse=True)
def _sqlite_only(database_url: str) -> None:
    """Journeys test what people see; the database layer is tested on both backends elsewhere."""
    if not database_url.startswith("sqlite"):
        pytest.skip("browser journeys run on SQLite only")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.problems = []

    def on_console(message) -> None:
        # A form answered with 400 is logged as a failed load; sub-resources are checked below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page.problems.append(message.text)

    def on_response(response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            page.problems.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def check_accessibility():
    """Run axe-core in the page; fail with a readable list of any violations."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    axe = Axe()

    def check(page) -> None:
        # The pointer stays where the last click was; over a link on the new page its hover
        # colours would be judged instead of the page's own.
        page.mouse.move(0, 0)
        # A colour still fading back from its hover state would be judged half way: wait until no
        # transition or animation is running, so axe sees the colours the page settles on.
        # An animation that never ends (none is known) must not stop the check itself.
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_function(
                "document.getAnimations().every(animation => animation.playState !== 'running')",
                timeout=3000,
            )
        # The header's script may redraw its menu after the page loads (moving links into "More"
        # as fonts arrive); judge the header once it reads the same on two looks 100 ms apart.
        with contextlib.suppress(PlaywrightTimeoutError):
            page.wait_for_function(
                """() => {
                    const nav = document.querySelector('.nhsuk-header__navigation');
                    const seen = nav ? nav.innerHTML + nav.getBoundingClientRect().width : '';
                    const same = window.__reactHeaderSeen === seen;
                    window.__reactHeaderSeen = seen;
                    return same && document.fonts.status === 'loaded';
                }""",
                polling=100,
                timeout=3000,
            )
        results = axe.run(page)
        violations = results.response["violations"]
        summary = [
            f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        ]
        assert violations == [], f"{page.url}: " + "; ".join(summary)
        assert page.problems == [], f"{page.url}: browser errors {page.problems}"

    return check


def open_nav(page, label: str) -> None:
    """Follow a header navigation link; on a narrow screen it may be inside the 'More' menu."""
    link = page.locator(f".nhsuk-header__navigation-link:has-text('{label}')").first
    if not link.is_visible():
        page.click(".nhsuk-header__menu-toggle")
    link.click()
    page.wait_for_load_state()


def sign_out(page) -> None:
    """Sign out with the header's button and wait for the signed-out page."""
    page.click(".nhsuk-header__account-button")
    page.wait_for_url("**/signed-out")
