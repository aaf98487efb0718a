"""Crisis help before any refusal: what a relative sends is read for risk before anything can refuse it.

A request hook, first in line (before the CSRF check, the rate limits and every view), reads the
free text of each form a relative posts. When it holds risk, whatever page answers (the form again
with an error, a posting limit, a silenced member's refusal, an expired form) shows the crisis card,
and the error pages, which cannot show the form again, show back what was typed. Nothing here alerts
anyone: the services that keep a text decide that, and private texts (toolbox notes, exercise
answers) alert nobody.
"""

from __future__ import annotations

from flask import Response, g, request, session
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from react_toolkit.risk.crisis import Contact, team_contact
from react_toolkit.risk.detection import RiskResult

# Form fields that never hold words a person wrote about themselves or someone else.
NOT_FREE_TEXT = frozenset({"csrf_token", "seen_up_to", "value", "action", "next", "page", "kind", "category"})
SHORTEST = 3  # characters; a shorter value is a choice, not words


def _free_text() -> list[str]:
    return [
        value
        for name, value in request.form.items(multi=True)
        if name not in NOT_FREE_TEXT
        and "password" not in name
        and "email" not in name
        and len(value.strip()) >= SHORTEST
    ]


CARRIED = "crisis_card_next"  # set when a risky post was saved and the answer is a redirect


def read_submission() -> None:
    """Before anything else in a relative's POST: look for risk in what they wrote."""
    g.submitted_risk = None
    g.submitted_texts = []
    if request.method != "POST":
        # Kept for the page itself, not for the files it loads.
        carried = request.endpoint != "static" and CARRIED in session
        g.crisis_card_carried = session.pop(CARRIED) if carried else False
        return
    if not getattr(current_user, "is_relative", False):
        return
    try:
        texts = _free_text()
    except RequestEntityTooLarge:
        return  # refused unread (413); the error page still carries the crisis link
    if not texts:
        return
    from react_toolkit.risk.services import check_text

    g.submitted_texts = texts
    g.submitted_risk = check_text(*texts)


def carry_to_next_page(response: Response) -> Response:
    """A saved post answers with a redirect: the page it leads to shows the card."""
    if response.status_code in (301, 302, 303) and submitted_risk() is not None:
        session[CARRIED] = True
    return response


def submitted_risk() -> RiskResult | None:
    """The risk found in what this request sent, or None."""
    found = g.get("submitted_risk")
    return found if found is not None and found.is_risk else None


def crisis_due(asked: bool = False) -> bool:
    """Whether the crisis card goes here: the page asks for it, or what was just sent holds risk.

    Once a page: the layout asks first, so a page that also shows the card never shows it twice.
    """
    if g.get("crisis_card_shown"):
        return False
    if asked or g.get("crisis_card_carried") or submitted_risk() is not None:
        g.crisis_card_shown = True
        return True
    return False


def submitted_texts() -> list[str]:
    """What a relative typed in this request, for pages that cannot give the form back."""
    return list(g.get("submitted_texts") or [])


def crisis_team() -> Contact | None:
    return team_contact(current_user)


JINJA_GLOBALS = {
    "crisis_due": crisis_due,
    "submitted_texts": submitted_texts,
    "crisis_team_contact": crisis_team,
}
