"""Clinical content review: reviews recorded by the reviewer, the law they rest on, and readers' feedback."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: pages, template globals, parts of module pages, navigation and its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import navigation
    from react_toolkit.modules import page_parts
    from react_toolkit.reviews import forms, permissions, personal_data, services, views

    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals["module_review_status"] = services.status_of
    app.jinja_env.globals["reviewer_kinds"] = services.REVIEWER_KINDS
    app.jinja_env.globals["feedback_form"] = lambda: forms.FeedbackForm(prefix="feedback", formdata=None)
    page_parts.register(app, "reviews/_module_review.html")
    page_parts.register(app, "reviews/_feedback.html")
    navigation.register(
        app,
        _l("Content review"),
        "reviews.content_status",
        permissions.can_see_content_status,
        65,
        blueprints=("reviews",),
    )
    personal_data.init_app(app)
