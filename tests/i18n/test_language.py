"""The language switch, remembered per person and per visitor; Welsh pages, dates and usage events."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.i18n.catalogues import compile_catalogues
from react_toolkit.i18n.formatting import format_date, format_datetime
from react_toolkit.timeutil import format_datetime as english_datetime
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

LANG = re.compile(r'<html lang="(\w+)"')


def choose(client, language: str, next_path: str = "/crisis"):
    return post(client, "/language", {"language": language, "next": next_path}, token_from=next_path)


def test_a_visitor_switches_to_welsh_and_the_cookie_keeps_it(client) -> None:
    page = client.get("/crisis").get_data(as_text=True)
    assert LANG.search(page).group(1) == "en"
    assert 'lang="cy">Cymraeg</button>' in page

    response = choose(client, "cy")
    assert response.status_code == 302 and response.headers["Location"] == "/crisis"

    page = client.get("/crisis").get_data(as_text=True)
    assert LANG.search(page).group(1) == "cy"
    assert "Angen help nawr?" in page
    assert (
        "Ffoniwch 116 123 i siarad â rhywun am unrhyw beth sy&#39;n eich poeni." in page
        or "Ffoniwch 116 123 i siarad â rhywun am unrhyw beth sy'n eich poeni." in page
    )
    assert 'lang="en">English</button>' in page

    choose(client, "en")
    assert "Need help now?" in client.get("/crisis").get_data(as_text=True)


def test_a_person_s_choice_is_kept_on_their_account(app: Flask, client, create_user, login) -> None:
    user = create_user(R.RELATIVE)
    login(user)
    choose(client, "cy", "/")
    db.session.expire_all()
    assert user.language == "cy"

    elsewhere = app.test_client()
    login(user, the_client=elsewhere)
    page = elsewhere.get("/").get_data(as_text=True)
    assert LANG.search(page).group(1) == "cy"
    assert "Allgofnodi" in page


def test_page_views_record_the_language(client) -> None:
    client.get("/crisis")
    choose(client, "cy")
    client.get("/crisis")
    languages = db.session.scalars(
        select(UsageEvent.language).where(UsageEvent.route == "/crisis").order_by(UsageEvent.id)
    ).all()
    assert languages[0] == "en" and languages[-1] == "cy"


@pytest.mark.parametrize(("language", "next_path"), [("fr", "/crisis"), ("", "/crisis")])
def test_only_known_languages_are_taken(client, language: str, next_path: str) -> None:
    assert choose(client, language, next_path).status_code == 400


def test_the_switch_never_sends_people_to_another_site(client) -> None:
    response = post(client, "/language", {"language": "cy", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_dates_in_english_are_unchanged_and_welsh_uses_welsh_words(app: Flask) -> None:
    moment = datetime(2026, 11, 21, 21, 5, tzinfo=UTC)
    with app.test_request_context():
        assert format_datetime(moment) == english_datetime(moment) == "21 November 2026 at 9:05pm"
        with force_locale("cy"):
            assert format_datetime(moment) == "21 Tachwedd 2026 am 9:05yh"
            assert format_date(moment) == "21 Tachwedd 2026"


def test_catalogues_are_compiled_only_when_their_source_is_newer(tmp_path: Path) -> None:
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('msgid "Home"\nmsgstr "Hafan"\n', encoding="utf-8")
    assert compile_catalogues(tmp_path) == [folder / "messages.mo"]
    assert compile_catalogues(tmp_path) == []


def test_the_content_status_page_says_the_welsh_awaits_review(client, create_user, login) -> None:
    login(create_user(R.ADMIN))
    page = client.get("/modules/content-status").get_data(as_text=True)
    assert "Welsh awaiting review" in page


def test_emails_are_written_in_the_recipient_s_language(client, create_user, outbox) -> None:
    welsh, english = create_user(R.RELATIVE), create_user(R.RELATIVE)
    welsh.language = "cy"
    db.session.commit()
    for person in (welsh, english):
        post(client, "/password/forgot", {"email": person.email}, token_from="/password/forgot")
    by_address = {mail.to: mail for mail in outbox}
    assert by_address[welsh.email].subject == "Ailosod eich cyfrinair REACT toolkit"
    assert by_address[welsh.email].body.startswith("Helo,")
    assert by_address[english.email].subject == "Reset your REACT toolkit password"
    assert by_address[english.email].body.startswith("Hello,")


def test_catalogues_compile_elsewhere_when_the_sources_are_read_only(tmp_path: Path) -> None:
    source, target = tmp_path / "source", tmp_path / "target"
    folder = source / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text('msgid "Home"\nmsgstr "Hafan"\n', encoding="utf-8")
    assert compile_catalogues(source, target) == [target / "cy" / "LC_MESSAGES" / "messages.mo"]
    assert not (folder / "messages.mo").exists()


def test_after_a_form_is_sent_the_switch_returns_to_the_form_s_page(client) -> None:
    page = post(
        client,
        "/sign-in",
        {"email": "", "password": ""},
        token_from="/sign-in",
        headers={"Referer": "http://localhost/sign-in?next=/modules"},
    ).get_data(as_text=True)
    assert '<input type="hidden" name="next" value="/sign-in?next=/modules">' in page
