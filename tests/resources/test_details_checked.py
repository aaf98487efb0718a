"""Each directory entry says honestly when the team last checked it, and is linked from a module or says why not."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
import yaml
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.core.content import ContentError
from react_toolkit.extensions import db
from react_toolkit.modules.content import parse_module
from react_toolkit.modules.services import sync_content
from react_toolkit.resources.models import Resource, ResourceChange
from react_toolkit.resources.services import sync_national_resources
from react_toolkit.timeutil import set_clock
from tests.conftest import post
from tests.modules.conftest import CONTENT_DIR


@pytest.fixture
def content(app):
    return sync_content(CONTENT_DIR)


def national(slug: str) -> Resource:
    return db.session.scalar(select(Resource).where(Resource.slug == slug))


@pytest.fixture
def clock():
    set_clock(datetime(2026, 12, 8, 10, 0, tzinfo=UTC))
    yield
    set_clock(None)


def test_staff_mark_an_entry_checked_and_readers_see_who_checked_when(
    clock, content, app, client, create_user, login
):
    relative = create_user(R.RELATIVE)
    page = login(relative, the_client=app.test_client()).get("/resources/").get_data(as_text=True)
    assert page.count("Not yet checked by the team.") == page.count('class="nhsuk-card"')
    assert "Details checked today" not in page
    supporter = create_user(R.SUPPORTER)
    login(supporter)
    samaritans = national("samaritans")
    response = post(client, f"/resources/{samaritans.id}/checked", token_from="/resources/")
    assert response.status_code == 302
    change = db.session.scalar(select(ResourceChange).where(ResourceChange.action == "checked"))
    assert (change.resource_id, change.user_id) == (samaritans.id, supporter.id)
    page = client.get("/resources/").get_data(as_text=True)
    assert "Details last checked by the team on 8 December 2026." in page
    assert page.count("Not yet checked by the team.") == page.count('class="nhsuk-card"') - 1


def test_a_relative_cannot_mark_an_entry_checked(content, client, create_user, login):
    login(create_user(R.RELATIVE))
    response = post(client, f"/resources/{national('samaritans').id}/checked", token_from="/resources/")
    assert response.status_code == 404
    assert db.session.scalar(select(ResourceChange.id).where(ResourceChange.action == "checked")) is None


def test_a_date_in_the_file_is_shown_as_written_not_as_checked(app, tmp_path, client, create_user, login):
    path = tmp_path / "resources.yaml"
    path.write_text(
        "- slug: helpline\n  name: A helpline\n  category: crisis\n  description: Help.\n  details_written: 2026-12-01\n",
        encoding="utf-8",
    )
    sync_national_resources(path)
    db.session.commit()
    assert national("helpline").details_written == date(2026, 12, 1)
    page = login(create_user(R.RELATIVE)).get("/resources/").get_data(as_text=True)
    assert "Details written on 1 December 2026." in page and "Not yet checked by the team." in page
    path.write_text(
        "- slug: helpline\n  name: A helpline\n  category: crisis\n  description: Help.\n  details_written: soon\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="details_written"):
        sync_national_resources(path)


def test_every_directory_entry_is_linked_from_a_module_or_says_why_not():
    entries = yaml.safe_load((CONTENT_DIR / "resources.yaml").read_text(encoding="utf-8"))
    modules = [parse_module(path) for path in sorted((CONTENT_DIR / "modules").glob("*.md"))]
    listed = {slug for module in modules for slug in module.resources}
    texts = "\n".join(module.path.read_text(encoding="utf-8") for module in modules)
    unexplained = []
    for entry in entries:
        website = (entry.get("website") or "").rstrip("/")
        linked = entry["slug"] in listed or (website and re.search(re.escape(website), texts))
        if not linked and not str(entry.get("not_linked_because") or "").strip():
            unexplained.append(entry["slug"])
    assert unexplained == [], f"not linked from any module and no not_linked_because: {unexplained}"
    assert {slug for slug in listed} <= {entry["slug"] for entry in entries}
