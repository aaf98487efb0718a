"""Who may choose notices and who sees the failed ones."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def can_choose_notifications(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(user.roles)


def can_see_failed_notices(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(R.ADMIN)


JINJA_GLOBALS = {
    "can_choose_notifications": can_choose_notifications,
    "can_see_failed_notices": can_see_failed_notices,
}
