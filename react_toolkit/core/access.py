"""The one way a view says who may open it: a permission function, checked before the view runs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user


def only(allowed: Callable[[Any], bool]) -> Callable[[Callable], Callable]:
    """Let through the signed-in people `allowed` says yes to; anyone else gets 403.

    Put it under @login_required, so that someone signed out is still sent to sign in first.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
