"""Who may answer outcome measures: relatives only, and each sees only their own.

No route shows one relative's answers to anyone else. Staff learn of them only through a summary
the relative chooses to send, or, if the relative agreed, the notice that a safety answer was given.
"""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def can_check_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False)) and user.has_role(R.RELATIVE)


def can_answer_measures(user: Any) -> bool:
    return can_check_in(user)


JINJA_GLOBALS = {"can_check_in": can_check_in, "can_answer_measures": can_answer_measures}
