"""Use cases for the wellbeing check-in: saving one, and listing a relative's own."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from react_toolkit import signals
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.outcomes.items import HIGHEST, ITEMS, LOWEST
from react_toolkit.outcomes.models import CheckIn
from react_toolkit.timeutil import now


class OutcomeError(Refusal):
    """Refused by the check-in's rules."""


def complete_checkin(user, answers: Mapping[str, int]) -> CheckIn:
    """Save a relative's answers as direction-corrected scores, so a higher total means better wellbeing."""
    scores: dict[str, int] = {}
    for item in ITEMS:
        answer = answers.get(item.key)
        if isinstance(answer, bool) or not isinstance(answer, int) or not LOWEST <= answer <= HIGHEST:
            raise OutcomeError(item.missing, field=item.key)
        scores[item.key] = item.score(answer)
    checkin = CheckIn(user_id=user.id, completed_at=now(), answers=scores, total=sum(scores.values()))
    db.session.add(checkin)
    db.session.flush()
    signals.checkin_completed.send(user, object_type="checkin", object_id=checkin.id)
    db.session.commit()
    return checkin


def own_checkins(user) -> list[CheckIn]:
    """A relative's own check-ins, newest first: never anyone else's."""
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.user_id == user.id)
            .order_by(CheckIn.completed_at.desc(), CheckIn.id.desc())
        )
    )
