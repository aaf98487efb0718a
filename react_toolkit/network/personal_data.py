"""What the support map holds about a relative: their map, its history, their needs, their suggestions."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.network import services
from react_toolkit.network.models import MapVersion, Suggestion


def _map(user: User) -> list[dict[str, Any]]:
    return [
        {
            "label": e.label,
            "kind": e.kind,
            "circle": e.circle,
            "gives": list(e.gives),
            "added_at": when(e.created_at),
            "changed_at": when(e.updated_at),
        }
        for e in services.entries(user)
    ]


def _history(user: User) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(MapVersion).where(MapVersion.user_id == user.id).order_by(MapVersion.saved_at, MapVersion.id)
    )
    return [
        {
            "saved_at": when(v.saved_at),
            "change": v.change,
            "entries": [{k: item[k] for k in ("label", "kind", "circle", "gives")} for item in v.entries],
        }
        for v in rows
    ]


def _needs(user: User) -> dict[str, Any] | None:
    answers = services.needs(user)
    if answers is None:
        return None
    return {
        "helps_most": answers.helps_most,
        "ways": answers.ways,
        "times": answers.times,
        "travel": answers.travel,
        "interests": answers.interests,
        "postcode_area": answers.place,
        "updated_at": when(answers.updated_at),
    }


def _suggestions(user: User) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(Suggestion).where(Suggestion.user_id == user.id).order_by(Suggestion.shown_at, Suggestion.id)
    ).scalars()
    return [
        {
            "resource_id": s.resource_id,
            "shown_at": when(s.shown_at),
            "saved_at": when(s.saved_at),
            "not_for_me_at": when(s.declined_at),
            "contacted_or_went_at": when(s.followed_at),
        }
        for s in rows
    ]


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "network",
        tables=("network_entries", "network_versions", "network_needs", "network_suggestions"),
        erase=services.erase,
        sections=(
            Section(
                "support_map",
                "The people, groups, services, pets and activities on your support map.",
                72,
                _map,
            ),
            Section(
                "support_map_history", "Your support map as it was after each change you made.", 73, _history
            ),
            Section(
                "support_needs",
                "Your answers about what would help you and how you like to take part.",
                74,
                _needs,
            ),
            Section(
                "support_suggestions",
                "The places we suggested to you, and whether you saved one, said it was not for you, or went.",
                75,
                _suggestions,
            ),
        ),
    )
