"""Sections other features add to the implementation dashboard, each with its own figures.

A feature with figures of its own (outcome measures, the support-network map, staff learning)
registers a section: a partial template and a function that computes what it shows for the months
and sites chosen. The dashboard draws every registered section after its own, in order, with the
same small-number presenter, and knows nothing of the feature's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app


@dataclass(frozen=True)
class DashboardSection:
    key: str  # the section's anchor on the page
    template: str
    figures: Callable[[Any, Any], dict | None]  # (period, scope) -> what the section shows, or None
    order: int


def register(
    app: Flask, key: str, template: str, figures: Callable[[Any, Any], dict | None], order: int
) -> None:
    """Draw `template` on the dashboard with `figures(period, scope)`, after the dashboard's own sections."""
    sections: list[DashboardSection] = app.extensions.setdefault("dashboard_sections", [])
    if any(section.key == key for section in sections):
        return
    sections.append(DashboardSection(key, template, figures, order))
    sections.sort(key=lambda section: section.order)


def sections_for(period: Any, scope: Any) -> list[dict]:
    """Each registered section with something to show for this period and scope."""
    shown = []
    for section in current_app.extensions.get("dashboard_sections", []):
        figures = section.figures(period, scope)
        if figures is not None:
            shown.append({"key": section.key, "template": section.template, "figures": figures})
    return shown


@dataclass(frozen=True)
class ReportPart:
    key: str
    template: str
    context: Callable[[Any, Any, Any], dict | None]  # (team, month, viewer) -> what the part shows, or None
    order: int


def register_report_part(
    app: Flask, key: str, template: str, context: Callable[[Any, Any, Any], dict | None], order: int
) -> None:
    """Draw `template` in each team's monthly report, after its figures, with `context(team, month, viewer)`."""
    parts: list[ReportPart] = app.extensions.setdefault("dashboard_report_parts", [])
    if any(part.key == key for part in parts):
        return
    parts.append(ReportPart(key, template, context, order))
    parts.sort(key=lambda part: part.order)


def report_parts_for(team: Any, month: Any, viewer: Any) -> list[dict]:
    """Each registered part of a team's monthly report with something to show this viewer."""
    shown = []
    for part in current_app.extensions.get("dashboard_report_parts", []):
        context = part.context(team, month, viewer)
        if context is not None:
            shown.append({"key": part.key, "template": part.template, "part": context})
    return shown
