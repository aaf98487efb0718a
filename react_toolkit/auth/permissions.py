"""Who may do what with accounts and invitations. Plain functions, also Jinja globals."""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R


def _signed_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_invite(user: Any) -> bool:
    return _signed_in(user) and user.has_role(*R.INVITERS) and user.site_id is not None


def can_see_invitations(user: Any) -> bool:
    """Inviters see their own invitations; staff managers see their site's."""
    return can_invite(user) or can_manage_staff(user)


def can_view_invitation(user: Any, invitation: Any) -> bool:
    if not _signed_in(user):
        return False
    if invitation.invited_by_id == user.id:
        return True
    if user.has_role(R.ADMIN):
        return True
    return user.has_role(R.SITE_LEAD) and invitation.site_id == user.site_id


def can_see_private_label(user: Any, invitation: Any) -> bool:
    """The label and record reference are the inviting team's: its staff and the inviter only.

    A site lead or an administrator outside the team sees the invitation but not these, and the
    relative never sees them.
    """
    if not _signed_in(user) or not user.is_staff:
        return False
    if invitation.invited_by_id == user.id:
        return True
    return user.team_id is not None and user.team_id == invitation.team_id


def can_manage_staff(user: Any) -> bool:
    return _signed_in(user) and (
        user.has_role(R.ADMIN) or (user.has_role(R.SITE_LEAD) and user.site_id is not None)
    )


def grantable_roles(user: Any) -> tuple[str, ...]:
    if not _signed_in(user):
        return ()
    if user.has_role(R.ADMIN):
        return R.STAFF
    if user.has_role(R.SITE_LEAD):
        return R.SITE_LEAD_MAY_GRANT
    return ()


def can_manage_site(user: Any, site_id: int | None) -> bool:
    if not _signed_in(user):
        return False
    if user.has_role(R.ADMIN):
        return True
    return user.has_role(R.SITE_LEAD) and site_id is not None and user.site_id == site_id


def is_admin(user: Any) -> bool:
    return _signed_in(user) and user.has_role(R.ADMIN)


def is_relative_account(user: Any) -> bool:
    """A relative's account, not staff: its owner can download its data or delete it."""
    return _signed_in(user) and user.is_relative and not user.is_staff


def can_erase_account(user: Any, account: Any) -> bool:
    """A relative may delete their own account; an administrator may delete any relative's."""
    if not is_relative_account(account) or not _signed_in(user):
        return False
    return user.id == account.id or user.has_role(R.ADMIN)


JINJA_GLOBALS = {
    "can_invite": can_invite,
    "can_view_invitation": can_view_invitation,
    "can_see_private_label": can_see_private_label,
    "can_manage_staff": can_manage_staff,
    "can_manage_site": can_manage_site,
    "is_admin": is_admin,
    "is_relative_account": is_relative_account,
}
