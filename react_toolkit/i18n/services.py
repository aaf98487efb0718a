"""Keeping a person's language."""

from __future__ import annotations

from react_toolkit.auth.models import User
from react_toolkit.extensions import db


def set_language(user: User, language: str) -> None:
    """Remember the language a person chose, so every device they sign in on uses it."""
    user.language = language
    db.session.commit()
