"""Staff adoption: a learning area for staff, team champions, NoMAD survey waves, team targets and reflection logs.

Staff modules are Markdown files (content/staff_modules/*.md) in the relatives' module format,
read with the same loader. The NoMAD items are data (content/instruments/nomad.yaml).
"""

from __future__ import annotations

from flask import Flask

from react_toolkit.config import BASE_DIR

STAFF_MODULES_DIR = BASE_DIR / "content" / "staff_modules"
NOMAD_FILE = BASE_DIR / "content" / "nomad" / "nomad.yaml"


def init_app(app: Flask) -> None:
    """Plug the feature in: content, pages, home cards and panel, dashboard parts and personal data."""
    from pathlib import Path

    from flask_babel import lazy_gettext as _l

    from react_toolkit.adoption import (
        commands,  # noqa: F401 - commands adds to the group
        figures,
        learning,
        nomad,
        permissions,
        personal_data,
        services,
        views,
    )
    from react_toolkit.core import home
    from react_toolkit.dashboard import sections

    learning.init_app(app, Path(app.config.get("STAFF_MODULES_DIR") or STAFF_MODULES_DIR))
    nomad.init_app(app, Path(app.config.get("NOMAD_FILE") or NOMAD_FILE))
    app.register_blueprint(views.bp)
    app.jinja_env.globals.update(permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(protect_training=figures.protect_training, log_kinds=services.LOG_KINDS)
    home.register_panel(app, "adoption/_home_wave.html", services.wave_panel, 30)
    home.register_card(
        app,
        _l("Staff learning"),
        _l("Short modules for staff: introducing the toolkit, inviting, risk, supporting and moderating."),
        "adoption.list_staff_modules",
        permissions.can_learn,
        65,
    )
    home.register_card(
        app,
        _l("Staff adoption"),
        _l("Training, champions, targets and the NoMAD survey for your teams."),
        "adoption.overview",
        permissions.can_lead_adoption,
        75,
    )
    sections.register(app, "adoption", "adoption/_dashboard.html", figures.dashboard_figures, 80)
    sections.register_report_part(app, "adoption", "adoption/_team_report.html", figures.report_part, 10)
    personal_data.init_app(app)
