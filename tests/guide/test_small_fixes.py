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
