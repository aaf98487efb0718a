"""Fixtures for the content review tests: the real content loaded, and a reviewer's form filled in."""

from __future__ import annotations

import pytest

from react_toolkit.modules.services import sync_content
from tests.modules.conftest import CONTENT_DIR


@pytest.fixture
def content(app):
    return sync_content(CONTENT_DIR)


def review_form(module, **changes) -> dict:
    """What a reviewer types to record a review of the module's current text."""
    data = {
        "module_hash": module.source_hash,
        "reviewer_name": "Ama Owusu",
        "professional_role": "Consultant psychiatrist, EIP team",
        "reviewer_kind": "eip-clinician",
        "registration_body": "GMC",
        "registration_number": "7654321",
        "reviewed_on": "2026-12-07",
        "checked": "Every section against NICE CG178, and the crisis steps.",
        "conditions": "",
    }
    data.update(changes)
    return data
