"""The 'Need help now?' page. It must work even when the database does not."""

from __future__ import annotations

import logging

from flask import Blueprint, g, render_template
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from react_toolkit.extensions import db, login_manager
from react_toolkit.risk.crisis import NATIONAL_CONTACTS, team_contact

bp = Blueprint("risk", __name__)
log = logging.getLogger(__name__)


@bp.get("/crisis")
def crisis():
    try:
        local = team_contact(current_user)
    except SQLAlchemyError as error:
        # Without the database we cannot know the person's team; the national numbers still show.
        log.error("crisis page without team details: %s", type(error).__name__)
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()
        local = None
    return render_template("risk/crisis.html", contacts=NATIONAL_CONTACTS, team_contact=local)
