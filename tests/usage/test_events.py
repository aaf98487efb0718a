"""Usage events: one row per HTML page view, domain events on the action's commit, never any text."""

import pytest
from sqlalchemy import func, select

from react_toolkit.auth import services
from react_toolkit.extensions import db
from react_toolkit.usage.models import UsageEvent
from react_toolkit.usage.recorder import device_class
from tests.conftest import PASSWORD, post

IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
IPAD = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
ANDROID_TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"
ANDROID_PHONE = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120.0 Mobile Safari/537.36"
)
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def page_views():
    db.session.expire_all()
    return db.session.scalars(
        select(UsageEvent).where(UsageEvent.name == "usage.page.viewed").order_by(UsageEvent.id)
    ).all()


def all_text_in(event: UsageEvent) -> str:
    return " ".join(str(getattr(event, column.key)) for column in UsageEvent.__table__.columns)


def test_anonymous_page_view_is_one_row(client):
    client.get("/crisis?utm_source=leaflet&email=someone@example.org", headers={"User-Agent": IPHONE})
    [event] = page_views()
    assert event.route == "/crisis"
    assert event.user_id is None and event.roles == "" and event.session_hash is None
    assert event.status == 200 and event.device == "mobile" and event.schema_version == 1
    assert event.occurred_at.tzinfo is not None
    text = all_text_in(event)
    assert "utm_source" not in text and "someone@example.org" not in text and "?" not in text


def test_signed_in_page_view_names_roles_site_team_and_object(client, create_user, login):
    clinician = create_user(roles=["clinician", "supporter"])
    invitation = services.create_invitation(clinician, clinician.team, "email", "family@example.org")
    login(clinician)
    before = len(page_views())
    client.get(f"/invitations/{invitation.id}", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    event = page_views()[before]
    assert event.route == "/invitations/<int:invitation_id>"
    assert (event.object_type, event.object_id) == ("invitation", str(invitation.id))
    assert event.user_id == clinician.id
    assert event.roles == "clinician,supporter"
    assert (event.site_id, event.team_id) == (clinician.site_id, clinician.team_id)
    assert event.session_hash and len(event.session_hash) == 32
    text = all_text_in(event)
    for forbidden in (
        "203.0.113.9",
        "family@example.org",
        clinician.email,
        clinician.full_name,
        invitation.code,
    ):
        assert forbidden not in text


def test_same_session_same_hash_new_session_new_hash(app, client, create_user, login):
    user = create_user("relative")
    login(user)
    client.get("/")
    client.get("/crisis")
    post(client, "/sign-out")
    other = app.test_client()
    login(user, the_client=other)
    other.get("/")
    hashes = [event.session_hash for event in page_views() if event.user_id == user.id]
    assert hashes[-3] == hashes[-2] != hashes[-1]


def test_error_pages_are_page_views_with_their_status(client):
    client.get("/no-such-page")
    [event] = page_views()
    assert event.status == 404 and event.route is None


def test_redirects_json_and_static_files_are_not_page_views(client):
    client.get("/account")  # redirect to sign in
    client.get("/healthz")
    client.get("/static/css/app.css")
    assert page_views() == []


def test_form_posts_record_domain_events_without_text(client, create_user):
    user = create_user("relative")
    post(client, "/sign-in", {"email": user.email, "password": "typed secret words"}, token_from="/sign-in")
    post(client, "/sign-in", {"email": user.email, "password": PASSWORD}, token_from="/sign-in")
    names = db.session.scalars(select(UsageEvent.name).order_by(UsageEvent.id)).all()
    assert "auth.login.failed" in names and "auth.login.succeeded" in names
    for event in db.session.scalars(select(UsageEvent)):
        text = all_text_in(event)
        assert "typed secret words" not in text and user.email not in text and user.forum_name not in text


def test_logout_is_an_event(client, create_user, login):
    user = create_user("relative")
    login(user)
    post(client, "/sign-out")
    event = db.session.scalar(select(UsageEvent).where(UsageEvent.name == "auth.session.ended"))
    assert event.user_id == user.id


def test_recording_failure_never_fails_the_page(app, client, monkeypatch):
    from react_toolkit.usage import recorder

    def broken(*args, **kwargs):
        raise RuntimeError("event store unavailable")

    monkeypatch.setattr(recorder, "event_row", broken)
    response = client.get("/crisis")
    assert response.status_code == 200
    assert "Need help now?" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(UsageEvent.id))) == 0


def test_recording_can_be_switched_off(make_app):
    app = make_app(USAGE_RECORDING=False)
    app.test_client().get("/crisis")
    with app.app_context():
        assert db.session.scalar(select(func.count(UsageEvent.id))) == 0


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (IPHONE, "mobile"),
        (ANDROID_PHONE, "mobile"),
        (IPAD, "tablet"),
        (ANDROID_TABLET, "tablet"),
        (DESKTOP, "desktop"),
        ("", "desktop"),
        (None, "desktop"),
    ],
)
def test_device_class(agent, expected):
    assert device_class(agent) == expected


def test_events_carry_the_signed_in_persons_session_and_sign_in_has_none_yet(client, create_user, login):
    user = create_user("relative")
    login(user)
    client.get("/")
    post(client, "/sign-out")
    db.session.expire_all()
    events = {
        event.name: event.session_hash
        for event in db.session.scalars(select(UsageEvent).where(UsageEvent.user_id == user.id))
    }
    assert events["usage.page.viewed"] and events["auth.session.ended"] == events["usage.page.viewed"]
    assert events["auth.login.succeeded"] is None
