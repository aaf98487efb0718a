"""Who may read, write and moderate in the forum. Site leads and clinicians never read it."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def _signed_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_moderate(user: Any) -> bool:
    return _signed_in(user) and user.has_role(R.MODERATOR, R.ADMIN)


def can_use_forum(user: Any) -> bool:
    return _signed_in(user) and (user.has_role(R.RELATIVE) or can_moderate(user))


def can_edit_post(user: Any, post: Any, window_open: bool) -> bool:
    """Authors within the edit window; moderators at any time."""
    if can_moderate(user):
        return True
    return _signed_in(user) and post.author_id == user.id and window_open and post.status != "deleted"


def can_delete_post(user: Any, post: Any) -> bool:
    return _signed_in(user) and post.author_id == user.id and post.status != "deleted"


JINJA_GLOBALS = {"can_moderate": can_moderate, "can_use_forum": can_use_forum}
