"""Parts other features add to module pages (a review note, a feedback form) without this feature knowing them.

A feature calls `register(app, "feature/_part.html")` from its init_app; module and section pages
include each part in turn, with `module` (and on a section page `section` and `number`) in scope.
"""

from __future__ import annotations

from flask import Flask, current_app

KEY = "module_page_parts"


def register(app: Flask, template: str) -> None:
    parts: list[str] = app.extensions.setdefault(KEY, [])
    if template not in parts:
        parts.append(template)


def parts() -> list[str]:
    return list(current_app.extensions.get(KEY, []))
