"""The security sweep's app and world (every role, something owned at two trusts), reused to reach every page."""

from tests.security.conftest import app, content_dir, world

__all__ = ["app", "content_dir", "world"]
