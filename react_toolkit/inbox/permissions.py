"""Who may see which conversations. Every query for a conversation goes through these rules."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def _signed_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_write_to_supporter(user: Any) -> bool:
    return _signed_in(user) and user.has_role(R.RELATIVE)


def is_supporter(user: Any) -> bool:
    return _signed_in(user) and user.has_role(R.SUPPORTER) and user.site_id is not None


def can_work_conversation(user: Any, conversation: Any, team_ids: set[int]) -> bool:
    """Supporters work on their own team's conversations only."""
    return is_supporter(user) and conversation.team_id in team_ids


def can_see_inbox_figures(user: Any) -> bool:
    """Site leads see counts and response times for their site, never message text."""
    return _signed_in(user) and (
        user.has_role(R.ADMIN) or (user.has_role(R.SITE_LEAD) and user.site_id is not None)
    )


def needs_reason(user: Any) -> bool:
    """Admins may open a conversation only after recording why."""
    return _signed_in(user) and user.has_role(R.ADMIN) and not user.has_role(R.SUPPORTER)


JINJA_GLOBALS = {
    "can_write_to_supporter": can_write_to_supporter,
    "is_supporter": is_supporter,
    "can_see_inbox_figures": can_see_inbox_figures,
}
