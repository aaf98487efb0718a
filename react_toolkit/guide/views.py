"""The help and about pages, putting "Start here" away, and the web app's manifest and service worker."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, jsonify, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from react_toolkit.core.access import only
from react_toolkit.guide import services
from react_toolkit.modules.permissions import has_personal_space

bp = Blueprint("guide", __name__)

# What the service worker keeps for reading offline: these stylesheets and scripts, and the module
# section pages a person opens (matched in the worker by their address). Nothing else, ever.
# Pages link each file at its versioned address (static_assets); a script may import one without.
OFFLINE_ASSETS = (
    "vendor/nhsuk-frontend/nhsuk-frontend.min.css",
    "vendor/nhsuk-frontend/nhsuk-frontend.min.js",
    "css/app.css",
    "css/print.css",
    "js/app.mjs",
    "js/guide.mjs",
)
SECTION_PATH = r"^/modules/[a-z0-9-]+/[0-9]+$"


@bp.get("/help")
def view_help():
    team = current_user.team if has_personal_space(current_user) else None
    return render_template("guide/help.html", contact=services.help_contact(), team=team)


@bp.get("/about")
def view_about():
    return render_template("guide/about.html", about=services.about_settings())


@bp.post("/start-here/dismiss")
@login_required
@only(has_personal_space)
def dismiss_start_here():
    services.dismiss_start_here(current_user)
    flash(
        _("We have put 'Start here' away. You can find the same help on the Help page at any time."),
        "success",
    )
    return redirect(url_for("core.home"))


@bp.get("/manifest.webmanifest")
def manifest():
    name = current_app.config["SERVICE_NAME"]
    colour = current_app.config["THEME_COLOUR"]
    response = jsonify(
        name=name,
        short_name=name,
        description=_("Support for families and friends of people with psychosis or bipolar disorder."),
        lang=current_app.config.get("BABEL_DEFAULT_LOCALE", "en"),
        start_url=url_for("core.home"),
        scope="/",
        display="standalone",
        background_color="#ffffff",
        theme_color=colour,
        icons=[
            {
                "src": url_for("static", filename=f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ]
        + [
            {
                "src": url_for("static", filename="icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            }
        ],
    )
    response.mimetype = "application/manifest+json"
    return response


def _offline_addresses() -> list[str]:
    """Each offline file at the address pages link it by (with its version) and without."""
    linked = [url_for("static", filename=name) for name in OFFLINE_ASSETS]
    return linked + [address.split("?", 1)[0] for address in linked]


@bp.get("/service-worker.js")
def service_worker():
    body = render_template(
        "guide/service-worker.js",
        assets=_offline_addresses(),
        section_path=SECTION_PATH,
        signed_out=url_for("auth.signed_out"),
    )
    response = make_response(body)
    response.mimetype = "text/javascript"
    # The browser checks for a new worker on each visit; served from the root, it may look after every page.
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response
