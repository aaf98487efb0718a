"""The national directory file gives each entry's kinds of support; a kind it does not know stops the sync."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from react_toolkit.config import BASE_DIR
from react_toolkit.core.content import ContentError
from react_toolkit.extensions import db
from react_toolkit.resources.models import Resource
from react_toolkit.resources.services import sync_national_resources


def test_every_national_entry_says_what_support_it_gives(app):
    sync_national_resources(BASE_DIR / "content" / "resources.yaml")
    db.session.commit()
    national = db.session.scalars(select(Resource).where(Resource.site_id.is_(None))).all()
    assert national and all(resource.support_list for resource in national)
    by_slug = {resource.slug: resource for resource in national}
    assert by_slug["samaritans"].support == "talk"
    assert by_slug["carers-trust"].support_list == ["practical", "break", "company"]


def test_a_kind_of_support_the_toolkit_does_not_know_is_refused(app, tmp_path: Path):
    directory = tmp_path / "resources.yaml"
    directory.write_text(
        "- slug: a-charity\n  name: A charity\n  category: carers\n  support: [talk, hugs]\n"
        "  description: Help for carers.\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="field 'support' has unknown value"):
        sync_national_resources(directory)
