"""Modules in Welsh: loaded from content/modules/cy/, shown to Welsh readers, English with a note where missing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.modules.content import ContentError
from react_toolkit.modules.models import ModuleTranslation
from react_toolkit.modules.services import sync_content
from tests.conftest import post
from tests.modules.welsh import ENGLISH, WELSH, write


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """Two English modules; the first has a Welsh translation awaiting review, the second has none."""
    modules = tmp_path / "modules"
    (modules / "cy").mkdir(parents=True)
    (tmp_path / "resources.yaml").write_text("[]\n", encoding="utf-8")
    write(
        modules / "01-care.md", ENGLISH, slug="care", title="Caring for yourself", summary="For you.", order=1
    )
    write(modules / "02-more.md", ENGLISH, slug="more", title="More care", summary="Still for you.", order=2)
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


@pytest.fixture
def welsh_reader(app, client, create_user, login, content_dir):
    sync_content(content_dir)
    login(create_user(R.RELATIVE))
    post(client, "/language", {"language": "cy", "next": "/modules"}, token_from="/modules")
    return client


def test_a_translated_module_is_shown_in_welsh_with_its_review_note(welsh_reader) -> None:
    page = welsh_reader.get("/modules/care/1").get_data(as_text=True)
    assert '<html lang="cy"' in page
    assert "<h1>Gofalu amdanoch eich hun</h1>" in page
    assert "Mae cwsg a bwyd yn bwysig i chi hefyd." in page
    assert "Beth sy&#39;n eich helpu i orffwys?" in page or "Beth sy'n eich helpu i orffwys?" in page
    assert "Nid yw clinigydd sy'n siarad Cymraeg wedi gwirio'r cyfieithiad hwn eto." in page
    assert 'lang="en"' not in page.split("<main", 1)[1]


def test_a_module_not_yet_translated_is_english_marked_lang_en_with_a_welsh_note(welsh_reader) -> None:
    page = welsh_reader.get("/modules/more/1").get_data(as_text=True)
    main = page.split("<main", 1)[1]
    assert "Nid yw'r modiwl hwn ar gael yn Gymraeg eto, felly mae'n cael ei ddangos yn Saesneg." in main
    assert '<h1 lang="en">Looking after yourself</h1>' in main
    assert re.search(r'<div class="react-content" lang="en">\s*<p>Sleep and food matter', main)


def test_the_module_list_shows_each_module_in_the_language_it_has(welsh_reader) -> None:
    page = welsh_reader.get("/modules").get_data(as_text=True)
    assert "Gofalu amdanoch eich hun" in page
    assert '<span lang="en">More care</span>' in page


def test_english_readers_see_english(app, client, create_user, login, content_dir) -> None:
    sync_content(content_dir)
    login(create_user(R.RELATIVE))
    page = client.get("/modules/care/1").get_data(as_text=True)
    assert "<h1>Looking after yourself</h1>" in page
    assert "Gofalu" not in page


def test_progress_is_shared_between_the_languages(welsh_reader) -> None:
    response = post(welsh_reader, "/modules/care/1/done", token_from="/modules/care/1")
    assert response.headers["Location"].endswith("/modules/care/2")
    assert "Wedi&#39;i wneud" in welsh_reader.get("/modules/care").get_data(as_text=True) or (
        "Wedi'i wneud" in welsh_reader.get("/modules/care").get_data(as_text=True)
    )


def test_the_content_status_page_shows_each_translation(app, client, create_user, login, content_dir) -> None:
    sync_content(content_dir)
    login(create_user(R.ADMIN))
    page = client.get("/modules/content-status").get_data(as_text=True)
    assert "Awaiting review" in page and "Not translated: shown in English" in page


def test_a_translation_whose_file_is_removed_is_dropped(app, content_dir) -> None:
    sync_content(content_dir)
    (content_dir / "modules" / "cy" / "01-care.md").unlink()
    sync_content(content_dir)
    assert db.session.scalars(select(ModuleTranslation)).all() == []


@pytest.mark.parametrize(
    ("body", "front", "problem"),
    [
        (WELSH, {"slug": "nowhere"}, "no English module with the slug 'nowhere'"),
        (WELSH.split("## Gofyn")[0], {}, "has 1 sections, the English module 2"),
        (
            WELSH.replace("exercise rest", "exercise sleep"),
            {},
            "the exercise ids must be the English module's",
        ),
        (WELSH, {"extra": "translation_status: maybe\n"}, "field 'translation_status' must be one of"),
    ],
)
def test_translations_that_do_not_match_their_module_are_refused(
    app, content_dir: Path, body: str, front: dict, problem: str
) -> None:
    settings = {"slug": "care", "title": "Gofal", "summary": "I chi.", "order": 1, **front}
    write(content_dir / "modules" / "cy" / "01-care.md", body, **settings)
    with pytest.raises(ContentError, match=re.escape(problem)):
        sync_content(content_dir)


def test_continue_where_you_left_off_names_the_part_in_welsh(welsh_reader) -> None:
    welsh_reader.get("/modules/care/1")
    for path in ("/", "/modules"):
        page = welsh_reader.get(path).get_data(as_text=True)
        assert "Parhau o'r man lle gwnaethoch adael: Gofalu amdanoch eich hun" in page, path
