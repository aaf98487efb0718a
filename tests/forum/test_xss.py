"""Known XSS payloads as post bodies, thread titles and forum names: the pages never carry executable markup.

Each page is parsed with html.parser and compared with the same page for a harmless thread, so the
app's own <script> and <svg> (the NHS logo) are told apart from anything that came from user text.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from sqlalchemy import select

from react_toolkit.auth.forum_names import forum_name_problem
from react_toolkit.auth.models import User
from react_toolkit.extensions import db
from react_toolkit.forum.models import Post, Thread
from tests.conftest import post
from tests.forum.helpers import RELAXED, count, page, start_thread, tags, thread_id_from

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=javascript:alert(1)>",
    "<ImG sRc=x OnErRoR=alert(1)>",
    "<img src=x onerror=alert(1)//",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<a href=javascript&colon;alert(1)>x</a>",
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="https://example.org" onmouseover="alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[x](&#106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java&#x0A;script:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:image/png;base64,iVBORw0KGgo=)",
    "[x](vbscript:msgbox(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x](https://example.org" onmouseover="alert(1))',
    '[x](https://example.org "title" onmouseover="alert(1)")',
    "<javascript:alert(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<<script>alert(1)//<</script>",
    "<scr<script>ipt>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<x onclick=alert(1)>click me",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "> <script>alert(1)</script>",
    "*<img src=x onerror=alert(1)>*",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--<script>alert(1)</script>-->",
    "<a href=\"https://example.org\">ok</a><a href='javascript:alert(1)'>bad</a>",
]
# Within the forum-name rules (letters, digits, spaces . _ ' -) but shaped like attribute injection.
NAME_ONLY = ["x' onmouseover 'alert", "O'Brien' autofocus x", "Jo' onfocus 'alert 1", "svg onload alert"]

# Tags that must never come from user text: the page may have only as many as the harmless page.
WATCHED = {
    "script", "iframe", "frame", "svg", "math", "object", "embed", "style", "link", "meta", "base", "form",
    "input", "button", "textarea", "img", "video", "audio", "source", "details", "marquee", "noscript", "body",
    "x", "table", "mglyph", "mtext", "title", "html", "head", "applet",
}  # fmt: skip
URL_SCHEMES = re.compile(r"^(javascript|data|vbscript):")


def _squash(value: str) -> str:
    """An attribute value as a browser would read its scheme: no whitespace or control characters."""
    return re.sub(r"[\x00-\x20]+", "", value).lower()


def unsafe(text: str, baseline: str) -> list[str]:
    """Everything executable in the page that the harmless page does not also have."""
    problems = []
    found = tags(text)
    for tag, attrs in found:
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"<{tag} {name}=...>")
            if URL_SCHEMES.match(_squash(value)):
                problems.append(f"<{tag} {name}={value!r}>")
            if name in ("srcdoc", "formaction", "xlink:href") or (name == "style" and "(" in value):
                problems.append(f"<{tag} {name}={value!r}>")
    have = Counter(tag for tag, _ in found if tag in WATCHED)
    expected = Counter(tag for tag, _ in tags(baseline) if tag in WATCHED)
    problems += [f"{n - expected[tag]} extra <{tag}>" for tag, n in have.items() if n > expected[tag]]
    raw = text.lower().count("<script")
    if raw > baseline.lower().count("<script"):
        problems.append("raw <script")
    return problems


@pytest.fixture
def forum(people):
    """A harmless thread to compare against, and pages as another relative sees them."""
    response = start_thread(people["author_client"], "good-news", "Harmless", "Plain words.")
    baseline_id = thread_id_from(response)
    reader = people["other_client"]
    return {
        "reader": reader,
        "thread": page(reader, f"/forum/threads/{baseline_id}"),
        "category": page(reader, "/forum/good-news"),
        "mine": page(people["author_client"], f"/forum/threads/{baseline_id}"),
    }


def test_the_corpus_is_large_enough_and_the_check_can_fail():
    assert len(PAYLOADS) >= 50
    clean = "<html><body><p>hello</p></body></html>"
    assert unsafe('<html><body><p><img src=x onerror="alert(1)"></p></body></html>', clean)
    assert unsafe('<html><body><a href=" JaVa\tscript:alert(1)">x</a></body></html>', clean)
    assert unsafe('<html><body><a href="data:text/html,x">x</a></body></html>', clean)
    assert unsafe("<html><body><svg></svg></body></html>", clean)
    assert not unsafe(clean, clean)


@pytest.mark.forum_config(**RELAXED, FORUM_DAILY_POSTS=1000, FORUM_NEW_MEMBER_DAILY_POSTS=1000)
@pytest.mark.parametrize("payload", PAYLOADS, ids=[f"p{n:02d}" for n in range(len(PAYLOADS))])
def test_payload_as_body_and_title_renders_inert(people, forum, payload):
    assert not unsafe(forum["thread"], forum["thread"])
    title = payload.replace("\n", " ")[:150]
    response = start_thread(people["author_client"], "introductions", title, payload)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    thread_id = thread_id_from(response)
    stored = db.session.scalar(select(Post).where(Post.thread_id == thread_id))
    assert stored.body == payload.strip()
    assert db.session.get(Thread, thread_id).title == title.strip()

    reader = forum["reader"]
    thread_page = page(reader, f"/forum/threads/{thread_id}")
    assert 'class="react-post__body"' in thread_page
    assert unsafe(thread_page, forum["thread"]) == []
    category_page = page(reader, "/forum/introductions")
    assert f'href="/forum/threads/{thread_id}"' in category_page
    assert unsafe(category_page, forum["category"]) == []
    mine = page(people["author_client"], f"/forum/threads/{thread_id}")
    assert unsafe(mine, forum["mine"]) == []


ALLOWED_CHARS = re.compile(r"^[A-Za-z0-9 ._'-]+$")


@pytest.mark.forum_config(
    **RELAXED,
    ALLOW_SELF_REGISTRATION=True,
    REGISTRATION_LIMIT_ADDRESS="1000 per hour",
    FORUM_DAILY_POSTS=1000,
    FORUM_NEW_MEMBER_DAILY_POSTS=1000,
)
def test_forum_names_refuse_markup_and_the_allowed_ones_render_inert(app, people, forum):
    allowed = []
    for number, name in enumerate(PAYLOADS + NAME_ONLY):
        problem = forum_name_problem(name)
        if not ALLOWED_CHARS.match(name.strip()):
            assert problem is not None, name
        visitor = app.test_client()
        email = f"xss{number}@example.org"
        response = post(
            visitor,
            "/register",
            {"email": email, "forum_name": name, "password": "tea and toast at dawn", "terms": "y"},
            token_from="/register",
        )
        if problem:
            assert response.status_code == 400, name
            assert count(User, User.email == email) == 0, name
            continue
        assert response.status_code == 302, (name, response.get_data(as_text=True)[:300])
        allowed.append(name)
        thread_id = thread_id_from(start_thread(visitor, "introductions", "Named", "Hello."))
        thread_page = page(forum["reader"], f"/forum/threads/{thread_id}")
        assert name.replace("'", "&#39;") in thread_page or name in thread_page
        assert unsafe(thread_page, forum["thread"]) == [], name
        assert unsafe(page(forum["reader"], "/forum/introductions"), forum["category"]) == [], name

    assert set(NAME_ONLY) <= set(allowed)
    assert all(name in NAME_ONLY for name in allowed), allowed  # every real payload was refused
