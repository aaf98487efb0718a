"""Who may read modules and who has progress, answers and a toolbox."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def _signed_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_read_modules(user: Any) -> bool:
    return _signed_in(user)


def has_personal_space(user: Any) -> bool:
    """Progress, exercise answers and the toolbox belong to relatives only."""
    return _signed_in(user) and user.has_role(R.RELATIVE)


JINJA_GLOBALS = {
    "has_personal_space": has_personal_space,
}
