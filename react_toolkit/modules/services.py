"""Use cases for modules: loading content, reading progress, private exercise answers, the toolbox."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from react_toolkit import signals
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import commit_keeping_loaded, db
from react_toolkit.i18n.language import current_language
from react_toolkit.modules.content import ModuleData, parse_directory, parse_law_register, parse_translations
from react_toolkit.modules.models import (
    Exercise,
    ExerciseAnswer,
    Module,
    ModuleCompletion,
    ModuleTranslation,
    Section,
    SectionProgress,
    ToolboxItem,
)
from react_toolkit.modules.permissions import has_personal_space
from react_toolkit.resources.models import Resource
from react_toolkit.resources.services import sync_national_resources
from react_toolkit.timeutil import now

ANSWER_MAX = 5000
NOTE_MAX = 5000


class ModuleError(Refusal):
    """Refused by this feature's rules."""


# Loading content -------------------------------------------------------------


@dataclass
class SyncReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    resources_added: int = 0
    resources_updated: int = 0
    translations: int = 0


def _place_sections(module: Module, data: ModuleData) -> None:
    by_slug = {section.slug: section for section in module.sections}
    kept: list[Section] = []
    for position, section_data in enumerate(data.sections, start=1):
        section = by_slug.pop(section_data.slug, None)
        if section is None:
            section = Section(slug=section_data.slug, position=-position)
            module.sections.append(section)
        section.title = section_data.title
        section.parts = section_data.parts
        section.minutes = section_data.minutes
        kept.append(section)
    for gone in by_slug.values():
        module.sections.remove(gone)
    # Two steps, because (module, position) is unique while sections move about.
    for index, section in enumerate(kept, start=1):
        section.position = -index
    db.session.flush()
    for index, section in enumerate(kept, start=1):
        section.position = index
    db.session.flush()
    exercises = {
        row.key: row for row in db.session.scalars(select(Exercise).where(Exercise.module_id == module.id))
    }
    for section, section_data in zip(kept, data.sections, strict=True):
        for exercise_data in section_data.exercises:
            exercise = exercises.pop(exercise_data.key, None) or Exercise(
                module_id=module.id, key=exercise_data.key
            )
            exercise.section_id = section.id
            exercise.prompt = exercise_data.prompt
            db.session.add(exercise)
    # Exercises no longer in the file keep their answers; they are simply not shown.
    for orphan in exercises.values():
        orphan.section_id = None


def _sync_modules(directory: Path, register_keys: set[str] | None, report: SyncReport) -> list[ModuleData]:
    parsed = parse_directory(directory, register_keys)
    existing = {module.slug: module for module in db.session.scalars(select(Module))}
    for data in parsed:
        module = existing.pop(data.slug, None)
        if module is not None and module.source_hash == data.source_hash and module.published:
            report.unchanged += 1
            continue
        if module is None:
            module = Module(slug=data.slug)
            db.session.add(module)
            report.added += 1
        else:
            report.updated += 1
        module.title = data.title
        module.summary = data.summary
        module.position = data.order
        module.estimated_minutes = data.estimated_minutes
        module.author_role = data.author_role
        module.written = data.written
        module.updated = data.updated
        module.law_applies = data.law_applies
        module.lived_experience = data.lived_experience
        module.kinds = data.kinds
        module.depends_on = data.depends_on
        module.sources = data.sources
        module.resource_slugs = data.resources
        module.source_hash = data.source_hash
        module.published = True
        module.updated_at = now()
        db.session.flush()
        _place_sections(module, data)
    for module in existing.values():
        if module.published:
            module.published = False
            report.withdrawn += 1
    return parsed


def _sync_translations(directory: Path, english: list[ModuleData], report: SyncReport) -> None:
    modules = {module.slug: module for module in db.session.scalars(select(Module))}
    existing = {(row.module_id, row.language): row for row in db.session.scalars(select(ModuleTranslation))}
    for language, translated in parse_translations(directory, english).items():
        for data in translated:
            module = modules[data.slug]
            row = existing.pop((module.id, language), None)
            report.translations += 1
            if row is not None and row.source_hash == data.source_hash:
                continue
            if row is None:
                row = ModuleTranslation(module_id=module.id, language=language)
                db.session.add(row)
            row.title = data.title
            row.summary = data.summary
            row.status = data.translation_status
            row.author_role = data.author_role
            row.lived_experience = data.lived_experience
            row.source_hash = data.source_hash
            row.sections = [
                {"title": section.title, "minutes": section.minutes, "parts": section.parts}
                for section in data.sections
            ]
    for row in existing.values():
        db.session.delete(row)


def sync_content(content_dir: Path) -> SyncReport:
    """Load module files and national resources; unchanged files change nothing. All or nothing."""
    report = SyncReport()
    try:
        report.resources_added, report.resources_updated = sync_national_resources(
            content_dir / "resources.yaml"
        )
        register = content_dir / "law_register.yaml"
        # Like resources.yaml, the register may be absent from a partial content folder; then nothing is checked.
        register_keys = {entry.key for entry in parse_law_register(register)} if register.exists() else None
        english = _sync_modules(content_dir / "modules", register_keys, report)
        _sync_translations(content_dir / "modules", english, report)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return report


# Reading in the reader's language -------------------------------------------------


class Localised:
    """A module or section with some fields in the reader's language; the rest are the original's."""

    def __init__(self, original: Any, **fields: Any) -> None:
        self._original = original
        self.__dict__.update(fields)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._original, name)


def in_language(modules: list[Module], language: str) -> list[Localised]:
    """The modules as a reader of `language` sees them: translated where a translation is loaded, else English.

    Each carries `content_language` (what its words are in) and `translation_status`.
    """
    translations = {}
    if language != "en" and modules:
        translations = {
            row.module_id: row
            for row in db.session.scalars(
                select(ModuleTranslation).where(
                    ModuleTranslation.language == language,
                    ModuleTranslation.module_id.in_([module.id for module in modules]),
                )
            )
        }
    return [_localised(module, translations.get(module.id)) for module in modules]


def _localised(module: Module, translation: ModuleTranslation | None) -> Localised:
    if translation is None:
        return Localised(module, content_language="en", translation_status=None)
    sections = [
        Localised(section, title=words["title"], minutes=words["minutes"], parts=words["parts"])
        for section, words in zip(module.sections, translation.sections, strict=True)
    ]
    return Localised(
        module,
        title=translation.title,
        summary=translation.summary,
        sections=sections,
        content_language=translation.language,
        translation_status=translation.status,
        author_role=translation.author_role or module.author_role,
        lived_experience=translation.lived_experience or module.lived_experience,
    )


def translation_statuses(language: str) -> dict[int, str | None]:
    """Module id to the status of its translation into `language`, for modules that have one."""
    rows = db.session.execute(
        select(ModuleTranslation.module_id, ModuleTranslation.status).where(
            ModuleTranslation.language == language
        )
    )
    return {module_id: status for module_id, status in rows}


# Reading and progress -----------------------------------------------------------


@dataclass
class ModuleStatus:
    module: Module
    sections: int
    viewed: int
    done: int
    completed: bool

    @property
    def state(self) -> str:
        if self.completed:
            return "done"
        return "in progress" if self.viewed else "not started"


def published_modules() -> list[Module]:
    return list(db.session.scalars(select(Module).where(Module.published).order_by(Module.position)))


def module_statuses(user) -> list[ModuleStatus]:
    """Every published module with this person's progress, in a fixed number of queries."""
    section_counts = (
        select(Section.module_id, func.count(Section.id).label("sections"))
        .group_by(Section.module_id)
        .subquery()
    )
    progress = (
        select(
            SectionProgress.module_id,
            func.count(SectionProgress.id).label("viewed"),
            func.sum(case((SectionProgress.completed_at.is_not(None), 1), else_=0)).label("done"),
        )
        .where(SectionProgress.user_id == user.id)
        .group_by(SectionProgress.module_id)
        .subquery()
    )
    completions = select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user.id).subquery()
    rows = db.session.execute(
        select(
            Module,
            func.coalesce(section_counts.c.sections, 0),
            func.coalesce(progress.c.viewed, 0),
            func.coalesce(progress.c.done, 0),
            completions.c.module_id.is_not(None),
        )
        .outerjoin(section_counts, section_counts.c.module_id == Module.id)
        .outerjoin(progress, progress.c.module_id == Module.id)
        .outerjoin(completions, completions.c.module_id == Module.id)
        .where(Module.published)
        .order_by(Module.position)
    ).all()
    return [ModuleStatus(module, int(s), int(v), int(d), bool(c)) for module, s, v, d, c in rows]


def continue_point(user) -> Section | None:
    """Where to pick up: the section last read, or the one after it if that was marked done."""
    last = db.session.execute(
        select(SectionProgress)
        .join(Module, Module.id == SectionProgress.module_id)
        .where(SectionProgress.user_id == user.id, Module.published)
        .order_by(SectionProgress.last_viewed_at.desc(), SectionProgress.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if last is None:
        return None
    section = db.session.get(Section, last.section_id)
    if last.completed_at is None:
        return section
    following = db.session.scalar(
        select(Section)
        .where(Section.module_id == section.module_id, Section.position > section.position)
        .order_by(Section.position)
        .limit(1)
    )
    return following


def resume_panel(user) -> dict | None:
    """Home's "continue where you left off" for a person with their own space who has read something."""
    if not has_personal_space(user):
        return None
    resume = continue_point(user)
    if resume is None:
        return None
    return {"resume": resume, "module": in_language([resume.module], current_language())[0]}


def get_module(slug: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.slug == slug, Module.published))


def section_progress(user, module: Module) -> dict[int, SectionProgress]:
    rows = db.session.scalars(
        select(SectionProgress).where(
            SectionProgress.user_id == user.id, SectionProgress.module_id == module.id
        )
    )
    return {row.section_id: row for row in rows}


def record_view(user, section: Section) -> None:
    """Note that a relative opened a section (first and latest time)."""
    moment = now()
    row = db.session.scalar(
        select(SectionProgress).where(
            SectionProgress.user_id == user.id, SectionProgress.section_id == section.id
        )
    )
    if row is None:
        db.session.add(
            SectionProgress(
                user_id=user.id,
                module_id=section.module_id,
                section_id=section.id,
                first_viewed_at=moment,
                last_viewed_at=moment,
            )
        )
    else:
        row.last_viewed_at = moment
    signals.section_viewed.send(user, object_type="section", object_id=section.id)
    # Only the reader's own progress changed: the page keeps the module, its sections and the
    # reader as loaded, rather than reading each of them again after the commit.
    commit_keeping_loaded()


def complete_section(user, section: Section) -> bool:
    """Mark a section as done; returns True when that finishes the whole module."""
    moment = now()
    row = db.session.scalar(
        select(SectionProgress).where(
            SectionProgress.user_id == user.id, SectionProgress.section_id == section.id
        )
    )
    if row is None:
        row = SectionProgress(
            user_id=user.id,
            module_id=section.module_id,
            section_id=section.id,
            first_viewed_at=moment,
            last_viewed_at=moment,
        )
        db.session.add(row)
    if row.completed_at is None:
        row.completed_at = moment
        signals.section_completed.send(user, object_type="section", object_id=section.id)
    db.session.flush()
    total = db.session.scalar(select(func.count(Section.id)).where(Section.module_id == section.module_id))
    done = db.session.scalar(
        select(func.count(SectionProgress.id)).where(
            SectionProgress.user_id == user.id,
            SectionProgress.module_id == section.module_id,
            SectionProgress.completed_at.is_not(None),
        )
    )
    finished = False
    already = db.session.scalar(
        select(ModuleCompletion.id).where(
            ModuleCompletion.user_id == user.id, ModuleCompletion.module_id == section.module_id
        )
    )
    if done >= total and already is None:
        db.session.add(ModuleCompletion(user_id=user.id, module_id=section.module_id, completed_at=moment))
        signals.module_completed.send(user, object_type="module", object_id=section.module_id)
        finished = True
    db.session.commit()
    return finished


# Exercises --------------------------------------------------------------------------


def published_section(section_id: int) -> Section | None:
    return db.session.scalar(select(Section).join(Module).where(Section.id == section_id, Module.published))


def exercises_for_section(section: Section) -> dict[str, Exercise]:
    """The section's exercises by key, in one query."""
    rows = db.session.scalars(select(Exercise).where(Exercise.section_id == section.id))
    return {row.key: row for row in rows}


def exercise_for(module: Module, key: str) -> Exercise | None:
    return db.session.scalar(
        select(Exercise).where(
            Exercise.module_id == module.id, Exercise.key == key, Exercise.section_id.is_not(None)
        )
    )


def answers_for(user, exercise_ids: list[int]) -> dict[int, ExerciseAnswer]:
    """Only the asking user's own answers: there is no way to ask for anyone else's."""
    if not exercise_ids:
        return {}
    rows = db.session.scalars(
        select(ExerciseAnswer).where(
            ExerciseAnswer.user_id == user.id, ExerciseAnswer.exercise_id.in_(exercise_ids)
        )
    )
    return {row.exercise_id: row for row in rows}


def save_answer(user, exercise: Exercise, text: str) -> ExerciseAnswer:
    """Keep a relative's private answer; the event records only that it was saved."""
    text = (text or "").strip()
    if not text:
        raise ModuleError(_("Write something before you save, or use Delete to remove your answer"), "answer")
    if len(text) > ANSWER_MAX:
        raise ModuleError(
            _("Your answer must be %(answer_max)s characters or fewer", answer_max=ANSWER_MAX), "answer"
        )
    answer = db.session.scalar(
        select(ExerciseAnswer).where(
            ExerciseAnswer.user_id == user.id, ExerciseAnswer.exercise_id == exercise.id
        )
    )
    if answer is None:
        answer = ExerciseAnswer(user_id=user.id, exercise_id=exercise.id, text=text)
        db.session.add(answer)
    else:
        answer.text = text
        answer.updated_at = now()
    db.session.flush()
    signals.exercise_saved.send(user, object_type="exercise", object_id=exercise.id)
    db.session.commit()
    return answer


def delete_answer(user, exercise: Exercise) -> None:
    answer = db.session.scalar(
        select(ExerciseAnswer).where(
            ExerciseAnswer.user_id == user.id, ExerciseAnswer.exercise_id == exercise.id
        )
    )
    if answer is not None:
        db.session.delete(answer)
        signals.exercise_deleted.send(user, object_type="exercise", object_id=exercise.id)
        db.session.commit()


# Toolbox ------------------------------------------------------------------------------


def toolbox_items(user) -> list[ToolboxItem]:
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            select(ToolboxItem)
            .where(ToolboxItem.user_id == user.id)
            .options(
                selectinload(ToolboxItem.section).selectinload(Section.module),
                selectinload(ToolboxItem.resource),
            )
            .order_by(ToolboxItem.position, ToolboxItem.id)
        )
    )


def toolbox_item(user, item_id: int) -> ToolboxItem | None:
    return db.session.scalar(
        select(ToolboxItem).where(ToolboxItem.id == item_id, ToolboxItem.user_id == user.id)
    )


def _next_position(user) -> int:
    highest = db.session.scalar(select(func.max(ToolboxItem.position)).where(ToolboxItem.user_id == user.id))
    return (highest or 0) + 1


def _add(user, item: ToolboxItem) -> ToolboxItem:
    item.user_id = user.id
    item.position = _next_position(user)
    db.session.add(item)
    db.session.flush()
    signals.toolbox_item_added.send(user, object_type="toolbox_item", object_id=item.id)
    db.session.commit()
    return item


def add_section_to_toolbox(user, section: Section) -> ToolboxItem:
    """Save a section for later; saving it twice keeps one copy."""
    existing = db.session.scalar(
        select(ToolboxItem).where(ToolboxItem.user_id == user.id, ToolboxItem.section_id == section.id)
    )
    return existing or _add(user, ToolboxItem(kind="section", section_id=section.id))


def add_resource_to_toolbox(user, resource: Resource) -> ToolboxItem:
    existing = db.session.scalar(
        select(ToolboxItem).where(ToolboxItem.user_id == user.id, ToolboxItem.resource_id == resource.id)
    )
    return existing or _add(user, ToolboxItem(kind="resource", resource_id=resource.id))


def _check_note(title: str, text: str) -> tuple[str, str]:
    title, text = (title or "").strip(), (text or "").strip()
    if not text:
        raise ModuleError(_("Write your note before you save it"), "text")
    if len(text) > NOTE_MAX:
        raise ModuleError(_("Your note must be %(note_max)s characters or fewer", note_max=NOTE_MAX), "text")
    if len(title) > 200:
        raise ModuleError(_("The title must be 200 characters or fewer"), "title")
    return title, text


def add_note(user, title: str, text: str) -> ToolboxItem:
    title, text = _check_note(title, text)
    return _add(user, ToolboxItem(kind="note", note_title=title or None, note_text=text))


def update_note(user, item: ToolboxItem, title: str, text: str) -> None:
    title, text = _check_note(title, text)
    item.note_title, item.note_text, item.updated_at = title or None, text, now()
    db.session.commit()


def remove_from_toolbox(user, item: ToolboxItem) -> None:
    db.session.delete(item)
    signals.toolbox_item_removed.send(user, object_type="toolbox_item", object_id=item.id)
    db.session.commit()


def move_in_toolbox(user, item: ToolboxItem, direction: str) -> None:
    """Swap an item with its neighbour above or below."""
    items = toolbox_items(user)
    index = next(i for i, candidate in enumerate(items) if candidate.id == item.id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        for position, candidate in enumerate(items, start=1):
            candidate.position = position
        db.session.commit()
