"""The REACT toolkit: support for relatives of people with psychosis or bipolar disorder."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from react_toolkit.config import BASE_DIR, check_production, from_environment


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app from the environment (or the given settings)."""
    app = Flask(
        __name__,
        static_folder=str(BASE_DIR / "static"),
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(BASE_DIR / "instance"),
    )
    app.config.update(from_environment() if config is None else config)
    check_production(app.config)
    app.jinja_options = {
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader(
            [FileSystemLoader(str(BASE_DIR / "templates")), PackageLoader("nhsuk_frontend_jinja")]
        ),
        "autoescape": True,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    configure_logging(app)
    register_extensions(app)
    register_blueprints(app)

    from react_toolkit import i18n, usage

    i18n.init_app(app)
    usage.init_app(app)

    from react_toolkit import cli, errors

    cli.init_app(app)
    errors.init_app(app)
    return app


def configure_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # Werkzeug's access log would write full URLs and addresses; we keep neither.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask) -> None:
    from react_toolkit import mail, security
    from react_toolkit.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app)
    security.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _sqlite_pragmas(app)


def _sqlite_pragmas(app: Flask) -> None:
    from sqlalchemy import event

    from react_toolkit.extensions import db

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(connection, _record) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def register_blueprints(app: Flask) -> None:
    from react_toolkit.auth import views as auth_views
    from react_toolkit.core import navigation
    from react_toolkit.core import views as core_views
    from react_toolkit.dashboard import permissions as dashboard_permissions
    from react_toolkit.dashboard import views as dashboard_views
    from react_toolkit.forum import permissions as forum_permissions
    from react_toolkit.forum import views as forum_views
    from react_toolkit.inbox import permissions as inbox_permissions
    from react_toolkit.inbox import views as inbox_views
    from react_toolkit.modules import permissions as module_permissions
    from react_toolkit.modules import views as module_views
    from react_toolkit.organisations import views as organisation_views
    from react_toolkit.outcomes import permissions as outcome_permissions
    from react_toolkit.outcomes import views as outcome_views
    from react_toolkit.research import permissions as research_permissions
    from react_toolkit.research import views as research_views
    from react_toolkit.resources import permissions as resource_permissions
    from react_toolkit.resources import views as resource_views
    from react_toolkit.risk import permissions as risk_permissions
    from react_toolkit.risk import views as risk_views
    from react_toolkit.timeutil import format_date, format_datetime

    app.register_blueprint(core_views.bp)
    app.register_blueprint(risk_views.bp)
    app.register_blueprint(auth_views.bp)
    app.register_blueprint(organisation_views.bp)
    app.register_blueprint(module_views.bp)
    app.register_blueprint(resource_views.bp)
    app.register_blueprint(inbox_views.bp)
    app.register_blueprint(forum_views.bp)
    app.register_blueprint(outcome_views.bp)
    app.register_blueprint(research_views.bp)
    app.register_blueprint(dashboard_views.bp)
    auth_views.init_app(app)
    app.jinja_env.globals.update(module_permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(resource_permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(risk_permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(inbox_permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(forum_permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(outcome_permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(research_permissions.JINJA_GLOBALS)
    app.jinja_env.globals.update(dashboard_permissions.JINJA_GLOBALS)

    from flask_babel import lazy_gettext as _l

    from react_toolkit.auth.permissions import can_invite, can_manage_staff

    signed_in = module_permissions.can_read_modules
    navigation.register(_l("Home"), "core.home", lambda user: True, 0, section="core.home")
    navigation.register(_l("Modules"), "modules.list_modules", signed_in, 10, section="modules.")
    navigation.register(_l("Resources"), "resources.list_resources", signed_in, 30, section="resources.")
    navigation.register(
        _l("My toolbox"), "modules.view_toolbox", module_permissions.has_personal_space, 40, section="toolbox"
    )
    navigation.register(
        _l("Invitations"),
        "auth.list_invitations",
        lambda user: can_invite(user) or can_manage_staff(user),
        50,
        section="invitation",
    )
    navigation.register(
        _l("Messages"), "inbox.list_messages", inbox_permissions.can_write_to_supporter, 20, section="message"
    )
    navigation.register(
        _l("Forum"),
        "forum.list_categories",
        forum_permissions.can_use_forum,
        15,
        section=("categor", "thread", "forum.edit_post", "forum.report_post"),
    )
    navigation.register(
        _l("Moderation"), "forum.moderation_queue", forum_permissions.can_moderate, 22, section="moderat"
    )
    navigation.register(
        _l("Team inbox"), "inbox.team_inbox", inbox_permissions.is_supporter, 21, section="inbox."
    )
    navigation.register(
        _l("Inbox figures"),
        "inbox.inbox_figures",
        inbox_permissions.can_see_inbox_figures,
        65,
        section="figures",
    )
    navigation.register(
        _l("Risk list"), "risk.list_phrases", risk_permissions.can_edit_lexicon, 80, section="phrase"
    )
    navigation.register(
        _l("Dashboard"), "dashboard.show", dashboard_permissions.can_see_dashboard, 55, section="dashboard."
    )
    navigation.register(
        _l("Check-in"), "outcomes.check_in", outcome_permissions.can_check_in, 45, section="outcomes."
    )
    navigation.register(
        _l("Research exports"),
        "research.list_exports",
        research_permissions.can_export_research,
        75,
        section="research.",
    )
    navigation.register(
        _l("Teams"), "organisations.list_sites", can_manage_staff, 60, section="organisations."
    )
    navigation.register(_l("Staff"), "auth.list_staff", can_manage_staff, 70, section="staff")
    app.jinja_env.globals.update(
        navigation_items=navigation.navigation_items,
        sign_out_form=navigation.sign_out_form,
        rendered_macro=navigation.rendered_macro,
    )
    from react_toolkit.text import render_markdown

    app.jinja_env.filters.update(datetime=format_datetime, date=format_date, markdown=render_markdown)
