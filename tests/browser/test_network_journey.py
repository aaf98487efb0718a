"""In Chromium, at 375 and 1280 pixels wide, with the mouse and with the keyboard alone: a relative makes a
support map, moves an entry in the picture, answers the needs questions, saves a suggestion to the
toolbox and says they went. Every page is checked with axe.

Set REACT_SCREENSHOT_DIR to keep a picture of the map at each width (docs/screenshots holds them).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.modules.models import ToolboxItem
from react_toolkit.network.models import MapEntry, Needs, Suggestion
from react_toolkit.resources import services as resource_services
from react_toolkit.resources.models import Resource
from tests.browser.conftest import open_nav
from tests.browser.test_keyboard_journeys import FOCUSED, by_id, by_text, press_and_wait, sign_in, tab_to
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = {375: 812, 1280: 900}


@pytest.fixture
def directory(create_user):
    """A relative, and help for them: a walking group in their area and a national sitting service."""
    relative = create_user(R.RELATIVE)
    supporter = create_user(R.SUPPORTER, team=relative.team)
    walking = resource_services.add_local(
        supporter,
        relative.site_id,
        {
            "name": "Riverside walking group",
            "category": "local-groups",
            "description": "A gentle walk and a chat for carers, every Saturday.",
            "phone": "0115 496 0000",
            "areas": "NG7",
            "support_kinds": ["company"],
        },
    )
    db.session.add(
        Resource(name="Sitting service", category="carers", description="Someone sits in.", support="break")
    )
    db.session.commit()
    return relative, walking


def entries_of(user) -> dict[str, MapEntry]:
    db.session.expire_all()
    return {e.label: e for e in db.session.scalars(select(MapEntry).where(MapEntry.user_id == user.id))}


def suggestion(user, resource) -> Suggestion:
    db.session.expire_all()
    return db.session.scalar(
        select(Suggestion).where(Suggestion.user_id == user.id, Suggestion.resource_id == resource.id)
    )


def for_walking(action: str):
    """The button for one action on the walking group's card: its name ends with the group's name."""
    return lambda focused: focused["text"].startswith(action) and "Riverside walking group" in focused["text"]


def keep_screenshot(page, width: int) -> None:
    folder = os.environ.get("REACT_SCREENSHOT_DIR")
    if folder:
        page.evaluate("document.activeElement.blur()")
        page.locator("#netmap").screenshot(path=str(Path(folder) / f"network-map-{width}.png"))


@pytest.mark.slow
@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_the_mouse(page, directory, check_accessibility, width):
    relative, walking = directory
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.goto("/sign-in")
    page.fill("#email", relative.email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")
    open_nav(page, "Support map")
    assert "Your map is empty" in page.inner_text("main")
    check_accessibility(page)

    for label, kind, circle, gives in (
        ("Sam", "A person", "Closest to me", "Someone to talk to"),
        ("Biscuit", "A pet", "Close to me", "Company"),
        ("Choir", "An activity", "Further out", "Information"),
    ):
        page.fill("#label", label)
        page.get_by_label(kind, exact=True).check()
        page.get_by_label(circle, exact=True).check()
        page.get_by_label(gives, exact=True).check()
        page.click("button:has-text('Add to my map')")
        assert f"{label} is on your map." in page.inner_text(".react-flash")
    check_accessibility(page)

    # Drag Sam from the closest circle to the outer one, straight below the middle.
    sam = entries_of(relative)["Sam"]
    page.locator("#netmap").scroll_into_view_if_needed()
    box = page.locator("#netmap svg").bounding_box()
    scale = box["width"] / 440  # the picture is 400 units with a margin of 20 each side
    node = page.locator(f"#node-{sam.id}").bounding_box()
    page.mouse.move(node["x"] + node["width"] / 2, node["y"] + 12 * scale)
    page.mouse.down()
    page.mouse.move(box["x"] + 220 * scale, box["y"] + 320 * scale, steps=8)
    page.mouse.move(box["x"] + 220 * scale, box["y"] + 390 * scale, steps=8)
    page.mouse.up()
    expect(page.locator("#netmap-status")).to_have_text("Sam is saved in: Further out")
    assert (entries_of(relative)["Sam"].circle, entries_of(relative)["Sam"].angle) == (3, 90)
    # The list is drawn again from the page: Sam is now listed further out.
    page.locator("#netmap-list h3:has-text('Further out') ~ ul").first.locator(
        "strong", has_text="Sam"
    ).wait_for()
    check_accessibility(page)
    keep_screenshot(page, width)

    page.click("text=Answer a few questions about what would help you")
    check_accessibility(page)
    page.get_by_label("Company", exact=True).check()
    page.get_by_label("By phone", exact=True).check()
    page.get_by_label("A short trip, a few miles at most").check()
    page.fill("#place", "ng7")
    page.click("button:has-text('Save and see suggestions')")
    page.wait_for_url("**/support-map/help")
    main = page.inner_text("main")
    assert main.index("Riverside walking group") < main.index("Sitting service")
    assert "It serves your area, NG7." in main
    check_accessibility(page)

    card = page.locator(f"#suggestion-{walking.id}")
    # Each button posts and comes back to a new page: the message is awaited on that page, not read
    # off the page the button was on.
    with page.expect_navigation():
        card.locator("button:has-text('Save to my toolbox')").click()
    expect(page.locator(".react-flash")).to_contain_text("Riverside walking group is saved in your toolbox.")
    with page.expect_navigation():
        page.locator(f"#suggestion-{walking.id} button:has-text('I contacted them or went')").click()
    expect(page.locator(".react-flash")).to_contain_text("Thank you for telling us")
    check_accessibility(page)
    found = suggestion(relative, walking)
    assert found.saved_at is not None and found.followed_at is not None
    assert (
        db.session.scalar(select(ToolboxItem.resource_id).where(ToolboxItem.user_id == relative.id))
        == walking.id
    )

    page.goto("/support-map/history")
    assert "Moved: Sam, from Closest to me to Further out" in page.inner_text("main")
    check_accessibility(page)


@pytest.mark.slow
@pytest.mark.parametrize("width", list(WIDTHS))
def test_with_the_keyboard_alone(page, directory, check_accessibility, width):
    relative, walking = directory
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    sign_in(page, relative.email)
    page.goto("/support-map/")

    tab_to(page, by_id("label"))
    page.keyboard.type("Sam")
    tab_to(page, by_id("kind-1"))
    page.keyboard.press("Space")
    tab_to(page, by_id("circle-2"))  # "Close to me" is chosen to start with
    page.keyboard.press("ArrowUp")
    tab_to(page, by_id("gives-1"))
    page.keyboard.press("Space")
    tab_to(page, by_text("Add to my map"))
    press_and_wait(page)
    assert "Sam is on your map." in page.inner_text(".react-flash")
    sam = entries_of(relative)["Sam"]
    assert (sam.kind, sam.circle, sam.gives) == ("person", 1, ["talk"])
    check_accessibility(page)

    # In the picture: down twice to the outer circle, then up once; each move is saved.
    focused = tab_to(page, by_id(f"node-{sam.id}"), key="Shift+Tab", limit=200)
    assert focused["text"] == "Sam: Closest to me"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#netmap-status")).to_have_text("Sam is saved in: Further out")
    assert entries_of(relative)["Sam"].circle == 3
    page.keyboard.press("ArrowUp")
    expect(page.locator("#netmap-status")).to_have_text("Sam is saved in: Close to me")
    assert entries_of(relative)["Sam"].circle == 2
    assert page.evaluate(FOCUSED)["id"] == f"node-{sam.id}"  # focus stays on Sam
    # The list view's own buttons do the same without the picture.
    tab_to(page, by_text("Move closer"))
    press_and_wait(page)
    assert entries_of(relative)["Sam"].circle == 1
    check_accessibility(page)

    tab_to(page, by_text("Answer a few questions"), key="Shift+Tab", limit=200)
    press_and_wait(page)
    tab_to(page, by_id("helps_most-5"))  # Company
    page.keyboard.press("Space")
    tab_to(page, by_id("ways-3"))  # By phone
    page.keyboard.press("Space")
    tab_to(page, by_id("travel-1"))
    page.keyboard.press("ArrowDown")  # A short trip
    tab_to(page, by_id("place"))
    page.keyboard.type("NG7")
    check_accessibility(page)
    tab_to(page, by_text("Save and see suggestions"))
    press_and_wait(page)
    assert page.url.endswith("/support-map/help")
    answers = db.session.scalar(select(Needs).where(Needs.user_id == relative.id))
    assert (answers.helps_most, answers.ways, answers.travel, answers.place) == (
        ["company"],
        ["phone"],
        "nearby",
        "NG7",
    )
    check_accessibility(page)

    tab_to(page, for_walking("Save to my toolbox"))
    press_and_wait(page)
    tab_to(page, for_walking("I contacted them or went"))
    press_and_wait(page)
    found = suggestion(relative, walking)
    assert found.saved_at is not None and found.followed_at is not None
    check_accessibility(page)
