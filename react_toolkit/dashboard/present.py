"""How figures are written on the page, with small numbers suppressed for everyone but admins."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from react_toolkit.dashboard.figures import Spread
from react_toolkit.dashboard.permissions import SMALL_COUNT

NOT_SHOWN = "–"


class Presenter:
    """Counts below 5 become '<5'; a rate or average resting on fewer than 5 people is not shown."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact

    def small(self, count: int | None) -> bool:
        return not self.exact and count is not None and count < SMALL_COUNT

    def count(self, count: int | None) -> str:
        if count is None:
            return NOT_SHOWN
        return "<5" if self.small(count) else f"{count:,}"

    def value(self, count: int | None) -> int:
        """The number a chart may draw: nothing for a suppressed count."""
        return 0 if count is None or self.small(count) else count

    def percent(self, part: int | None, whole: int | None) -> str:
        if not whole or part is None or self.small(part) or self.small(whole):
            return NOT_SHOWN
        return f"{100 * part / whole:.0f}%"

    def per_thousand(self, part: int | None, whole: int | None) -> str:
        if not whole or part is None or self.small(whole):
            return NOT_SHOWN
        return f"{1000 * part / whole:.1f}".rstrip("0").rstrip(".")

    def percent_value(self, part: int | None, whole: int | None) -> float:
        if not whole or part is None or self.small(part) or self.small(whole):
            return 0.0
        return 100 * part / whole

    def days(self, spread: Spread) -> str:
        if spread.n == 0 or self.small(spread.n):
            return NOT_SHOWN
        return f"{spread.median:.1f}"

    def duration(self, seconds: float | None) -> str:
        if seconds is None:
            return NOT_SHOWN
        minutes = round(seconds / 60)
        if minutes < 1:
            return ngettext("%(num)d second", "%(num)d seconds", round(seconds))
        hours, minutes = divmod(minutes, 60)
        if hours == 0:
            return _("%(minutes)s min", minutes=minutes)
        return _("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)

    def spread(self, spread: Spread, unit: str = "duration", tail: str = "iqr") -> str:
        """'12 min (IQR 5 min to 30 min)' or '3 h 10 min (90th percentile 9 h 0 min)'."""
        if spread.n == 0 or self.small(spread.n):
            return NOT_SHOWN
        show = self.duration if unit == "duration" else (lambda v: f"{v:.1f}".rstrip("0").rstrip("."))
        if tail == "p90":
            return _("%(median)s (90th percentile %(p90)s)", median=show(spread.median), p90=show(spread.p90))
        return _(
            "%(median)s (IQR %(lower)s to %(upper)s)",
            median=show(spread.median),
            lower=show(spread.lower),
            upper=show(spread.upper),
        )
