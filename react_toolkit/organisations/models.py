"""Sites, teams and service hours."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from react_toolkit.extensions import db
from react_toolkit.timeutil import now

WEEKDAYS = (
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
)


class Site(db.Model):
    """An NHS trust running the toolkit."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # Whether clinicians may record the trust's own reference (a care record's number) on an
    # invitation. Off unless the trust turns it on; while off, no reference is asked for or kept.
    record_invitation_reference: Mapped[bool] = mapped_column(default=False)

    # Loaded when asked for (manageable_sites() asks up front): every user row joins its site,
    # and loading all of a trust's teams and their hours with each would cost every page.
    teams: Mapped[list[Team]] = relationship(back_populates="site", order_by="Team.name")


class Team(db.Model):
    """An EIP team: the unit that invites relatives and answers their messages."""

    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    caseload: Mapped[int | None]
    caseload_set_at: Mapped[datetime | None]
    caseload_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", use_alter=True))
    crisis_phone: Mapped[str] = mapped_column(String(40), default="")
    crisis_phone_label: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/London")
    # The team that answers relatives who joined without an invitation (one per deployment).
    national: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=now)

    site: Mapped[Site] = relationship(back_populates="teams")
    hours: Mapped[list[ServiceHours]] = relationship(
        order_by="ServiceHours.weekday",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_open_at(self, moment: datetime) -> bool:
        """Whether the team's service is open at a UTC moment."""
        local = moment.astimezone(self.zone)
        return any(
            slot.weekday == local.weekday() and slot.opens <= local.time() < slot.closes
            for slot in self.hours
        )

    def hours_summary(self) -> list[str]:
        """Plain lines such as 'Monday: 9am to 5pm', for people to read."""
        return [
            gettext(
                "%(day)s: %(opens)s to %(closes)s",
                day=WEEKDAYS[slot.weekday],
                opens=_clock(slot.opens),
                closes=_clock(slot.closes),
            )
            for slot in self.hours
        ]


class ServiceHours(db.Model):
    """One opening window of a team's service on one weekday, in the team's timezone."""

    __tablename__ = "service_hours"
    __table_args__ = (UniqueConstraint("team_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    weekday: Mapped[int]  # 0 is Monday
    opens: Mapped[time]
    closes: Mapped[time]


def _clock(value: time) -> str:
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


class BankHoliday(db.Model):
    """A public holiday in England and Wales: the service's clock stops, as it does at weekends."""

    __tablename__ = "bank_holidays"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(100))
