"""Read-only lookups, each filtered by what the asking user may see."""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from react_toolkit.auth import roles as R
from react_toolkit.auth.models import Invitation, User, UserRole
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Site, Team
from react_toolkit.timeutil import LONDON, now, today


def _invitation_scope(user: User):
    query = select(Invitation)
    if user.has_role(R.ADMIN):
        return query
    if user.has_role(R.SITE_LEAD):
        return query.where((Invitation.site_id == user.site_id) | (Invitation.invited_by_id == user.id))
    return query.where(Invitation.invited_by_id == user.id)


def invitations_visible_to(user: User, limit: int = 200) -> list[Invitation]:
    return list(
        db.session.scalars(_invitation_scope(user).order_by(Invitation.created_at.desc()).limit(limit))
    )


def invitation_for(user: User, invitation_id: int) -> Invitation | None:
    return db.session.scalar(_invitation_scope(user).where(Invitation.id == invitation_id))


def waiting_invitations_of(user: User, limit: int = 5) -> tuple[int, list[Invitation]]:
    """How many of this person's invitations wait to be used, and the first few to expire."""
    waiting = (
        Invitation.invited_by_id == user.id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > now(),
    )
    count = db.session.scalar(select(func.count()).select_from(Invitation).where(*waiting)) or 0
    rows = list(
        db.session.scalars(select(Invitation).where(*waiting).order_by(Invitation.expires_at).limit(limit))
    )
    return count, rows


def joined_this_month(user: User) -> int:
    """How many relatives this person invited have joined since the start of this UK month."""
    start = datetime.combine(today().replace(day=1), time(0), LONDON)
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Invitation)
            .where(Invitation.invited_by_id == user.id, Invitation.accepted_at >= start)
        )
        or 0
    )


def invitable_teams(user: User) -> list[Team]:
    """The teams this person may invite relatives to: their own, or their site's."""
    if user.team_id:
        return list(db.session.scalars(select(Team).where(Team.id == user.team_id)))
    return list(db.session.scalars(select(Team).where(Team.site_id == user.site_id).order_by(Team.name)))


def manageable_sites(user: User) -> list[Site]:
    query = select(Site).options(selectinload(Site.teams)).order_by(Site.name)
    if not user.has_role(R.ADMIN):
        query = query.where(Site.id == user.site_id)
    return list(db.session.scalars(query))


def staff_visible_to(user: User) -> list[User]:
    staff_ids = select(UserRole.user_id).where(UserRole.role.in_(R.STAFF))
    query = select(User).where(User.id.in_(staff_ids)).order_by(User.full_name)
    if not user.has_role(R.ADMIN):
        query = query.where(User.site_id == user.site_id)
    return list(db.session.scalars(query))
