"""The moderated peer forum: categories, threads and posts, reports, risk holds and the moderation queue."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, navigation, commands and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import navigation
    from react_toolkit.forum import commands, permissions, personal_data, search, services, views  # noqa: F401 - commands adds to the group; search names its index
    from react_toolkit.inbox import services as inbox_services
    from react_toolkit.notifications import services as notification_services

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals["forum_body_max"] = services.BODY_MAX
    app.jinja_env.globals.update(
        forum_moderation_status=services.moderation_status, held_note=services.held_note
    )
    navigation.register(
        app,
        _l("Forum"),
        "forum.list_categories",
        permissions.can_use_forum,
        15,
        endpoints=(
            "forum.view_category",
            "forum.new_thread",
            "forum.view_thread",
            "forum.reply_thread",
            "forum.follow_thread",
            "forum.lock_thread",
            "forum.edit_post",
            "forum.report_post",
            "forum.search",
            "forum.first_unread",
            "forum.show_post",
            "forum.thank_post",
        ),
    )
    navigation.register(
        app,
        _l("Moderation"),
        "forum.moderation_queue",
        permissions.can_moderate,
        22,
        endpoints=(
            "forum.moderate_post",
            "forum.moderation_log",
            "forum.to_read",
            "forum.low_score_posts",
        ),
    )
    navigation.register_count(
        app, "forum.list_categories", services.followed_with_new_posts, _l("%(num)d followed with new posts")
    )
    personal_data.init_app(app)
    # The forum already passes worries to the inbox; it lends the inbox a read-only view of the
    # post too, so that the inbox need import nothing of the forum.
    inbox_services.read_forum_posts_with(app, services.post_in_context)
    # A reply's notices are written by the outbox worker, not by the request that posts it.
    notification_services.register_fanout(app, "forum.reply", services.notify_followers_of)
