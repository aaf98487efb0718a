"""Confidential conversations between relatives and their team's supporters."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import home, navigation
    from react_toolkit.inbox import commands, permissions, personal_data, services, views  # noqa: F401 - commands adds to the group

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals["inbox_body_max"] = services.BODY_MAX
    navigation.register(
        app,
        _l("Messages"),
        "inbox.list_messages",
        permissions.can_write_to_supporter,
        20,
        endpoints=("inbox.new_message", "inbox.reply_message", "inbox.view_message"),
    )
    navigation.register(
        app, _l("Team inbox"), "inbox.team_inbox", permissions.is_supporter, 21, blueprints=("inbox",)
    )
    navigation.register(
        app, _l("Inbox figures"), "inbox.inbox_figures", permissions.can_see_inbox_figures, 65
    )
    home.register_card(
        app,
        _l("Write to a supporter"),
        _l("A trained member of your team replies in confidence, during service hours."),
        "inbox.list_messages",
        permissions.can_write_to_supporter,
        20,
    )
    home.register_card(
        app,
        _l("Team inbox"),
        _l("Messages from relatives to your team, urgent ones first."),
        "inbox.team_inbox",
        permissions.is_supporter,
        30,
    )
    navigation.register_count(app, "inbox.list_messages", services.unread_replies, _l("%(num)d unread"))
    home.register_panel(app, "inbox/_home_reply.html", services.reply_panel, 10)
    personal_data.init_app(app)
