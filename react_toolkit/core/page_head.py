"""Parts a feature adds to every page's <head>: each a partial template, drawn in the order registered."""

from __future__ import annotations

from flask import Flask, current_app


def register(app: Flask, template: str) -> None:
    """Draw `template` inside every page's <head>, after the stylesheets and scripts of the layout."""
    parts: list[str] = app.extensions.setdefault("page_head", [])
    if template not in parts:
        parts.append(template)


def parts() -> list[str]:
    return list(current_app.extensions.get("page_head", []))
