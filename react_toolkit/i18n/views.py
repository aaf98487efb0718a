"""The language switch: a form in the header that every page carries."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from react_toolkit.auth.views import safe_next
from react_toolkit.i18n import services
from react_toolkit.i18n.language import COOKIE, LANGUAGES

bp = Blueprint("i18n", __name__)


@bp.post("/language")
def choose_language() -> Response:
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        abort(400)
    if current_user.is_authenticated:
        services.set_language(current_user, language)
    response = redirect(safe_next(request.form.get("next")) or url_for("core.home"))
    response.set_cookie(
        COOKIE,
        language,
        max_age=int(timedelta(days=365).total_seconds()),
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
    return response
