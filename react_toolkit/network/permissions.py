"""Who may use the support map: relatives only, each their own. No staff role reads anyone's map."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def can_use_map(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False)) and user.has_role(R.RELATIVE)


JINJA_GLOBALS = {"can_use_map": can_use_map}
