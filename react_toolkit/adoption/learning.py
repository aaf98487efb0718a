"""The staff learning modules: read once when the app starts, with the relatives' module loader.

Staff modules live in their own folder and are never synced into the relatives' module tables:
they are for staff only, and a person's completion is recorded against the module's slug.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from react_toolkit.modules.content import ModuleData, parse_directory


def init_app(app: Flask, directory: Path) -> None:
    """Load and check every staff module; a broken file stops the app starting, naming the file."""
    app.extensions["staff_modules"] = parse_directory(directory)


def all_modules() -> list[ModuleData]:
    return sorted(current_app.extensions.get("staff_modules", []), key=lambda module: module.order)


def get_module(slug: str) -> ModuleData | None:
    return next((module for module in all_modules() if module.slug == slug), None)
