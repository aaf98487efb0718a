"""Outcome measures for relatives: the routine questionnaires (PHQ-9, GAD-7) at set times, and the check-in.

Instruments are data (content/instruments/*.yaml), loaded and checked when the app starts.
"""

from __future__ import annotations

from flask import Flask

from react_toolkit.config import BASE_DIR

INSTRUMENTS_DIR = BASE_DIR / "content" / "instruments"


def init_app(app: Flask) -> None:
    """Plug the feature in: instruments, pages, home panel, navigation, dashboard section, commands, personal data."""
    from pathlib import Path

    from flask_babel import lazy_gettext as _l

    from react_toolkit.core import home, navigation
    from react_toolkit.dashboard import sections
    from react_toolkit.outcomes import (
        commands,  # noqa: F401 - commands adds to the group
        figures,
        instruments,
        permissions,
        personal_data,
        services,
        views,
    )

    instruments.init_app(app, Path(app.config.get("INSTRUMENTS_DIR") or INSTRUMENTS_DIR))
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(band_words=instruments.band_words, topic_words=instruments.topic_words)
    navigation.register(
        app,
        _l("Your scores"),
        "outcomes.list_measures",
        permissions.can_answer_measures,
        45,
        blueprints=("outcomes",),
    )
    home.register_panel(app, "outcomes/_home_due.html", services.home_panel, 20)
    sections.register(app, "outcomes", "outcomes/_dashboard.html", figures.figures, 60)
    home.register_card(
        app,
        _l("Wellbeing check-in"),
        _l("Six short questions about how things have been for you, whenever you like."),
        "outcomes.check_in",
        permissions.can_check_in,
        70,
    )
    personal_data.init_app(app)
