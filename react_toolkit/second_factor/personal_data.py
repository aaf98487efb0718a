"""What the second-factor feature holds about a person: whether they use one, and when they used it.

Never a secret: the download says when the app was set up and when each recovery code, passkey and
remembered device was made and used, not the secret, the codes or the keys.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import delete, select

from react_toolkit.auth.models import User
from react_toolkit.core import personal_data
from react_toolkit.core.personal_data import Section, when
from react_toolkit.extensions import db
from react_toolkit.second_factor.models import (
    Passkey,
    RecoveryCode,
    RememberedDevice,
    SecondFactor,
    SecondFactorReset,
)

TABLES = (SecondFactor, RecoveryCode, Passkey, RememberedDevice, SecondFactorReset)


def _second_factor(user: User) -> dict[str, Any]:
    uid = user.id
    factor = db.session.get(SecondFactor, uid)

    def rows(model, order):
        return db.session.scalars(select(model).where(model.user_id == uid).order_by(order))

    return {
        "authenticator_app_set_up_at": when(factor.confirmed_at) if factor else None,
        "recovery_codes": [
            {"made_at": when(row.created_at), "used_at": when(row.used_at)}
            for row in rows(RecoveryCode, RecoveryCode.id)
        ],
        "passkeys": [
            {"name": row.name, "added_at": when(row.created_at), "last_used_at": when(row.last_used_at)}
            for row in rows(Passkey, Passkey.id)
        ],
        "remembered_devices": [
            {
                "remembered_at": when(row.created_at),
                "until": when(row.expires_at),
                "last_used_at": when(row.last_used_at),
            }
            for row in rows(RememberedDevice, RememberedDevice.id)
        ],
        "resets": [
            {"reset_at": when(row.created_at), "reason": row.reason}
            for row in rows(SecondFactorReset, SecondFactorReset.id)
        ],
    }


def erase(user: User) -> None:
    """Forget the person's second factor and every record of it."""
    for model in TABLES:
        db.session.execute(delete(model).where(model.user_id == user.id))


def init_app(app: Flask) -> None:
    """Answer for this feature's rows when a relative is erased or downloads their data."""
    personal_data.register(
        app,
        "second_factor",
        tables=tuple(model.__tablename__ for model in TABLES),
        erase=erase,
        sections=(
            Section(
                "second_factor",
                (
                    "Whether you use a second factor when you sign in: when you set up an authenticator "
                    "app, and when your recovery codes, passkeys and remembered devices were made and used. "
                    "Never the secrets or codes themselves."
                ),
                25,
                _second_factor,
            ),
        ),
    )
