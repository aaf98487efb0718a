"""Small fixes a first visit showed: toolbox buttons named by their item."""

from __future__ import annotations

import re

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.modules.models import Module, Section
from react_toolkit.modules.services import sync_content
from tests.conftest import post
from tests.modules.conftest import CONTENT_DIR


def test_toolbox_buttons_are_named_by_their_item_not_their_place(app, client, create_user, login):
    sync_content(CONTENT_DIR)
    login(create_user(R.RELATIVE))
    section = db.session.scalar(
        select(Section).join(Module).where(Module.slug == "what-is-psychosis").order_by(Section.position)
    )
    post(client, f"/toolbox/sections/{section.id}", token_from="/toolbox")
    post(
        client,
        "/toolbox/notes",
        {"title": "ملاحظتي", "text": "Call the team on Monday"},
        token_from="/toolbox",
    )
    page = client.get("/toolbox").get_data(as_text=True)
    removes = re.findall(
        r'>Remove<span class="nhsuk-u-visually-hidden">: <span dir="auto">([^<]+)</span>', page
    )
    assert sorted(removes) == sorted([section.title, "ملاحظتي"])
    assert not re.search(r"Remove<span[^>]*>: \d", page)


def test_the_risk_list_comes_a_page_at_a_time(client, create_user, login):
    from react_toolkit.risk.models import RiskPhrase

    db.session.add_all(
        RiskPhrase(phrase=f"phrase {n:03d}", category="allow" if n % 2 else "self_harm", action="allow")
        for n in range(150)
    )
    db.session.commit()
    login(create_user(R.MODERATOR))
    first = client.get("/risk/lexicon").get_data(as_text=True)
    second = client.get("/risk/lexicon?page=2").get_data(as_text=True)
    on_first = set(re.findall(r"phrase \d{3}", first))
    on_second = set(re.findall(r"phrase \d{3}", second))
    assert len(on_first) == 100 and len(on_second) == 50
    assert not on_first & on_second
    assert "Page 1 of 2" in first and 'href="/risk/lexicon?page=2"' in first
