"""Use cases for sites and teams."""

from __future__ import annotations

from datetime import time

from flask_babel import gettext as _
from sqlalchemy import delete, select, update

from react_toolkit import signals
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.organisations.models import BankHoliday, ServiceHours, Site, Team
from react_toolkit.timeutil import now


class OrganisationError(Refusal):
    """Refused by this feature's rules."""


def all_sites() -> list[Site]:
    """Every trust by name, for the pages that let someone pick one."""
    return list(db.session.scalars(select(Site).order_by(Site.name)))


def get_site(site_id: int | None) -> Site | None:
    """One trust, or None: callers decide whether the person may see it."""
    return db.session.get(Site, site_id) if site_id is not None else None


def get_team(team_id: int) -> Team | None:
    """One team, or None: callers decide whether the person may see it."""
    return db.session.get(Team, team_id)


def bank_holidays() -> list[BankHoliday]:
    """The bank holidays the inbox treats as closed days, latest first."""
    return list(db.session.scalars(select(BankHoliday).order_by(BankHoliday.day.desc())))


def create_site(name: str, code: str) -> Site:
    """Add a trust."""
    if db.session.scalar(select(Site.id).where((Site.name == name) | (Site.code == code))):
        raise OrganisationError(_("There is already a trust with this name or code"), "name")
    site = Site(name=name.strip(), code=code.strip())
    db.session.add(site)
    db.session.commit()
    return site


def save_site_settings(actor, site: Site, *, record_invitation_reference: bool) -> None:
    """Change a trust's settings. Whoever keeps data under a setting hears of the change and commits with it."""
    site.record_invitation_reference = record_invitation_reference
    signals.site_settings_changed.send(actor, object_type="site", object_id=site.id)
    db.session.commit()


def save_team(
    actor,
    team: Team,
    *,
    name: str,
    caseload: int | None,
    crisis_phone: str,
    crisis_phone_label: str,
    hours: list[tuple[int, time, time]],
    national: bool | None = None,
) -> Team:
    """Create or update a team; a changed caseload keeps who set it and when."""
    clash = db.session.scalar(
        select(Team.id).where(Team.site_id == team.site_id, Team.name == name.strip(), Team.id != team.id)
        if team.id
        else select(Team.id).where(Team.site_id == team.site_id, Team.name == name.strip())
    )
    if clash:
        raise OrganisationError(_("This trust already has a team with this name"), "name")
    team.name = name.strip()
    team.crisis_phone = (crisis_phone or "").strip()
    team.crisis_phone_label = (crisis_phone_label or "").strip()
    if national is not None:
        if national:
            # One national supporter team per deployment.
            db.session.execute(update(Team).where(Team.id != team.id).values(national=False))
        team.national = national
    if caseload != team.caseload:
        team.caseload = caseload
        team.caseload_set_at = now()
        team.caseload_set_by_id = actor.id
        changed_caseload = True
    else:
        changed_caseload = False
    db.session.add(team)
    # Old hours are deleted before new ones go in: (team, weekday) is unique.
    team.hours.clear()
    db.session.flush()
    team.hours.extend(ServiceHours(weekday=d, opens=o, closes=c) for d, o, c in hours)
    db.session.flush()
    if changed_caseload:
        signals.caseload_updated.send(actor, object_type="team", object_id=team.id)
    db.session.commit()
    return team


def add_bank_holiday(day, name: str) -> BankHoliday:
    """Admins keep the bank holidays current; service-hours timing skips them."""
    if db.session.scalar(select(BankHoliday.id).where(BankHoliday.day == day)):
        raise OrganisationError(_("That date is already in the list"), "day")
    holiday = BankHoliday(day=day, name=name.strip())
    db.session.add(holiday)
    db.session.commit()
    return holiday


def remove_bank_holiday(holiday_id: int) -> None:
    db.session.execute(delete(BankHoliday).where(BankHoliday.id == holiday_id))
    db.session.commit()
