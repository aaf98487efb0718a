"""Who may do what with second factors. Plain functions, also Jinja globals."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R
from react_toolkit.second_factor import services


def _signed_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def may_turn_off(user: Any) -> bool:
    """Only someone whose roles do not require a second factor may stop using one."""
    return _signed_in(user) and not services.is_required(user)


def can_reset_second_factors(user: Any) -> bool:
    return _signed_in(user) and user.has_role(R.ADMIN)


JINJA_GLOBALS = {
    "may_turn_off_second_factor": may_turn_off,
    "can_reset_second_factors": can_reset_second_factors,
}
