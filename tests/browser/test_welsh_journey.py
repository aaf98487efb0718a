"""In Chromium: a relative switches to Welsh, reads a Welsh module and an English one, and sees the crisis card in Welsh."""

import shutil
from pathlib import Path

import pytest

from react_toolkit.config import BASE_DIR
from react_toolkit.extensions import db
from react_toolkit.forum.services import seed_categories
from react_toolkit.modules.services import sync_content
from tests.browser.conftest import open_nav
from tests.conftest import PASSWORD
from tests.modules.welsh import ENGLISH, WELSH, write

pytestmark = pytest.mark.browser


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A small module with a Welsh translation awaiting review, and a real module in English only."""
    modules = tmp_path / "modules"
    (modules / "cy").mkdir(parents=True)
    shutil.copy(BASE_DIR / "content/resources.yaml", tmp_path)
    shutil.copy(BASE_DIR / "content/modules/02-what-is-psychosis.md", modules)
    write(
        modules / "01-care.md", ENGLISH, slug="care", title="Caring for yourself", summary="For you.", order=1
    )
    write(
        modules / "cy" / "01-care.md",
        WELSH,
        slug="care",
        title="Gofalu amdanoch eich hun",
        summary="I chi.",
        order=1,
        extra="translation_status: awaiting-review\n",
    )
    return tmp_path


def test_switch_to_welsh_read_modules_and_see_the_crisis_card(
    page, create_user, content_dir, check_accessibility
):
    sync_content(content_dir)
    seed_categories()
    db.session.commit()
    relative = create_user("relative")

    page.goto("/sign-in")
    page.fill("#email", relative.email)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url("**/")
    assert page.get_attribute("html", "lang") == "en"

    page.click("button:has-text('Cymraeg')")
    page.wait_for_url("**/")
    assert page.get_attribute("html", "lang") == "cy"
    assert page.locator("button:has-text('English')").get_attribute("lang") == "en"
    check_accessibility(page)

    open_nav(page, "Modiwlau")
    page.wait_for_url("**/modules")
    assert page.locator("span[lang='en']:has-text('What is psychosis?')").count() == 1
    check_accessibility(page)

    page.click("text=Gofalu amdanoch eich hun")
    page.click("text=Dechrau darllen")
    page.wait_for_url("**/modules/care/1")
    assert page.inner_text("h1") == "Gofalu amdanoch eich hun"
    assert "Nid yw clinigydd sy'n siarad Cymraeg wedi gwirio'r cyfieithiad hwn eto." in page.inner_text(
        "main"
    )
    check_accessibility(page)

    page.goto("/modules/what-is-psychosis/1")
    assert page.locator("h1").get_attribute("lang") == "en"
    assert page.locator(".react-content").get_attribute("lang") == "en"
    assert "Nid yw'r modiwl hwn ar gael yn Gymraeg eto" in page.inner_text(".react-language-note")
    check_accessibility(page)

    open_nav(page, "Fforwm")
    page.click("text=Coping day to day")
    page.click("text=Dechrau edefyn newydd")
    page.fill("#title", "Heno")
    page.fill("#body", "I can't do this any more. I want to end it all.")
    page.click("button:has-text('Postio')")
    panel = page.locator("#crisis-help")
    panel.wait_for()
    text = panel.inner_text()
    assert "Does dim rhaid i chi ymdopi â hyn ar eich pen eich hun" in text
    assert "Ffoniwch y Samariaid am ddim ar" in text
    for number in ("999", "116 123", "85258"):
        assert number in text
    check_accessibility(page)

    page.goto("/crisis")
    assert page.inner_text("h1") == "Angen help nawr?"
    check_accessibility(page)
