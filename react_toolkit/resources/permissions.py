"""Who may see and change resources."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def _signed_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_manage_resources(user: Any) -> bool:
    """Supporters and site leads look after their site's local entries; admins any site's."""
    if not _signed_in(user):
        return False
    return user.has_role(R.ADMIN) or (user.has_role(R.SUPPORTER, R.SITE_LEAD) and user.site_id is not None)


def can_edit_resource(user: Any, resource: Any) -> bool:
    if not _signed_in(user) or resource.site_id is None:
        return False  # national entries come from content/resources.yaml
    if user.has_role(R.ADMIN):
        return True
    return user.has_role(R.SUPPORTER, R.SITE_LEAD) and user.site_id == resource.site_id


def can_check_resource(user: Any, resource: Any) -> bool:
    """Who may confirm an entry's details are right: its editors, and for national entries anyone who manages resources."""
    if resource.site_id is None:
        return can_manage_resources(user)
    return can_edit_resource(user, resource)


JINJA_GLOBALS = {
    "can_manage_resources": can_manage_resources,
    "can_edit_resource": can_edit_resource,
    "can_check_resource": can_check_resource,
}
