"""What staff adoption holds that names a person: staff records only, never a relative's.

Module completions, champion naming, NoMAD answers, targets set and log notes written are made by
staff. A relative has none, so erasing a relative finds nothing here; the rows are still removed
by user id, so that no feature keeps a row naming an erased account. The relatives' data download
has no section here for the same reason.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import delete, update

from react_toolkit.adoption.models import (
    NomadResponse,
    NomadWave,
    ReflectionEntry,
    StaffModuleCompletion,
    TeamChampion,
    TeamTarget,
)
from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.extensions import db


def erase(user: User) -> None:
    """Remove the person's own rows, and their name from what they set for a team."""
    for model in (StaffModuleCompletion, NomadResponse, TeamChampion):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.execute(
        update(TeamChampion).where(TeamChampion.named_by_id == user.id).values(named_by_id=None)
    )
    db.session.execute(update(NomadWave).where(NomadWave.opened_by_id == user.id).values(opened_by_id=None))
    db.session.execute(update(TeamTarget).where(TeamTarget.set_by_id == user.id).values(set_by_id=None))
    db.session.execute(
        update(ReflectionEntry).where(ReflectionEntry.written_by_id == user.id).values(written_by_id=None)
    )


def init_app(app: Flask) -> None:
    personal_data.register(
        app,
        "adoption",
        tables=(
            "staff_module_completions",
            "team_champions",
            "nomad_waves",
            "nomad_responses",
            "team_targets",
            "team_reflections",
        ),
        erase=erase,
    )
