"""Use cases of staff adoption: finishing modules, naming champions, NoMAD waves, targets and team logs.

Each action checks its rules, changes rows and commits once. Every query names the person, their
team or the trust a site lead runs: nobody reaches another trust's waves, targets or logs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from react_toolkit.adoption import learning, nomad
from react_toolkit.adoption.models import (
    NomadResponse,
    NomadWave,
    ReflectionEntry,
    StaffModuleCompletion,
    TeamChampion,
    TeamTarget,
)
from react_toolkit.adoption.permissions import RESPONDENTS, can_answer_nomad
from react_toolkit.auth import roles as R
from react_toolkit.auth.models import User, UserRole
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.organisations.models import Team
from react_toolkit.timeutil import now

LOG_KINDS = {"barrier": _l("Barrier"), "action": _l("Action"), "decision": _l("Decision")}
LOG_TEXT_LIMIT = 2000
WAVE_TITLE_LIMIT = 120


# Learning -------------------------------------------------------------------------------------


def completed_slugs(user: User) -> dict[str, Any]:
    """The staff modules this person has finished, each with when."""
    rows = db.session.execute(
        select(StaffModuleCompletion.module_slug, StaffModuleCompletion.completed_at).where(
            StaffModuleCompletion.user_id == user.id
        )
    ).all()
    return {slug: completed_at for slug, completed_at in rows}


def complete_module(user: User, slug: str) -> bool:
    """Record that this person finished a staff module; True the first time, False if already done."""
    if learning.get_module(slug) is None:
        raise Refusal(_l("There is no staff module with that name."), status=404)
    if slug in completed_slugs(user):
        return False
    db.session.add(StaffModuleCompletion(user_id=user.id, module_slug=slug, completed_at=now()))
    try:
        db.session.commit()
    except IntegrityError:  # a second click that raced the first
        db.session.rollback()
        return False
    return True


# Teams and champions --------------------------------------------------------------------------


def team_staff(team_id: int) -> list[User]:
    """Active staff of a team (not researchers or admins, who belong to no team), by name."""
    staff = select(UserRole.user_id).where(UserRole.role.in_(RESPONDENTS))
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.team_id == team_id,
                User.active.is_(True),
                User.erased_at.is_(None),
                User.id.in_(staff),
            )
            .order_by(User.full_name, User.id)
        )
    )


def champions_of(team_id: int) -> list[User]:
    """The team's champions who still work in it, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(TeamChampion, TeamChampion.user_id == User.id)
            .where(
                TeamChampion.team_id == team_id,
                User.team_id == team_id,
                User.active.is_(True),
                User.erased_at.is_(None),
            )
            .order_by(User.full_name, User.id)
        )
    )


def add_champion(lead: User, team: Team, user_id: int | None) -> User:
    """Name a member of the team's staff as a champion."""
    person = next((user for user in team_staff(team.id) if user.id == user_id), None)
    if person is None:
        raise Refusal(_l("Choose a member of this team's staff."), field="champion_id", status=422)
    exists = db.session.scalar(
        select(TeamChampion.id).where(TeamChampion.team_id == team.id, TeamChampion.user_id == person.id)
    )
    if exists is None:
        db.session.add(TeamChampion(team_id=team.id, user_id=person.id, named_at=now(), named_by_id=lead.id))
        db.session.commit()
    return person


def remove_champion(team: Team, user_id: int | None) -> None:
    """Stop showing someone as the team's champion."""
    removed = db.session.execute(
        delete(TeamChampion).where(TeamChampion.team_id == team.id, TeamChampion.user_id == user_id)
    )
    if not removed.rowcount:
        raise Refusal(_l("That person is not a champion of this team."), field="champion_id", status=422)
    db.session.commit()


# NoMAD waves ------------------------------------------------------------------------------------


def get_wave(wave_id: int) -> NomadWave | None:
    return db.session.get(NomadWave, wave_id)


def waves_of(site_id: int) -> list[NomadWave]:
    """A trust's waves, oldest first."""
    return list(
        db.session.scalars(
            select(NomadWave).where(NomadWave.site_id == site_id).order_by(NomadWave.opened_at, NomadWave.id)
        )
    )


def open_wave(lead: User, site_id: int, title: str) -> NomadWave:
    """Open a wave of the survey for every member of staff at the trust; one at a time."""
    title = title.strip()
    if not title:
        raise Refusal(_l("Enter a name for the wave, such as Spring 2027."), field="title", status=422)
    if len(title) > WAVE_TITLE_LIMIT:
        raise Refusal(
            _l("The name must be %(limit)s characters or fewer.", limit=WAVE_TITLE_LIMIT),
            field="title",
            status=422,
        )
    already = db.session.scalar(
        select(NomadWave.id).where(NomadWave.site_id == site_id, NomadWave.closed_at.is_(None))
    )
    if already is not None:
        raise Refusal(
            _l("A wave is already open. Close it before opening another."), field="title", status=409
        )
    wave = NomadWave(site_id=site_id, title=title, opened_at=now(), opened_by_id=lead.id)
    db.session.add(wave)
    db.session.commit()
    return wave


def close_wave(wave: NomadWave) -> None:
    """Close a wave: no more answers are taken, and its results are final."""
    if wave.closed_at is not None:
        raise Refusal(_l("This wave is already closed."), status=409)
    wave.closed_at = now()
    db.session.commit()


def answered(user: User, wave: NomadWave) -> bool:
    return (
        db.session.scalar(
            select(NomadResponse.id).where(NomadResponse.wave_id == wave.id, NomadResponse.user_id == user.id)
        )
        is not None
    )


def open_wave_for(user: User) -> NomadWave | None:
    """The open wave at this person's trust, if they have not answered it yet."""
    if user.site_id is None:
        return None
    wave = db.session.scalar(
        select(NomadWave).where(NomadWave.site_id == user.site_id, NomadWave.closed_at.is_(None))
    )
    if wave is None or answered(user, wave):
        return None
    return wave


def save_answers(user: User, wave: NomadWave, answers: dict[str, int]) -> NomadResponse:
    """Keep one person's answers to an open wave, once, with the team they work in now."""
    if wave.closed_at is not None:
        raise Refusal(_l("This wave has closed, so it no longer takes answers."), status=409)
    if answered(user, wave):
        raise Refusal(_l("You have already answered this wave. Thank you."), status=409)
    keys = [item.key for item in nomad.survey().items]
    if sorted(answers) != sorted(keys):
        raise Refusal(_l("Answer every statement."), status=422)
    response = NomadResponse(
        wave_id=wave.id, user_id=user.id, team_id=user.team_id, answers=dict(answers), submitted_at=now()
    )
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise Refusal(_l("You have already answered this wave. Thank you."), status=409) from error
    return response


def wave_panel(user: Any) -> dict | None:
    """Home's note that a NoMAD wave is waiting for this person's answers."""
    if not can_answer_nomad(user):
        return None
    wave = open_wave_for(user)
    return None if wave is None else {"wave": wave}


# Targets and the team log ---------------------------------------------------------------------


def target_of(team_id: int) -> TeamTarget | None:
    return db.session.get(TeamTarget, team_id)


def save_targets(lead: User, team: Team, offered: int | None, registered: int | None) -> TeamTarget:
    """Set the team's targets, as percentages of its caseload; an empty one means no target."""
    if offered is not None and registered is not None and registered > offered:
        raise Refusal(
            _l("The share registered cannot be more than the share offered."),
            field="registered_percent",
            status=422,
        )
    target = target_of(team.id) or TeamTarget(team_id=team.id)
    target.offered_percent = offered
    target.registered_percent = registered
    target.set_at = now()
    target.set_by_id = lead.id
    db.session.add(target)
    db.session.commit()
    return target


def log_of(team_id: int, since: date | None = None, before: date | None = None) -> list[ReflectionEntry]:
    """The team's log, newest first, between two days if given."""
    query = select(ReflectionEntry).where(ReflectionEntry.team_id == team_id)
    if since is not None:
        query = query.where(ReflectionEntry.noted_on >= since)
    if before is not None:
        query = query.where(ReflectionEntry.noted_on < before)
    return list(
        db.session.scalars(query.order_by(ReflectionEntry.noted_on.desc(), ReflectionEntry.id.desc()))
    )


def add_log_entry(user: User, team: Team, kind: str, noted_on: date, text: str) -> ReflectionEntry:
    """Add a dated barrier, action or decision to the team's log."""
    entry = ReflectionEntry(
        team_id=team.id,
        kind=kind,
        noted_on=noted_on,
        text=text.strip(),
        written_by_id=user.id,
        created_at=now(),
    )
    db.session.add(entry)
    db.session.commit()
    return entry


def teams_led_by(user: User, site_id: int | None = None) -> list[Team]:
    """The teams a site lead runs (their trust's), or an admin's chosen trust's, or every team for an admin."""
    query = select(Team).where(Team.national.is_(False)).order_by(Team.name)
    if user.has_role(R.ADMIN):
        if site_id is not None:
            query = query.where(Team.site_id == site_id)
    else:
        query = query.where(Team.site_id == user.site_id)
    return list(db.session.scalars(query))
