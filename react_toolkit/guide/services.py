"""The first-visit panel's rules: who sees it, and putting it away for good."""

from __future__ import annotations

from typing import Any

from flask import current_app

from react_toolkit.extensions import db
from react_toolkit.guide.models import StartHereDismissal
from react_toolkit.modules.permissions import has_personal_space
from react_toolkit.timeutil import now

# The module that explains the toolkit itself; the panel links to it when it is published.
HOW_TO_MODULE = "how-to-use-the-toolkit"


def has_dismissed(user: Any) -> bool:
    return db.session.get(StartHereDismissal, user.id) is not None


def start_here_panel(user: Any) -> dict | None:
    """Home's "Start here" for a relative who has not put it away: their team and its hours."""
    if not has_personal_space(user) or has_dismissed(user):
        return None
    from react_toolkit.modules.services import get_module

    return {"team": user.team, "how_to": get_module(HOW_TO_MODULE)}


def dismiss_start_here(user: Any) -> None:
    """Put the panel away for this person; doing it twice changes nothing."""
    if not has_dismissed(user):
        db.session.add(StartHereDismissal(user_id=user.id, dismissed_at=now()))
        db.session.commit()


def about_settings() -> dict[str, str]:
    """Who runs this deployment and until when, as its configuration says."""
    config = current_app.config
    return {
        "provider": config["ABOUT_PROVIDER"],
        "commissioner": config["ABOUT_COMMISSIONER"],
        "funded_until": config["ABOUT_FUNDED_UNTIL"],
        "closure": config["ABOUT_CLOSURE_PLAN"],
    }


def help_contact() -> dict[str, str]:
    """Who to contact about using the toolkit, as the deployment sets it."""
    config = current_app.config
    return {
        "name": config["HELP_CONTACT_NAME"],
        "email": config["HELP_CONTACT_EMAIL"],
        "phone": config["HELP_CONTACT_PHONE"],
        "hours": config["HELP_CONTACT_HOURS"],
    }
