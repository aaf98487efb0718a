"""The one place where text typed by people becomes HTML.

Markdown is rendered with raw HTML off, then the result is sanitised with nh3.
Nothing else in the code base marks user text as safe.
"""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable("image")

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
    "a",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
LINK_REL = "nofollow noopener ugc"


# Posts and messages are shown far more often than they are written: keep the HTML of recent ones.
@lru_cache(maxsize=256)
def render_markdown(text: str, *, heading_offset: int = 0) -> Markup:
    """Markdown (no raw HTML) to sanitised HTML, safe to put in a page."""
    html = _markdown.render(text or "")
    if heading_offset:
        levels = range(6, 0, -1) if heading_offset > 0 else range(1, 7)
        for level in levels:
            shifted = max(1, min(level + heading_offset, 6))
            html = html.replace(f"<h{level}>", f"<h{shifted}>").replace(f"</h{level}>", f"</h{shifted}>")
    return Markup(sanitise(html))  # noqa: S704 - sanitised by nh3 on this line  # nosec B704


def sanitise(html: str) -> str:
    """Strip everything but a small set of formatting tags; links get rel=nofollow noopener ugc."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=LINK_REL,
        strip_comments=True,
    )
