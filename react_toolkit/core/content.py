"""Shipped content files (modules, resources, instruments, lexicons): reading their YAML, and the
error for one that cannot be loaded."""

from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml, which PyYAML's wheels carry, parses these files many times faster
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader  # type: ignore[assignment]


class ContentError(ValueError):
    """A content file that cannot be loaded; the message names the file and the field."""


def load_yaml(text: str) -> Any:
    """The YAML document in the text, with only plain data types (the safe loader)."""
    return yaml.load(text, Loader=SafeLoader)
