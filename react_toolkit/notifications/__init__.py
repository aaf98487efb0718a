"""Notices that reach people: the outbox, its worker, delivery backends (email, text, GOV.UK Notify),
each person's choices, unsubscribe links, reminders and unread markers.

No web request talks to a mail server: features write notices with `services.enqueue` (or one
fan-out job with `services.fan_out`) in the transaction of the change that causes them, and
`flask react deliver` sends them.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: backends, pages, template globals, home card, commands and personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import home
    from react_toolkit.notifications import (
        backends,
        commands,  # noqa: F401 - commands adds to the group
        permissions,
        personal_data,
        reminders,
        views,
    )

    backends.init_app(app)
    from react_toolkit import signals

    signals.invitation_accepted.connect(reminders.forget_mobile, weak=False)
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(invitation_reminder_on=reminders.invitation_reminder_on)
    home.register_card(
        app,
        _l("Notification settings"),
        _l("Choose how we tell you about replies and reminders: email, text or not at all."),
        "notifications.edit_settings",
        permissions.can_choose_notifications,
        95,
    )
    personal_data.init_app(app)
    from react_toolkit.dashboard import sections
    from react_toolkit.notifications import figures

    sections.register(app, "reminders", "notifications/_dashboard.html", figures.figures, 70)
