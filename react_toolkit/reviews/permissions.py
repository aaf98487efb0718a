"""Who records reviews, sees the content status and the register, notes law changes and reads feedback."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def _signed_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_record_review(user: Any) -> bool:
    """Only people given the content-reviewer role record a clinical review."""
    return _signed_in(user) and user.has_role(R.CONTENT_REVIEWER)


def can_see_content_status(user: Any) -> bool:
    return _signed_in(user) and user.has_role(R.CONTENT_REVIEWER, R.SUPPORTER, R.SITE_LEAD, R.ADMIN)


def can_mark_law_changed(user: Any) -> bool:
    return _signed_in(user) and user.has_role(R.ADMIN)


def can_give_feedback(user: Any) -> bool:
    return _signed_in(user)


def can_read_feedback(user: Any) -> bool:
    """Readers' comments are read by the content staff only."""
    return _signed_in(user) and user.has_role(R.CONTENT_REVIEWER, R.ADMIN)


JINJA_GLOBALS = {
    "can_record_review": can_record_review,
    "can_see_content_status": can_see_content_status,
    "can_mark_law_changed": can_mark_law_changed,
    "can_give_feedback": can_give_feedback,
    "can_read_feedback": can_read_feedback,
}
