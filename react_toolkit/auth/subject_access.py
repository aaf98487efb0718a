"""A relative's own copy of everything the toolkit holds about them (the right of access).

Each feature exports its own rows (core/personal_data.py); every query filters
by the one person asking. Staff notes, conversations raised by staff only, and
other people's words are left out.
"""

from __future__ import annotations

from typing import Any

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import when
from react_toolkit.timeutil import now

THIS_FILE = (
    "Everything the toolkit holds about you, in a format computers can read. "
    "Times are in UTC (the same as GMT). If anything is unclear, or you think "
    "something is missing, ask your team or the toolkit's administrator."
)


def subject_access_export(user: User) -> dict[str, Any]:
    """Everything held about one relative, ready to be written out as JSON."""
    sections = personal_data.sections()
    about = {"this file": THIS_FILE} | {section.name: section.about for section in sections}
    export: dict[str, Any] = {"about": about, "exported_at": when(now())}
    export.update((section.name, section.export(user)) for section in sections)
    return export
