"""Who may make research exports: researchers and admins, nobody else."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def can_export_research(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False)) and user.has_role(R.RESEARCHER, R.ADMIN)


JINJA_GLOBALS = {"can_export_research": can_export_research}
