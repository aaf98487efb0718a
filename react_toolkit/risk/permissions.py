"""Who may change the risk lexicon."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def can_edit_lexicon(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.has_role(R.MODERATOR, R.ADMIN))


JINJA_GLOBALS = {"can_edit_lexicon": can_edit_lexicon}
