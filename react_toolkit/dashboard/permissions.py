"""Who may see the dashboard, for which sites, and with exact small numbers or not."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R

SMALL_COUNT = 5


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_see_dashboard(user: Any) -> bool:
    """Site leads (their own site), researchers and admins (every site)."""
    if not _signed_in(user):
        return False
    return user.has_role(R.ADMIN, R.RESEARCHER) or (user.has_role(R.SITE_LEAD) and user.site_id is not None)


def sees_all_sites(user: Any) -> bool:
    return _signed_in(user) and user.has_role(R.ADMIN, R.RESEARCHER)


def sees_exact_counts(user: Any) -> bool:
    """Only admins see counts below 5; everyone else sees '<5'."""
    return _signed_in(user) and user.has_role(R.ADMIN)


def may_see_site(user: Any, site_id: int) -> bool:
    return sees_all_sites(user) or (can_see_dashboard(user) and user.site_id == site_id)


JINJA_GLOBALS = {"can_see_dashboard": can_see_dashboard}
