"""What the modules feature holds about a relative: reading progress, answers and the toolbox."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import when
from react_toolkit.extensions import db
from react_toolkit.modules.models import (
    Exercise,
    ExerciseAnswer,
    Module,
    ModuleCompletion,
    Section,
    SectionProgress,
    ToolboxItem,
)
from react_toolkit.resources.models import Resource


def _module_progress(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.execute(
        select(SectionProgress, Section.title, Module.title)
        .join(Section, Section.id == SectionProgress.section_id)
        .join(Module, Module.id == SectionProgress.module_id)
        .where(SectionProgress.user_id == uid)
        .order_by(Module.position, Section.position)
    )
    return [
        {
            "module": module,
            "section": section,
            "first_viewed_at": when(row.first_viewed_at),
            "last_viewed_at": when(row.last_viewed_at),
            "marked_done_at": when(row.completed_at),
        }
        for row, section, module in rows
    ]


def _module_completions(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.execute(
        select(ModuleCompletion.completed_at, Module.title)
        .join(Module, Module.id == ModuleCompletion.module_id)
        .where(ModuleCompletion.user_id == uid)
        .order_by(ModuleCompletion.completed_at)
    )
    return [{"module": module, "completed_at": when(completed)} for completed, module in rows]


def _exercise_answers(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.execute(
        select(ExerciseAnswer, Exercise.prompt, Module.title)
        .join(Exercise, Exercise.id == ExerciseAnswer.exercise_id)
        .join(Module, Module.id == Exercise.module_id)
        .where(ExerciseAnswer.user_id == uid)
        .order_by(Module.position, Exercise.id)
    )
    return [
        {
            "module": module,
            "question": prompt,
            "your_answer": row.text,
            "first_saved_at": when(row.created_at),
            "last_changed_at": when(row.updated_at),
        }
        for row, prompt, module in rows
    ]


def _toolbox(user: User) -> list[dict[str, Any]]:
    uid = user.id
    rows = db.session.execute(
        select(ToolboxItem, Section.title, Module.title, Resource.name)
        .outerjoin(Section, Section.id == ToolboxItem.section_id)
        .outerjoin(Module, Module.id == Section.module_id)
        .outerjoin(Resource, Resource.id == ToolboxItem.resource_id)
        .where(ToolboxItem.user_id == uid)
        .order_by(ToolboxItem.position)
    )
    items = []
    for row, section, module, resource in rows:
        item: dict[str, Any] = {"kind": row.kind, "added_at": when(row.created_at)}
        if row.kind == "section":
            item.update(module=module, section=section)
        elif row.kind == "resource":
            item.update(place=resource)
        else:
            item.update(title=row.note_title, text=row.note_text, last_changed_at=when(row.updated_at))
        items.append(item)
    return items


def erase(user: User) -> None:
    """Forget what the relative read, answered and kept: none of it is shared with anyone."""
    for model in (ExerciseAnswer, ToolboxItem, SectionProgress, ModuleCompletion):
        db.session.execute(delete(model).where(model.user_id == user.id))


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "modules",
        tables=("exercise_answers", "module_completions", "section_progress", "toolbox_items"),
        erase=erase,
        sections=(
            personal_data.Section(
                "module_progress",
                "The sections of the modules you opened, and the ones you marked as done.",
                30,
                _module_progress,
            ),
            personal_data.Section(
                "module_completions",
                "The modules you finished.",
                40,
                _module_completions,
            ),
            personal_data.Section(
                "exercise_answers",
                "Your private answers to the questions in the modules, with each question.",
                50,
                _exercise_answers,
            ),
            personal_data.Section(
                "toolbox",
                "What you kept in your toolbox: sections, places that can help, and your own notes.",
                60,
                _toolbox,
            ),
        ),
    )
