"""Stylesheets, scripts and images, addressed by what they hold so that browsers keep them.

Every address the app builds for a file in `static/` ends in `?v=` and the start of the file's
SHA-256. A request carrying the file's current version is answered as cacheable for a year: a
browser going from page to page fetches each stylesheet and script once, instead of asking for all
of them again on every page, which on a phone with a weak signal is a wait before each page shows.
When a file changes, so does its address, so nobody keeps an old one. A request without the
version, or with one the file no longer has (a page kept from before a release), is answered
`no-cache` as before, and the browser checks with the server each time.

A file imported by one of our scripts (the NHS.UK frontend script that `app.mjs` imports) is named
by its plain address there. Each page's import map (`import_map()`, drawn in `templates/base.html`)
sends the browser to its versioned address; the map is worked out from the scripts' own imports,
so a new import is versioned without anyone listing it. A browser without import maps asks for
the plain address, which stays `no-cache`.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import re
import stat
from functools import lru_cache
from pathlib import Path

from flask import Flask, request, url_for
from werkzeug.security import safe_join

ONE_YEAR = 365 * 24 * 60 * 60
VERSION = "v"


def version_of(folder: str, filename: str) -> str | None:
    """The file's version, or None for a name that is not a file in the folder."""
    path = safe_join(folder, filename)
    if path is None:
        return None
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None  # a folder, such as the frontend's assets path that templates add to
    return _content_version(path, (found.st_mtime_ns, found.st_size))


@lru_cache(maxsize=256)
def _content_version(path: str, _changed: tuple[int, int]) -> str:
    """Worked out again only when the file changes on disk (its time or size)."""
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()[:16]


# A relative module address in `import ... from "./x.mjs"`, `import "./x.mjs"` or `import("./x.mjs")`.
_RELATIVE_IMPORT = re.compile(r"""\b(?:from|import)\s*\(?\s*["'](\.{1,2}/[^"']+)["']""")


def module_imports(folder: str) -> tuple[str, ...]:
    """The static files our own scripts import by a relative address, as names in the folder.

    The NHS.UK frontend's files under `vendor/` are left out: they are imported, not importers.
    """
    root = Path(folder)
    found: set[str] = set()
    for script in root.rglob("*.mjs"):
        name = script.relative_to(root).as_posix()
        if name.startswith("vendor/"):
            continue
        for address in _RELATIVE_IMPORT.findall(script.read_text(encoding="utf-8")):
            found.add(posixpath.normpath(posixpath.join(posixpath.dirname(name), address)))
    return tuple(sorted(found))


def init_app(app: Flask) -> None:
    folder = str(app.static_folder)
    default_max_age = app.get_send_file_max_age

    def add_version(endpoint: str | None, values: dict) -> None:
        if endpoint == "static" and VERSION not in values:
            version = version_of(folder, values.get("filename", ""))
            if version is not None:
                values[VERSION] = version

    def max_age(filename: str | None) -> int | None:
        asked = request.args.get(VERSION)
        if asked and filename and asked == version_of(folder, filename):
            return ONE_YEAR
        return default_max_age(filename)

    # Read once at start: the scripts change only with a release (the versions are read per request).
    imported = module_imports(folder)

    def import_map() -> dict[str, dict[str, str]]:
        """Each imported file's plain address, mapped to the versioned one pages link."""
        versioned = [url_for("static", filename=name) for name in imported]
        return {"imports": {address.partition("?")[0]: address for address in versioned}}

    app.url_defaults(add_version)
    app.get_send_file_max_age = max_age  # type: ignore[method-assign]
    app.add_template_global(import_map)
