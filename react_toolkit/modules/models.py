"""Modules and their sections, relatives' progress, private exercise answers and toolbox items."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from react_toolkit.extensions import db
from react_toolkit.resources.models import Resource
from react_toolkit.timeutil import now


class Module(db.Model):
    """One psychoeducation module, loaded from content/modules/*.md."""

    __tablename__ = "modules"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(index=True)
    estimated_minutes: Mapped[int]
    # What the author can truthfully say (PIF TICK); clinical reviews are recorded separately, by the reviewer.
    author_role: Mapped[str] = mapped_column(String(200))
    written: Mapped[date]
    updated: Mapped[date | None]
    law_applies: Mapped[str] = mapped_column(String(40))
    lived_experience: Mapped[str] = mapped_column(Text)
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    depends_on: Mapped[list] = mapped_column(JSON, default=list)
    # [{"title": "...", "reference": "NICE CG178", "url": "https://..."}]
    sources: Mapped[list] = mapped_column(JSON, default=list)
    resource_slugs: Mapped[list] = mapped_column(JSON, default=list)
    source_hash: Mapped[str] = mapped_column(String(64))
    published: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    sections: Mapped[list[Section]] = relationship(
        back_populates="module", order_by="Section.position", cascade="all, delete-orphan"
    )


class ModuleTranslation(db.Model):
    """A module in another language: its words only; sections, exercises and progress stay the English module's."""

    __tablename__ = "module_translations"
    __table_args__ = (UniqueConstraint("module_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    # [{"title": "...", "minutes": 3, "parts": [...]}], in the English sections' order.
    sections: Mapped[list] = mapped_column(JSON)
    # "awaiting-review" until a clinician who speaks the language has checked it.
    status: Mapped[str | None] = mapped_column(String(40))
    # The author's role and the lived-experience statement in the translation's language.
    author_role: Mapped[str | None] = mapped_column(String(200))
    lived_experience: Mapped[str | None] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))


class Section(db.Model):
    """A page of a module: pre-rendered, sanitised parts with exercises between them."""

    __tablename__ = "sections"
    __table_args__ = (UniqueConstraint("module_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200))
    # [{"type": "html", "html": "..."}, {"type": "exercise", "key": "...", "prompt_html": "..."}]
    parts: Mapped[list] = mapped_column(JSON)
    minutes: Mapped[int]

    module: Mapped[Module] = relationship(back_populates="sections")


class Exercise(db.Model):
    """A reflection question; answers hang on (module, key), which never changes once published."""

    __tablename__ = "exercises"
    __table_args__ = (UniqueConstraint("module_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="SET NULL"))
    key: Mapped[str] = mapped_column(String(80))
    prompt: Mapped[str] = mapped_column(Text)


class SectionProgress(db.Model):
    """What one relative has read, and what they marked as done."""

    __tablename__ = "section_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "section_id"),
        Index("ix_section_progress_user_id_module_id", "user_id", "module_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    first_viewed_at: Mapped[datetime] = mapped_column(default=now)
    last_viewed_at: Mapped[datetime] = mapped_column(default=now)
    completed_at: Mapped[datetime | None]


class ModuleCompletion(db.Model):
    """The moment a relative finished every section of a module."""

    __tablename__ = "module_completions"
    __table_args__ = (UniqueConstraint("user_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime] = mapped_column(default=now)


class ExerciseAnswer(db.Model):
    """A relative's private answer. Only its owner can read it; staff cannot."""

    __tablename__ = "exercise_answers"
    __table_args__ = (UniqueConstraint("user_id", "exercise_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    exercise_id: Mapped[int] = mapped_column(ForeignKey("exercises.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)


class ToolboxItem(db.Model):
    """Something a relative keeps in their private toolbox: a section, a resource or a note."""

    __tablename__ = "toolbox_items"
    __table_args__ = (Index("ix_toolbox_items_user_id_position", "user_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "section", "resource" or "note"
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id", ondelete="CASCADE"))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"))
    note_title: Mapped[str | None] = mapped_column(String(200))
    note_text: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now)

    section: Mapped[Section | None] = relationship()
    resource: Mapped[Resource | None] = relationship()
