"""Reset and welcome links: once one is used, or the password changes by any route, none of the others works."""

from __future__ import annotations

import json
import re

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.auth import services
from react_toolkit.auth.models import AccountToken
from react_toolkit.extensions import db
from tests.conftest import PASSWORD, post

LINK = re.compile(r"/password/reset/\S+")
NEW_PASSWORD = "a brand new passphrase"


def ask_for_link(client, email: str, outbox: list) -> str:
    post(client, "/password/forgot", {"email": email}, token_from="/password/forgot")
    return LINK.search(outbox[-1].body).group(0)


def set_password(client, link: str, password: str = NEW_PASSWORD):
    return post(client, link, {"password": password}, token_from=link)


def test_using_the_newest_of_three_reset_links_ends_the_two_older_ones(app, client, create_user, outbox):
    user = create_user(R.RELATIVE)
    links = [ask_for_link(client, user.email, outbox) for _ in range(3)]
    assert [client.get(link).status_code for link in links] == [200, 200, 200]

    assert set_password(client, links[-1]).status_code == 302

    for link in links[:2]:
        page = client.get(link)
        assert page.status_code == 410
        assert "This link no longer works" in page.get_data(as_text=True)
        assert post(client, link, {"password": "someone else's choice"}).status_code == 410
    assert post(client, "/sign-in", {"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_changing_the_password_on_the_account_page_ends_a_waiting_link(
    app, client, create_user, outbox, login
):
    user = create_user(R.RELATIVE)
    link = ask_for_link(app.test_client(), user.email, outbox)
    login(user)
    response = post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "password": NEW_PASSWORD},
        token_from="/account/password",
    )
    assert response.status_code == 302

    stranger = app.test_client()
    assert stranger.get(link).status_code == 410
    assert set_password(stranger, link, "the thief's password").status_code == 410
    assert post(stranger, "/sign-in", {"email": user.email, "password": NEW_PASSWORD}).status_code == 302


def test_a_reset_link_ends_a_new_member_of_staff_s_welcome_link(app, create_user, outbox):
    admin = create_user(R.ADMIN)
    staff = services.create_staff_account(
        admin, email="new.starter@example.org", full_name="New Starter", roles=[R.CLINICIAN],
        site_id=None, team_id=None,
    )  # fmt: skip
    welcome = LINK.search(outbox[-1].body).group(0)
    client = app.test_client()
    reset = ask_for_link(client, staff.email, outbox)
    assert set_password(client, reset).status_code == 302
    assert client.get(welcome).status_code == 410


def test_links_that_were_ended_stay_in_the_data_download(app, client, create_user, outbox, login):
    user = create_user(R.RELATIVE)
    links = [ask_for_link(client, user.email, outbox) for _ in range(2)]
    set_password(client, links[0])
    rows = db.session.scalars(select(AccountToken).where(AccountToken.user_id == user.id)).all()
    assert len(rows) == 2 and all(row.used_at is not None for row in rows)

    login(user, NEW_PASSWORD)
    download = json.loads(client.get("/account/data").get_data(as_text=True))
    assert len(download["account_links"]) == 2
    assert all(link["used_at"] for link in download["account_links"])
    assert "changed your password" in download["about"]["account_links"]


def test_reset_emails_stop_at_the_limit_the_same_way_with_or_without_an_account(
    app, client, create_user, outbox
):
    user = create_user(R.RELATIVE)
    for email in (user.email, "nobody.here@example.org"):
        before = len(outbox)
        pages = [
            post(client, "/password/forgot", {"email": email}, token_from="/password/forgot")
            for _ in range(5)
        ]
        assert {page.status_code for page in pages} == {200}
        assert all("Check your email" in page.get_data(as_text=True) for page in pages)
        sent = outbox[before:]
        assert len(sent) == (3 if email == user.email else 0)
    # Another person's reset still goes: the limit is per email address asked for.
    other = create_user(R.RELATIVE)
    ask_for_link(client, other.email, outbox)
    assert outbox[-1].to == other.email
