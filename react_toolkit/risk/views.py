"""The 'Need help now?' page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from react_toolkit.risk.crisis import NATIONAL_CONTACTS, team_contact

bp = Blueprint("risk", __name__)


@bp.get("/crisis")
def crisis():
    return render_template(
        "risk/crisis.html", contacts=NATIONAL_CONTACTS, team_contact=team_contact(current_user)
    )
