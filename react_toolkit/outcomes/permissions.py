"""Who may complete the wellbeing check-in: relatives only, and each sees only their own."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def can_check_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False)) and user.has_role(R.RELATIVE)


JINJA_GLOBALS = {"can_check_in": can_check_in}
