"""In Chromium: the main pages reflow on a 320 px screen and with text at 200% on a wide one.

The page itself never scrolls sideways (WCAG 2.2 1.4.10 and 1.4.4). A wide data table may scroll
inside its own box, if a keyboard user can reach that box and a screen reader user hears its name.
The main thing each page is for stays on the screen.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from react_toolkit.auth import roles as R
from react_toolkit.forum import services as forum_services
from react_toolkit.inbox import services as inbox_services
from tests.browser.world import World, build_world, sign_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}
WIDE = {"width": 1280, "height": 900}

# Boxes that scroll sideways, and whether each can be reached and is named.
SCROLLERS = """() => [...document.querySelectorAll("body *")]
  .filter((el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
  .map((el) => ({
    id: el.id || el.className,
    reachable: el.tabIndex === 0,
    region: el.getAttribute("role") === "region",
    named: Boolean(el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")),
  }))"""


# Text at 200%, as a browser's text size setting gives it: set on the root element as soon as
# the page has one, before anything is drawn or any script runs.
LARGE_TEXT = """new MutationObserver((changes, observer) => {
  if (document.documentElement) {
    document.documentElement.style.fontSize = "200%";
    observer.disconnect();
  }
}).observe(document, {childList: true});"""


def pages(world: World) -> list[tuple[str, str, list[str]]]:
    """Who looks, at which page, and the main things on it that must stay on screen."""
    return [
        (R.RELATIVE, "/", [".react-crisis-bar__link", "main h1"]),
        (
            R.RELATIVE,
            f"/modules/{world.module.slug}/1",
            ["main h1", "button:has-text('Mark as done')", "button:has-text('Save to my toolbox')"],
        ),
        (
            R.RELATIVE,
            f"/forum/threads/{world.thread_id}",
            ["main h1", "#body", "button:has-text('Post reply')"],
        ),
        (R.RELATIVE, "/messages", ["main h1", "main a:has-text('Write to a supporter')"]),
        (
            R.RELATIVE,
            f"/messages/{world.conversation.id}",
            ["main h1", "#body", "main button:has-text('Send')"],
        ),
        (
            R.RELATIVE,
            f"/messages/{world.out_of_hours.id}",
            [
                "main h1",
                ".react-message--auto a[href='tel:999']",
                ".react-message--auto a[href='tel:116123']",
                ".react-message--auto li:has-text('85258')",
            ],
        ),
        (R.SUPPORTER, "/inbox", ["main h1", f"main a[href='/inbox/{world.waiting_conversation.id}']"]),
        (
            R.SUPPORTER,
            f"/inbox/{world.conversation.id}",
            ["main h1", "#body", "button:has-text('Send reply')"],
        ),
        (
            R.SUPPORTER,
            f"/inbox/{world.escalation_id}/forum-post",
            ["main h1", ".react-post--focus .react-post__body"],
        ),
        (R.SITE_LEAD, "/dashboard", ["main h1", "button:has-text('Show figures')", "#uptake-table"]),
        (R.SITE_LEAD, f"/dashboard/teams/{world.team.id}/report", ["main h1", "main table"]),
    ]


# Text outside charts (drawn to scale, with their figures repeated in tables) whose size was
# fixed in pixels, so that it does not grow with the reader's text size.
FIXED_TEXT = """(smallest) => [...document.querySelectorAll("main *")]
  .filter((el) => !el.closest("svg") && el.checkVisibility()
    && [...el.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim())
    && parseFloat(getComputedStyle(el).fontSize) < smallest)
  .map((el) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}"`)
  .slice(0, 5)"""


def check_reflow(page, path: str, primary: list[str], how: str, text_zoom: bool) -> list[str]:
    problems = []
    if text_zoom:
        # The smallest NHS.UK text is 14 px at 100%; at 200% nothing should be under 24 px.
        for text in page.evaluate(FIXED_TEXT, 24):
            problems.append(f"{how} {path}: {text} does not grow with the text size")
    width = page.evaluate("window.innerWidth")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width + 1:
        problems.append(f"{how} {path}: the page scrolls sideways ({scroll_width} px in {width} px)")
    for box in page.evaluate(SCROLLERS):
        if not (box["reachable"] and box["region"] and box["named"]):
            problems.append(
                f"{how} {path}: {box['id']} scrolls sideways but is not a named, focusable region"
            )
    for selector in primary:
        target = page.locator(selector).first
        if not target.is_visible():
            problems.append(f"{how} {path}: {selector} is not visible")
            continue
        bounds = target.bounding_box()
        left, right = bounds["x"], bounds["x"] + bounds["width"]
        region = target.locator("xpath=ancestor::*[@role='region'][1]")
        if region.count():  # a wide table need only start on screen: the rest scrolls in its box
            right = min(right, region.bounding_box()["x"] + region.bounding_box()["width"])
        if left < 0 or right > width + 1:
            problems.append(
                f"{how} {path}: {selector} runs off the screen ({left:.0f} to {right:.0f} of {width})"
            )
    return problems


@pytest.fixture
def world(create_user, create_team, clock):
    world = build_world(create_user, create_team)
    # A message written on a Saturday night, so its page has the automatic reply: the crisis
    # numbers as a list of links, then when the team will read it, then the hours.
    back = clock()
    clock.set(datetime(2026, 11, 14, 23, 5, tzinfo=UTC))
    world.out_of_hours, _ = inbox_services.start_conversation(
        world.people[R.RELATIVE], "Saturday night", "Is it usual for him to sleep most of the day?"
    )
    clock.set(back, ticking=True)
    # A moderator passes the relative's forum post to the team, who read it in its thread.
    world.escalation_id = forum_services.escalate(
        world.people[R.MODERATOR], world.own_post, "Please check how they are doing at home."
    )
    return world


def sweep(browser, live_server, world: World, viewport: dict, how: str, text_zoom: bool) -> list[str]:
    problems: list[str] = []
    contexts = {}
    try:
        for role, path, primary in pages(world):
            if role not in contexts:
                context = browser.new_context(base_url=live_server, viewport=viewport)
                if text_zoom:
                    context.add_init_script(LARGE_TEXT)
                contexts[role] = context.new_page()
                sign_in(contexts[role], world.people[role].email)
            page = contexts[role]
            response = page.goto(path)
            assert response.status == 200, f"{role} {path}: {response.status}"
            # Let scripts that respond to the page's size (the header's menu) run first.
            page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            if text_zoom:
                assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32, path
            problems.extend(check_reflow(page, path, primary, how, text_zoom))
    finally:
        for page in contexts.values():
            page.context.close()
    return problems


def test_main_pages_reflow_at_320_pixels(browser, live_server, world):
    problems = sweep(browser, live_server, world, NARROW, "320 px", text_zoom=False)
    assert problems == [], "\n".join(problems)


def test_main_pages_reflow_with_text_at_200_percent(browser, live_server, world):
    problems = sweep(browser, live_server, world, WIDE, "200% text", text_zoom=True)
    assert problems == [], "\n".join(problems)
