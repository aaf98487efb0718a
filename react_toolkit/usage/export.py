"""Usage events as CSV with keyed pseudonyms.

Every research export, in every format and with the consent rule, lives in
research/exports.py; these names stay here for the code that first used them.
"""

from __future__ import annotations

from react_toolkit.research.exports import USAGE_COLUMNS, pseudonym
from react_toolkit.research.exports import write_usage_csv as write_csv

COLUMNS = tuple(column.name for column in USAGE_COLUMNS)

__all__ = ["COLUMNS", "pseudonym", "write_csv"]
