"""Resources and the history of every change made to them."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from react_toolkit.extensions import db
from react_toolkit.timeutil import now

CATEGORIES = {
    "crisis": _l("Help in a crisis"),
    "mental-health": _l("Mental health information and support"),
    "carers": _l("Support for carers"),
    "bipolar": _l("Bipolar disorder"),
    "psychosis": _l("Psychosis and hearing voices"),
    "young-people": _l("Young people and families"),
    "drugs-and-alcohol": _l("Drugs and alcohol"),
    "money-and-rights": _l("Money, benefits and rights"),
    "local-groups": _l("Local groups and carers' centres"),
}

# The kinds of support an entry gives: the same five a relative marks on their support map.
SUPPORT_KINDS = {
    "talk": _l("Someone to talk to"),
    "practical": _l("Practical help"),
    "information": _l("Information"),
    "break": _l("A break from caring"),
    "company": _l("Company"),
}


class Resource(db.Model):
    """A place to get help. site_id is empty for national entries, which come from content/resources.yaml."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str | None] = mapped_column(String(80), unique=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(String(60), default="")
    text_number: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(500), default="")
    opening_times: Mapped[str] = mapped_column(String(300), default="")
    accessibility: Mapped[str] = mapped_column(Text, default="")
    # When the shipped file's details were written: a date in a file, not a check by the team.
    details_written: Mapped[date | None]
    # Postcode districts (NG7) or areas (NG) a local entry serves, space-separated; empty for the whole trust.
    areas: Mapped[str] = mapped_column(String(300), default="")
    # Keys of SUPPORT_KINDS, space-separated.
    support: Mapped[str] = mapped_column(String(100), default="")
    retired_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    changes: Mapped[list[ResourceChange]] = relationship(
        order_by="ResourceChange.changed_at.desc()", cascade="all, delete-orphan"
    )

    @property
    def is_national(self) -> bool:
        return self.site_id is None

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)

    @property
    def area_list(self) -> list[str]:
        return self.areas.split()

    @property
    def support_list(self) -> list[str]:
        return [kind for kind in self.support.split() if kind in SUPPORT_KINDS]

    @property
    def support_kinds(self) -> list[str]:
        """The kinds as the staff form shows them, ticked."""
        return self.support_list

    @property
    def support_labels(self) -> list[str]:
        return [str(SUPPORT_KINDS[kind]) for kind in self.support_list]


class ResourceChange(db.Model):
    """Who changed a resource, how and when: kept for every add, edit and retirement."""

    __tablename__ = "resource_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # added, edited, retired, restored, synced, or checked (someone confirmed the details are right today)
    action: Mapped[str] = mapped_column(String(20))
    fields: Mapped[str] = mapped_column(String(300), default="")
    changed_at: Mapped[datetime] = mapped_column(default=now)

    user = relationship("User")
