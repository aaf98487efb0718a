"""Compiled catalogues (.mo) built from the translators' .po files, only when a .po is newer."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compiled_directory(source: Path) -> Path:
    """Where compiled catalogues go: beside the sources, or a private temporary folder when those are read-only."""
    if os.access(source, os.W_OK):
        return source
    return Path(tempfile.gettempdir()) / "react-toolkit-translations"


def compile_catalogues(source: Path, target: Path | None = None) -> list[Path]:
    """Write each stale `messages.mo` for the `.po` files under `source` into `target`; the files compiled."""
    target = target or source
    compiled = []
    for po_path in sorted(source.glob("*/LC_MESSAGES/*.po")):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalogue = read_po(po_file, locale=po_path.parent.parent.name)
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside the target and renamed over it, so two workers starting at once never
        # read a half-written file.
        handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo.tmp")
        with os.fdopen(handle, "wb") as mo_file:
            write_mo(mo_file, catalogue)
        os.replace(temporary, mo_path)
        compiled.append(mo_path)
    return compiled


def awaiting_review(directory: Path, language: str) -> bool:
    """Whether a catalogue's header still says it awaits review by a speaker of the language."""
    po_path = directory / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return False
    for line in po_path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.lower().startswith("# review status: awaiting review"):
            return True
    return False
