"""In Chromium, with the keyboard alone: the main journeys can be done with Tab, Shift+Tab, Enter,
Space and typing, the skip link moves focus to the main content, and focus can always be seen.

Each journey opens its first page by address, as a person would type it; after that nothing is
clicked. Every element that takes focus on the way is checked for a visible focus indicator.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.forum.models import Post
from react_toolkit.inbox.models import Conversation
from react_toolkit.modules.models import SectionProgress
from tests.browser.world import build_world, keep_recovery_codes, owes_second_factor, second_factor_code
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}

# What has focus, and whether a person can see it. The focused element (or the part of it that
# shows focus, such as a summary's text) must look different from when it is not focused, and
# carry an outline that is not transparent or a box shadow, as the NHS.UK focus style does.
FOCUSED = """() => {
  const element = document.activeElement;
  const parts = [element, ...element.querySelectorAll("*")];
  const looks = () => parts.map((node) => {
    const style = getComputedStyle(node);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && !/^(transparent|rgba\\(.*,\\s*0\\))$/.test(style.outlineColor);
    return {
      marked: outline || style.boxShadow !== "none",
      look: [style.outlineStyle, style.outlineColor, style.boxShadow, style.backgroundColor, style.color].join("|"),
    };
  });
  const focused = looks();
  element.blur();
  const unfocused = looks();
  element.focus({preventScroll: true, focusVisible: true});
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    text: (element.innerText || element.value || element.getAttribute("aria-label") || "").trim().slice(0, 80),
    visible: focused.some((part, i) => part.marked && part.look !== unfocused[i].look),
    still_focused: document.activeElement === element,
  };
}"""


@pytest.fixture
def keyboard_page(browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=DESKTOP)
    page = context.new_page()
    yield page
    context.close()


def tab_to(page, wanted: Callable[[dict], bool], key: str = "Tab", limit: int = 120) -> dict:
    """Press Tab (or Shift+Tab) until the focused element is the one wanted; focus must show on each."""
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body":
            # The header's script may redraw its menu just after a page loads, and the focused
            # link goes with it; the next Tab starts again from the top of the page.
            continue
        assert focused["still_focused"], focused
        assert focused["visible"], f"focus cannot be seen on {focused} at {page.url} after {passed}"
        if wanted(focused):
            return focused
        passed.append(focused["text"] or focused["id"] or focused["tag"])
    raise AssertionError(f"{key} never reached the element wanted on {page.url}; passed {passed}")


def by_id(element_id: str) -> Callable[[dict], bool]:
    return lambda focused: focused["id"] == element_id


def by_text(text: str) -> Callable[[dict], bool]:
    return lambda focused: focused["text"].startswith(text)


def press_and_wait(page, key: str = "Enter") -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    tab_to(page, by_id("email"))
    page.keyboard.type(email)
    tab_to(page, by_id("password"))
    page.keyboard.type(PASSWORD)
    # Back to the email box and forward again: the order runs both ways.
    assert tab_to(page, by_id("email"), key="Shift+Tab")["id"] == "email"
    tab_to(page, by_id("password"))
    press_and_wait(page)
    if owes_second_factor(page):
        tab_to(page, by_id("code"))
        page.keyboard.type(second_factor_code(page, email))
        press_and_wait(page)
        keep_recovery_codes(page, email)
    assert page.url.endswith("/"), page.url


@pytest.fixture
def world(create_user, create_team):
    return build_world(create_user, create_team)


def test_skip_link_moves_focus_to_the_main_content(keyboard_page, world):
    page = keyboard_page
    sign_in(page, world.people[R.RELATIVE].email)
    page.goto("/modules")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "Skip to main content" and first["visible"], first
    box = page.locator(".nhsuk-skip-link").bounding_box()
    assert box is not None and box["width"] > 1 and box["height"] > 1 and box["y"] >= 0  # shown on focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "maincontent"
    # The next Tab goes on from the main content, past the header and navigation.
    page.keyboard.press("Tab")
    inside_main = page.evaluate("Boolean(document.activeElement.closest('main'))")
    assert inside_main, page.evaluate(FOCUSED)


def test_read_a_section_and_mark_it_done(keyboard_page, world):
    page = keyboard_page
    relative = world.people[R.RELATIVE]
    sign_in(page, relative.email)
    tab_to(page, by_text("Modules"))
    press_and_wait(page)
    assert page.url.endswith("/modules")
    tab_to(page, lambda focused: world.module.title in focused["text"])
    press_and_wait(page)
    tab_to(page, by_text("Start reading"))
    press_and_wait(page)
    assert page.url.endswith(f"/modules/{world.module.slug}/1"), page.url
    tab_to(page, by_text("Mark as done"))
    press_and_wait(page, "Space")
    assert "is marked as done" in page.inner_text(".react-flash")
    first_section = world.module.sections[0]
    progress = db.session.scalar(
        select(SectionProgress).where(
            SectionProgress.user_id == relative.id, SectionProgress.section_id == first_section.id
        )
    )
    assert progress is not None and progress.completed_at is not None


def test_reply_in_the_forum(keyboard_page, world):
    page = keyboard_page
    relative = world.people[R.RELATIVE]
    sign_in(page, relative.email)
    tab_to(page, by_text("Forum"))
    press_and_wait(page)
    tab_to(page, by_text(world.category.name))
    press_and_wait(page)
    tab_to(page, by_text("Sleep after coming home"))
    press_and_wait(page)
    tab_to(page, by_id("body"))
    page.keyboard.type("A warm drink and the radio on low helped us.")
    tab_to(page, lambda focused: focused["tag"] == "button")
    press_and_wait(page)
    assert page.locator(".react-flash").count() == 1, page.inner_text("main")
    reply = db.session.scalar(
        select(Post).where(Post.author_id == relative.id, Post.body.like("A warm drink%"))
    )
    assert reply is not None and reply.thread_id == world.thread_id


def test_send_a_message_to_the_supporter(keyboard_page, world):
    page = keyboard_page
    relative = world.people[R.RELATIVE]
    sign_in(page, relative.email)
    tab_to(page, by_text("Messages"))
    press_and_wait(page)
    tab_to(page, by_text("Write to a supporter"))
    press_and_wait(page)
    tab_to(page, by_id("subject"))
    page.keyboard.type("Worried about sleep")
    tab_to(page, by_id("body"))
    page.keyboard.type("My son has hardly slept this week. What can I do?")
    tab_to(page, by_text("Send message"))
    press_and_wait(page)
    assert "My son has hardly slept" in page.inner_text("main")
    sent = db.session.scalar(select(Conversation).where(Conversation.subject == "Worried about sleep"))
    assert sent is not None and sent.relative_id == relative.id and sent.team_id == world.team.id


def test_moderator_approves_a_held_post_from_the_queue(keyboard_page, world):
    page = keyboard_page
    sign_in(page, world.people[R.MODERATOR].email)
    tab_to(page, by_text("Moderation"))
    press_and_wait(page)
    assert page.url.endswith("/moderation")
    tab_to(page, by_text("Sleep after coming home"))
    press_and_wait(page)
    assert page.url.endswith(f"/moderation/posts/{world.held_post.id}"), page.url
    tab_to(page, by_text("Approve and publish"))
    press_and_wait(page)
    assert page.locator(".react-flash").count() == 1
    db.session.refresh(world.held_post)
    assert world.held_post.status == "published"
