"""Every page, as each role, in a pseudo-locale: any words in the main content that were not translated fail.

And every page, as each role, renders in Welsh.

The pseudo-locale wraps each translated string in ⟦ ⟧. What is left on a page after taking away the
marked text, what people wrote or were named (everything stored in the database), dates, times and
numbers must have no words in it. A failure names the page and the words, so a new feature that
forgets to mark a string for translation fails here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask

from react_toolkit.extensions import db
from react_toolkit.i18n.language import COOKIE
from react_toolkit.text import render_markdown
from tests.i18n.pseudo import CLOSE, OPEN, use_pseudo_locale
from tests.security.routes import fill, routes, sign_in
from tests.security.world import ROLES, SIGNED_OUT, World

ATTRIBUTES = ("aria-label", "alt", "placeholder", "title")
MARKED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
MONTH_NAME = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
# Web addresses, dates and times (formatted for the locale; a date this year may leave out the
# year), numbers, invitation codes, single letters, punctuation.
NOT_WORDS = re.compile(
    rf"https?://\S+|(?:{WEEKDAY} )?\d{{1,2}} {MONTH} \d{{4}}|(?:{WEEKDAY} )?\d{{1,2}} {MONTH_NAME}"
    rf"|{MONTH} \d{{4}}|\d{{1,2}}(?::\d{{2}})?(?:am|pm)"
    r"|\b[A-Z0-9]{4}-[A-Z0-9]{4}\b|\b\d+(?:[.,:/-]\d+)*\b|\b\w\b|[^\w]|_"
)
# Enumerated values (statuses, kinds) are stored in lower case; they are never shown as they are,
# so they do not count as what someone wrote.
CODE_VALUE = re.compile(r"^[a-z_]+$")


class MainText(HTMLParser):
    """The text of <main> and the attributes a screen reader speaks, script and style left out.

    So is anything marked translate="no": a key to type into an app, or recovery codes.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hidden = 0
        self.untranslatable: list[str] = []  # the open elements marked translate="no"
        self.text: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "main":
            self.depth += 1
        if tag in ("script", "style"):
            self.hidden += 1
        if values.get("translate") == "no":
            self.untranslatable.append(tag)
            self.hidden += 1
        if self.depth:
            self.attributes.extend(values[name] for name in ATTRIBUTES if values.get(name))

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "style"):
            self.hidden -= 1
        if self.untranslatable and self.untranslatable[-1] == tag:
            self.untranslatable.pop()
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.hidden:
            self.text.append(data)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _visible(html: str) -> list[str]:
    parser = MainText()
    parser.feed(f"<main>{html}</main>")
    return [text.strip() for text in parser.text if text.strip()]


def user_content(app: Flask) -> list[str]:
    """Everything stored (as written and as rendered), longest first: names, posts, module text, codes."""
    found: set[str] = {app.config["SERVICE_NAME"]}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                for value in _strings(list(row)):
                    value = value.strip()
                    if len(value) < 2 or CODE_VALUE.match(value):
                        continue
                    found.add(value)
                    found.update(_visible(value))
                    found.update(_visible(str(render_markdown(value))))
                    found.update(line.strip() for line in value.splitlines() if line.strip())
    return sorted(found, key=len, reverse=True)


def content_pattern(values: list[str]) -> re.Pattern:
    """Any stored value, standing as whole words."""
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(value) for value in values) + r")(?!\w)")


def untranslated(text: str, content: re.Pattern) -> str:
    """The words left once marked text, stored content, dates and numbers are taken away."""
    text = content.sub(" ", text)
    previous = None
    while previous != text:
        previous, text = text, MARKED.sub(" ", text)
    words = NOT_WORDS.sub(" ", text)
    return " ".join(words.split())


def pages(app: Flask, world: World, language: str | None = None) -> Iterator[tuple[str, str]]:
    """(who and which page, HTML) for every page each role can open, in a chosen language if given."""
    for role in ROLES:
        client = app.test_client() if role == SIGNED_OUT else sign_in(app, world.user(role))
        if language:
            client.set_cookie(COOKIE, language)
        for route in routes(app, ("GET",)):
            path = fill(route, world)
            if path is None:
                continue
            response = client.get(path)
            assert response.status_code < 500, f"{role} {path}: {response.status_code}"
            if response.mimetype == "text/html":
                yield f"{role} {path} ({response.status_code})", response.get_data(as_text=True)


@pytest.mark.slow
def test_every_page_is_translated(app: Flask, world: World) -> None:
    use_pseudo_locale(app)
    content = content_pattern(user_content(app))
    problems = []
    seen = 0
    for page, html in pages(app, world):
        parser = MainText()
        parser.feed(html)
        seen += 1
        left = [untranslated(" ".join(parser.text), content)]
        left += [f"[{value}]" for value in parser.attributes if untranslated(value, content)]
        if any(left):
            problems.append(f"{page}: {' | '.join(item for item in left if item)}")
    assert seen > 300
    assert not problems, f"{len(problems)} pages have untranslated text:\n" + "\n".join(problems)


@pytest.mark.slow
def test_every_page_renders_in_welsh(app: Flask, world: World) -> None:
    seen = 0
    for page, html in pages(app, world, "cy"):
        if "(302)" in page:
            continue
        seen += 1
        assert '<html lang="cy"' in html, page
    assert seen > 300


@pytest.mark.parametrize(
    ("text", "left"),
    [
        (f"{OPEN}Posted by {OPEN}HopefulMum{CLOSE} on{CLOSE} 3 May 2026 {OPEN}at{CLOSE} 9:05pm", ""),
        (f"{OPEN}Module{CLOSE} Forgotten words", "Forgotten words"),
        ("HopefulMum wrote 12 posts", "wrote posts"),
    ],
)
def test_untranslated_words_are_found(text: str, left: str) -> None:
    assert untranslated(text, content_pattern(["HopefulMum", "on"])) == left
