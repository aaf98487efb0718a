"""A small English module and its Welsh translation, written into a test's own content folder."""

from __future__ import annotations

from pathlib import Path

FRONT = """---
slug: {slug}
title: {title}
summary: {summary}
order: {order}
estimated_minutes: 5
author_role: {author_role}
written: 2026-11-01
kinds: [general]
depends_on: []
law_applies: not applicable
lived_experience: {lived_experience}
sources: []
{extra}---
"""

ENGLISH = """
## Looking after yourself

Sleep and food matter for you too.

::: exercise rest
What helps you rest?
:::

## Asking for help

Your team is there for you as well.
"""

WELSH = """
## Gofalu amdanoch eich hun

Mae cwsg a bwyd yn bwysig i chi hefyd.

::: exercise rest
Beth sy'n eich helpu i orffwys?
:::

## Gofyn am help

Mae eich tîm yno i chi hefyd.
"""


def write(path: Path, body: str, **front: str) -> None:
    front.setdefault("extra", "")
    front.setdefault("author_role", "Health information writer")
    front.setdefault("lived_experience", "Not yet.")
    path.write_text(FRONT.format(**front) + body, encoding="utf-8")
