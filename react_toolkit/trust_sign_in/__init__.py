"""Staff sign-in with the trust's own account, through OpenID Connect (e.g. Microsoft Entra ID).

Off unless `OIDC_DISCOVERY_URL` is set. No account is ever made here: the person must already have
a staff account, matched on a verified email the first time and on the provider's subject after.
When the provider says it asked for a second factor itself (`amr`), that counts as ours.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Plug the feature in: its pages, the button on the sign-in page, its personal data."""
    from flask_babel import lazy_gettext as _l

    from react_toolkit.auth import sign_in_options
    from react_toolkit.trust_sign_in import personal_data, services, views

    app.register_blueprint(views.bp)
    services.init_app(app)
    if services.is_configured(app):
        sign_in_options.register(
            app,
            "trust_sign_in.start",
            lambda: _l("Sign in with %(provider)s", provider=app.config["OIDC_PROVIDER_NAME"]),
        )
    personal_data.init_app(app)
