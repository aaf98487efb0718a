"""Fixtures for the module tests: the real content loaded, and finding sections with exercises."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from react_toolkit.config import BASE_DIR
from react_toolkit.extensions import db
from react_toolkit.modules.models import Exercise, Module, Section
from react_toolkit.modules.services import sync_content

CONTENT_DIR = BASE_DIR / "content"


@pytest.fixture
def content(app):
    """The real modules and national resources, loaded into the test database."""
    return sync_content(CONTENT_DIR)


@pytest.fixture
def exercise_page(content):
    """(module slug, section number, exercise key) of the first exercise in the first module."""
    exercise, section, module = db.session.execute(
        select(Exercise, Section, Module)
        .join(Section, Section.id == Exercise.section_id)
        .join(Module, Module.id == Section.module_id)
        .order_by(Module.position, Section.position, Exercise.id)
        .limit(1)
    ).one()
    return module.slug, section.position, exercise.key
