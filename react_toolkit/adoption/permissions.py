"""Who may learn, answer NoMAD, lead adoption and keep a team's reflection log.

Every member of staff may read the staff modules. Staff who work at a trust answer its NoMAD
waves. Site leads run adoption for their own trust's teams; admins for every trust.
A team's log is for the team's inviting staff, its trust's site lead and admins.
"""

from __future__ import annotations

from typing import Any

from react_toolkit.auth import roles as R

# Staff whose work with relatives NoMAD asks about.
RESPONDENTS = (R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD)


def _signed_in(user: Any) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))


def can_learn(user: Any) -> bool:
    return _signed_in(user) and user.has_role(*R.STAFF) and not user.has_role(R.RELATIVE)


def can_lead_adoption(user: Any) -> bool:
    """Site leads (their own trust) and admins (every trust)."""
    if not _signed_in(user):
        return False
    return user.has_role(R.ADMIN) or (user.has_role(R.SITE_LEAD) and user.site_id is not None)


def may_lead_site(user: Any, site_id: int | None) -> bool:
    if not can_lead_adoption(user) or site_id is None:
        return False
    return user.has_role(R.ADMIN) or user.site_id == site_id


def can_answer_nomad(user: Any) -> bool:
    """Staff who work at a trust; those in no team (a site lead) count in the trust's figures only."""
    return _signed_in(user) and user.has_role(*RESPONDENTS) and user.site_id is not None


def may_answer_wave(user: Any, wave: Any) -> bool:
    return can_answer_nomad(user) and user.site_id == wave.site_id


def can_keep_a_team_log(user: Any) -> bool:
    return _signed_in(user) and (
        can_lead_adoption(user) or (user.has_role(*R.INVITERS) and user.team_id is not None)
    )


def may_keep_team_log(user: Any, team: Any) -> bool:
    if may_lead_site(user, team.site_id):
        return True
    return can_keep_a_team_log(user) and user.has_role(*R.INVITERS) and user.team_id == team.id


JINJA_GLOBALS = {
    "can_learn": can_learn,
    "can_lead_adoption": can_lead_adoption,
    "can_answer_nomad": can_answer_nomad,
    "may_keep_team_log": may_keep_team_log,
}
