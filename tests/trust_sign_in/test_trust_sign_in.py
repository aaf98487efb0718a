"""Staff sign in with the trust's account through a real OpenID provider, and every check holds."""

from __future__ import annotations

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.trust_sign_in.models import TrustIdentity
from react_toolkit.usage.models import UsageEvent

NO_ACCOUNT = "There is no staff account here for your trust account"
FAILED = "We could not sign you in with your trust account"


def page(response) -> str:
    return response.get_data(as_text=True)


def signed_in_as(client, user) -> bool:
    home = client.get("/")
    return home.status_code == 200 and f"Hello, {user.display_name}" in page(home)


def test_the_sign_in_page_offers_the_trust_account(client):
    assert "Sign in with your trust account" in page(client.get("/sign-in"))


def test_a_staff_member_with_a_verified_email_signs_in_and_is_linked(
    client, create_user, through_provider, provider
):
    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    answer = through_provider(sub="entra-0001", email="Sam.Jones@trust.nhs.uk", email_verified=True)
    assert answer.status_code == 302 and answer.location.endswith("/")
    assert signed_in_as(client, clinician)
    identity = TrustIdentity.query.filter_by(user_id=clinician.id).one()
    assert (identity.issuer, identity.subject) == (provider.url, "entra-0001")
    assert provider.token_requests == 1


def test_after_linking_the_subject_decides_not_the_email(app, client, create_user, through_provider):
    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    # Sam's trust email changes: the same subject still reaches Sam's account.
    again = app.test_client()
    through_provider(again, sub="entra-0001", email="samantha.jones@trust.nhs.uk", email_verified=True)
    assert signed_in_as(again, clinician)
    # Someone new at the trust is given Sam's old address: they do not get Sam's account.
    newcomer = app.test_client()
    refused = through_provider(
        newcomer, sub="entra-0999", email="sam.jones@trust.nhs.uk", email_verified=True
    )
    assert refused.status_code == 403 and "linked to a different trust account" in page(refused)
    assert not signed_in_as(newcomer, clinician)


def test_an_unknown_email_makes_no_account(client, through_provider):
    answer = through_provider(sub="entra-0002", email="nobody@trust.nhs.uk", email_verified=True)
    assert answer.status_code == 403 and NO_ACCOUNT in page(answer)
    assert TrustIdentity.query.count() == 0
    assert client.get("/").status_code == 200 and "Hello," not in page(client.get("/"))


def test_an_unverified_email_is_not_matched(client, create_user, through_provider):
    create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    answer = through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=False)
    assert answer.status_code == 403 and "did not confirm your email address" in page(answer)
    assert TrustIdentity.query.count() == 0


def test_relatives_and_inactive_staff_cannot_sign_in_this_way(app, create_user, through_provider):
    create_user(R.RELATIVE, email="relative@example.org")
    leaver = create_user(R.SUPPORTER, email="leaver@trust.nhs.uk")
    leaver.active = False
    db.session.commit()
    for email in ("relative@example.org", "leaver@trust.nhs.uk"):
        answer = through_provider(app.test_client(), sub=f"sub-{email}", email=email, email_verified=True)
        assert answer.status_code == 403 and NO_ACCOUNT in page(answer), email


def test_a_forged_signature_is_refused(client, create_user, through_provider, provider):
    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    provider.tamper = "forged"
    answer = through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    assert answer.status_code == 400 and FAILED in page(answer)
    assert not signed_in_as(client, clinician)


def test_a_token_for_another_service_is_refused(client, create_user, through_provider, provider):
    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    provider.tamper = "wrong_audience"
    answer = through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    assert answer.status_code == 400 and not signed_in_as(client, clinician)


def test_a_token_from_another_issuer_is_refused(client, create_user, through_provider, provider):
    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    provider.tamper = "wrong_issuer"
    answer = through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    assert answer.status_code == 400 and not signed_in_as(client, clinician)


def test_an_expired_token_is_refused(client, create_user, through_provider, provider):
    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    provider.tamper = "expired"
    answer = through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    assert answer.status_code == 400 and not signed_in_as(client, clinician)


def test_a_replayed_nonce_is_refused(app, client, create_user, through_provider, provider):
    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    # A second browser's sign-in comes back with a token minted for the first one's nonce.
    provider.tamper = "old_nonce"
    other = app.test_client()
    answer = through_provider(other, sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    assert len(set(provider.nonces)) == 2  # each sign-in asked with a fresh nonce
    assert answer.status_code == 400 and not signed_in_as(other, clinician)


def test_a_changed_state_is_refused_before_the_code_is_spent(client, create_user, through_provider, provider):
    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    answer = through_provider(
        state="not-the-state-we-sent", sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True
    )
    assert answer.status_code == 400 and not signed_in_as(client, clinician)
    assert provider.token_requests == 0 and len(provider.codes) == 1  # the code was never spent


def test_a_code_works_once(client, create_user, through_provider, provider):
    create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    assert provider.codes == {}


def test_the_providers_second_factor_counts_only_when_it_says_so(app, create_user, through_provider):
    supporter = create_user(R.SUPPORTER, email="kim@trust.nhs.uk")  # supporters must use a second factor
    with_mfa = app.test_client()
    through_provider(
        with_mfa, sub="entra-kim", email="kim@trust.nhs.uk", email_verified=True, amr=["pwd", "mfa"]
    )
    assert signed_in_as(with_mfa, supporter)
    password_only = app.test_client()
    through_provider(
        password_only, sub="entra-kim", email="kim@trust.nhs.uk", email_verified=True, amr=["pwd"]
    )
    held = password_only.get("/")
    assert held.status_code == 302 and "/second-factor" in held.location


def test_events_name_the_way_and_never_the_email(app, create_user, through_provider):
    create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    through_provider(app.test_client(), sub="entra-0002", email="nobody@trust.nhs.uk", email_verified=True)
    rows = UsageEvent.query.filter(UsageEvent.name.like("auth.login.%")).all()
    assert {(row.name, row.object_id) for row in rows} >= {
        ("auth.login.succeeded", "trust_account"),
        ("auth.login.failed", "trust_no_account"),
    }
    for row in UsageEvent.query.all():
        assert "trust.nhs.uk" not in " ".join(str(value) for value in vars(row).values())


def test_without_a_provider_configured_the_pages_do_not_exist(make_app):
    plain = make_app()
    with plain.app_context():
        the_client = plain.test_client()
        assert the_client.get("/sign-in/trust").status_code == 404
        assert the_client.get("/sign-in/trust/callback?code=x&state=y").status_code == 404
        assert "trust account" not in the_client.get("/sign-in").get_data(as_text=True)


def test_the_link_is_in_the_staff_members_data_and_goes_with_the_account(app, create_user, through_provider):

    clinician = create_user(R.CLINICIAN, email="sam.jones@trust.nhs.uk")
    through_provider(sub="entra-0001", email="sam.jones@trust.nhs.uk", email_verified=True)
    holder = next(h for h in app.extensions["personal_data"] if h.feature == "trust_sign_in")
    exported = holder.sections[0].export(clinician)
    assert exported[0]["provider"].startswith("http://127.0.0.1:")
    holder.erase(clinician)
    assert TrustIdentity.query.count() == 0
