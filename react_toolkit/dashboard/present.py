"""How figures are written on the page, with small numbers suppressed for everyone but admins."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext

from react_toolkit.dashboard.figures import Spread
from react_toolkit.dashboard.permissions import SMALL_COUNT

NOT_SHOWN = "–"


HIDDEN_BESIDE_SMALL = "*"


class Presenter:
    """Counts of 1 to 4 become '<5' (0 stays 0); a rate or average resting on fewer than 5 is not shown.

    In a table whose totals are the sums of its rows, one hidden count could be worked out by
    subtracting the others from the total. `protect` hides enough other counts (shown as '*') that
    no hidden count can be recovered that way; `cell` and `share` then draw a row's figures.
    """

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        self.hidden: set[tuple[int, str]] = set()  # (id of a row, field) hidden to protect another

    def small(self, count: int | None) -> bool:
        return not self.exact and count is not None and 0 < count < SMALL_COUNT

    def count(self, count: int | None) -> str:
        if count is None:
            return NOT_SHOWN
        return "<5" if self.small(count) else f"{count:,}"

    def protect(
        self,
        groups: list[tuple[Any, list[Any]]],
        fields: tuple[str, ...],
        parts: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        """Hide counts beside the small ones in a table whose totals are sums.

        `groups` pairs each total row with the rows it sums, for every one of `fields`; `parts`
        names, within every row, a field that is the sum of other fields (all invitations: by email
        and by code). In each sum, a count under 5 is never the only one hidden unless its total
        is hidden too.
        """
        if self.exact:
            return
        sums = [((total, name), [(row, name) for row in rows]) for total, rows in groups for name in fields]
        every_row = {id(row): row for total, rows in groups for row in (total, *rows)}.values()
        for whole, pieces in (parts or {}).items():
            sums += [((row, whole), [(row, piece) for piece in pieces]) for row in every_row]
        changed = True
        while changed:
            changed = False
            for total, cells in sums:
                hidden = [cell for cell in cells if self._is_hidden(cell)]
                if len(hidden) != 1 or self._is_hidden(total):
                    continue
                others = [cell for cell in cells if not self._is_hidden(cell)]
                # The smallest other count loses least; a zero hidden as '*' gives nothing away.
                chosen = min(others, key=lambda cell: getattr(*cell)) if others else total
                self.hidden.add((id(chosen[0]), chosen[1]))
                changed = True

    def _is_hidden(self, cell: tuple[Any, str]) -> bool:
        row, name = cell
        return self.small(getattr(row, name)) or (id(row), name) in self.hidden

    def cell(self, row: Any, name: str) -> str:
        """One count of a protected table."""
        if (id(row), name) in self.hidden:
            return HIDDEN_BESIDE_SMALL
        return self.count(getattr(row, name))

    def share_value(self, row: Any, part: str, whole: str) -> float:
        """The percentage a chart may draw: nothing where the table hides it."""
        if (id(row), part) in self.hidden or (id(row), whole) in self.hidden:
            return 0.0
        return self.percent_value(getattr(row, part), getattr(row, whole))

    def share(self, row: Any, part: str, whole: str) -> str:
        """A percentage of two counts of a protected table: not shown when either is hidden."""
        if (id(row), part) in self.hidden or (id(row), whole) in self.hidden:
            return NOT_SHOWN
        return self.percent(getattr(row, part), getattr(row, whole))

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


UPTAKE_COUNTS = (
    "clinicians",
    "inviting_clinicians",
    "invites",
    "relatives_invited",
    "registered",
    "invites_accepted",
    "invites_expired",
    "invites_withdrawn",
    "invites_by_email",
    "invites_by_code",
)
UPTAKE_PARTS = {"invites": ("invites_by_email", "invites_by_code")}


def protect_uptake(show: Presenter, teams: list, sites: list, total: Any) -> None:
    """Protect the uptake table: teams sum to their trust, trusts to the total (or teams, for one trust)."""
    if sites:
        groups = [(site, [team for team in teams if team.site_name == site.name]) for site in sites]
        groups.append((total, sites))
    else:
        groups = [(total, teams)]
    show.protect(groups, UPTAKE_COUNTS, UPTAKE_PARTS)
