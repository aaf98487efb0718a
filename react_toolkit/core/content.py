"""The error for a shipped content file (a module, the national resources) that cannot be loaded."""

from __future__ import annotations


class ContentError(ValueError):
    """A content file that cannot be loaded; the message names the file and the field."""
