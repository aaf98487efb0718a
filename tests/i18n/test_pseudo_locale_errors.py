"""The words of refusals and form errors, in the pseudo-locale: what a person reads only after sending a form.

`test_pseudo_locale.py` opens every page, but a page shows its errors, its refusals and most of its
"done" notes only after a POST (or a bad query). Here the main forms are sent with wrong or missing
answers, as each role that uses them, and every page that comes back (after its redirect, for the
notes that follow one) must have no unmarked words in its main content: not in the error summary,
not beside a field, not in a note at the top. Each message asked for must also have a Welsh
translation in the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from react_toolkit.auth import attempts, erasure
from react_toolkit.auth import roles as R
from react_toolkit.auth.forum_names import forum_name_problem
from react_toolkit.auth.passwords import password_problem
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.i18n import TRANSLATIONS
from react_toolkit.risk import services as risk_services
from react_toolkit.risk.models import RiskPhrase
from tests.conftest import PASSWORD
from tests.i18n.pseudo import CLOSE, OPEN, PseudoTranslations, use_pseudo_locale
from tests.i18n.test_pseudo_locale import CODE_VALUE, MainText, content_pattern, untranslated, user_content
from tests.security.routes import csrf_token, sign_in
from tests.security.world import SIGNED_OUT, World

HOLD_WORDS = "purple giraffe"
BLOCK_WORDS = "green walrus"
# Where a page says something went wrong, or what happened: the error summary, a field's error, a note.
SHOWN = ("nhsuk-error-summary", "nhsuk-error-message", "react-flash")
LONG = "Far too long, " * 150  # over 2,000 characters


class RecordingPseudo(PseudoTranslations):
    """The pseudo-locale, noting every message asked for, so the Welsh catalogue can be checked for each."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[str] = set()

    def gettext(self, message: str) -> str:
        self.asked.add(message)
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        self.asked.add(singular)
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"

    ugettext, ungettext = gettext, ngettext


@dataclass(frozen=True)
class Case:
    """One form sent (or page asked for) with bad input, by whom, and the status it should answer with."""

    who: tuple[str, str]
    path: str
    data: dict | None = None  # None: a GET
    status: int = 400  # 200: the page it leads to (after the redirect, for a POST) says what happened
    about: str = ""


def _cases(world: World) -> list[Case]:
    ids = world.ids["A"]
    relative, peer, locked = (R.RELATIVE, "A"), (R.RELATIVE, "peer"), (R.RELATIVE, "B")
    moderator, supporter, admin = (R.MODERATOR, "A"), (R.SUPPORTER, "A"), (R.ADMIN, "A")
    out = (SIGNED_OUT, "A")
    taken = world.user(R.RELATIVE, "peer").email
    post_id, conversation = ids["post_id"], ids["conversation_id"]
    resource = {
        "name": "Carers' centre A",
        "category": "carers",
        "description": "Support for carers.",
        "website": "https://carers-a.example.org",
    }
    return [
        # Signing in, registering and passwords.
        Case(
            out,
            "/sign-in",
            {"email": world.user(*relative).email, "password": "not it"},
            401,
            "wrong password",
        ),
        Case(
            out, "/sign-in", {"email": world.user(*locked).email, "password": PASSWORD}, 429, "too many tries"
        ),
        Case(out, "/sign-in", {"email": "not an address", "password": ""}, about="empty sign-in"),
        Case(
            out,
            "/register",
            {"code": "", "email": "not-an-email", "forum_name": "me@example.org", "password": "short"},
            about="register: every field wrong",
        ),
        Case(
            out,
            "/register",
            {
                "email": "someone.new@example.org",
                "forum_name": "Moderator",
                "password": "password1",
                "terms": "y",
            },
            about="register: common password, reserved name",
        ),
        Case(
            out,
            "/register",
            {
                "code": ids["code"],
                "email": taken,
                "forum_name": "New Person",
                "password": PASSWORD,
                "terms": "y",
            },
            about="register: email taken",
        ),
        Case(
            out,
            "/register",
            {
                "code": "",
                "email": "another@example.org",
                "forum_name": "New Person",
                "password": PASSWORD,
                "terms": "y",
            },
            about="register: no code",
        ),
        Case(
            out,
            "/register",
            {
                "code": "ZZZZ-ZZZZ",
                "email": "another@example.org",
                "forum_name": "New Person",
                "password": PASSWORD,
                "terms": "y",
            },
            about="register: unknown code",
        ),
        Case(out, "/password/forgot", {"email": "nope"}, about="forgot password"),
        Case(out, f"/password/reset/{ids['token']}", {"password": "short"}, about="reset: short password"),
        Case(
            relative, "/account/password", {"current_password": "not it", "password": "a new passphrase here"}
        ),
        Case(relative, "/account/password", {"current_password": PASSWORD, "password": "x" * 300}),
        Case(relative, "/account/delete", {"password": "not it"}, about="delete: wrong password"),
        Case(locked, "/account/password", {"current_password": "not it", "password": "a new one"}, 429),
        Case(locked, "/account/delete", {"password": PASSWORD}, 429, "delete: too many tries"),
        # The forum.
        Case(relative, f"/forum/{ids['forum.slug']}/new", {"title": "", "body": ""}),
        Case(relative, f"/forum/{ids['forum.slug']}/new", {"title": "x" * 151, "body": LONG * 6}),
        Case(
            relative,
            f"/forum/{ids['forum.slug']}/new",
            {"title": "Something", "body": f"I saw a {BLOCK_WORDS} today"},
            422,
            "blocked words",
        ),
        Case(
            relative,
            f"/forum/{ids['forum.slug']}/new",
            {"title": "Something else", "body": f"I saw a {HOLD_WORDS} today"},
            200,
            "held words",
        ),
        Case(relative, f"/forum/threads/{ids['thread_id']}/reply", {"body": ""}),
        Case(relative, f"/forum/threads/{ids['thread_id']}/reply", {"body": f"And a {BLOCK_WORDS}"}, 422),
        Case(relative, f"/forum/posts/{post_id}/edit", {"body": ""}),
        Case(relative, f"/forum/posts/{post_id}/edit", {"body": f"Now a {BLOCK_WORDS}"}, 422),
        Case(peer, f"/forum/posts/{post_id}/report", {"kind": "other", "note": ""}),
        Case(peer, f"/forum/posts/{post_id}/report", {"kind": "", "note": LONG}),
        Case(moderator, f"/moderation/to-read/{post_id}", {"action": "hide", "reason": ""}),
        Case(moderator, f"/moderation/posts/{post_id}/hide", {"reason": ""}),
        Case(moderator, f"/moderation/posts/{post_id}/escalate", {"reason": ""}),
        Case(moderator, f"/moderation/posts/{post_id}/contact", {"message": ""}),
        Case(moderator, f"/moderation/posts/{post_id}/restrict", {"kind": "", "hours": "", "reason": ""}),
        Case(
            moderator,
            f"/moderation/posts/{post_id}/restrict",
            {"kind": "silence", "hours": "0", "reason": "r"},
        ),
        Case(
            moderator,
            f"/moderation/posts/{post_id}/restrict",
            {"kind": "silence", "hours": "two", "reason": "r"},
        ),
        Case(
            moderator,
            f"/moderation/posts/{post_id}/restore",
            {"reason": ""},
            200,
            "restore a post not hidden",
        ),
        Case(moderator, "/risk/lexicon/new", {"phrase": "", "category": "", "action": "", "message": LONG}),
        Case(moderator, "/risk/lexicon/new", {"phrase": "x" * 201, "category": "allow", "action": "allow"}),
        Case(
            moderator,
            "/risk/lexicon/new",
            {"phrase": "orange heron", "category": "self_harm", "action": "block"},
        ),
        Case(
            moderator,
            "/risk/lexicon/new",
            {"phrase": "zebra crossing", "category": "allow", "action": "allow"},
        ),
        # Messages and the team inbox.
        Case(relative, "/messages/new", {"subject": "", "body": ""}),
        Case(relative, "/messages/new", {"subject": "x" * 201, "body": LONG * 6}),
        Case(relative, f"/messages/{conversation}/reply", {"body": ""}),
        Case(supporter, f"/inbox/{conversation}/reply", {"body": "", "seen_up_to": "0"}),
        Case(
            supporter,
            f"/inbox/{conversation}/reply",
            {"body": "Hello", "seen_up_to": "0"},
            409,
            "stale reply",
        ),
        Case(supporter, f"/inbox/{conversation}/note", {"note": ""}),
        Case(supporter, f"/inbox/{conversation}/assign", {"value": "999999"}, 200, "assign: not in the team"),
        Case(supporter, f"/inbox/{conversation}/assign", {"value": "me"}, 200, "assign: to me"),
        Case(supporter, f"/inbox/{conversation}/assign", {"value": ""}, 200, "assign: to nobody"),
        Case(supporter, f"/inbox/{conversation}/priority", {"value": "urgent"}, 200, "priority: urgent"),
        Case(supporter, f"/inbox/{conversation}/priority", {"value": "normal"}, 200, "priority: normal"),
        Case(supporter, "/inbox/saved-replies/new", {"title": "", "body": ""}),
        Case(supporter, "/inbox/saved-replies/new", {"title": "x" * 121, "body": "A reply"}),
        Case(admin, f"/inbox/{conversation}/reason", {"reason": "Because"}, about="reason too short"),
        # Modules, the toolbox and the check-in.
        Case(relative, "/toolbox/notes", {"title": "", "text": ""}),
        Case(relative, f"/toolbox/{ids['modules.item_id']}/edit", {"title": "x" * 201, "text": "Kept"}),
        Case(
            relative, f"/modules/{ids['modules.slug']}/{ids['number']}/exercises/{ids['key']}", {"answer": ""}
        ),
        Case(relative, "/check-in", {}),
        # Local resources.
        Case(
            supporter, "/resources/new", {"name": "", "category": "", "description": "", "website": "ftp://x"}
        ),
        Case(supporter, "/resources/new", {**resource, "website": "", "email": "nope", "phone": "1" * 61}),
        Case(
            supporter, "/resources/new", {**resource, "name": "x" * 201, "website": "", "description": LONG}
        ),
        Case(supporter, f"/resources/{ids['resource_id']}/edit", resource, 200, "edit: saved"),
        Case(supporter, f"/resources/{ids['resource_id']}/edit", resource, 200, "edit: nothing changed"),
        # Staff, invitations, trusts and teams.
        Case(
            (R.CLINICIAN, "A"),
            "/invitations/new",
            {"method": "email", "email": "", "team_id": ids["team_id"]},
        ),
        Case(
            admin,
            "/staff/new",
            {
                "full_name": "New Person",
                "email": "new.person@example.org",
                "roles": R.CLINICIAN,
                "site_id": world.sites["A"].id,
                "team_id": world.teams["B1"].id,
            },
            about="staff: team at another trust",
        ),
        Case(
            admin,
            "/staff/new",
            {"full_name": "x" * 201, "email": "nope", "roles": R.CLINICIAN, "site_id": world.sites["A"].id},
        ),
        Case(
            admin,
            "/staff/new",
            {
                "full_name": "Someone",
                "email": taken,
                "roles": R.CLINICIAN,
                "site_id": world.sites["A"].id,
                "team_id": "0",
            },
        ),
        Case(admin, f"/admin/relatives/{ids['user_id']}/erase", {"reason": ""}),
        Case(admin, f"/admin/relatives/{ids['user_id']}/erase", {"reason": LONG}),
        Case(admin, "/organisations/sites/new", {"name": "", "code": "Not A Code"}),
        Case(admin, "/organisations/sites/new", {"name": "x" * 201, "code": "x" * 41}),
        Case(admin, "/organisations/sites/new", {"name": world.sites["A"].name, "code": "a-new-code"}),
        Case(
            admin,
            f"/organisations/sites/{world.sites['A'].id}/teams/new",
            {
                "name": "x" * 201,
                "caseload": "ten",
                "crisis_phone": "call us",
                "crisis_phone_label": "x" * 201,
                "opens_0": "9am",
                "closes_0": "",
                "opens_1": "",
                "closes_1": "five",
                "opens_2": "17:00",
                "closes_2": "09:00",
            },
        ),
        Case(admin, f"/organisations/sites/{world.sites['A'].id}/teams/new", {"name": "", "caseload": "-1"}),
        Case(
            admin,
            f"/organisations/teams/{ids['team_id']}/edit",
            {"name": world.teams["A2"].name, "crisis_phone": "1" * 41},
        ),
        Case(admin, "/organisations/bank-holidays", {"day": "tomorrow", "name": ""}),
        Case(admin, "/organisations/bank-holidays", {"day": "2031-12-25", "name": "x" * 101}),
        Case(admin, "/organisations/bank-holidays", {"day": "2031-12-25", "name": "Christmas Day"}),
        # Research exports and the dashboard.
        Case(
            (R.RESEARCHER, "A"),
            "/research/exports",
            {"kind": "progress", "format": "xapi", "since": "31/02/2026"},
        ),
        Case((R.RESEARCHER, "A"), "/research/exports", {"kind": "", "format": "", "until": "2026-02-30"}),
        Case(
            (R.RESEARCHER, "A"),
            "/research/exports",
            {"kind": "usage", "format": "csv", "since": "2026-03-01", "until": "2026-02-01"},
        ),
        Case(admin, "/dashboard?from=soon&to=2026-01", None, 200, "dashboard: a month that is not one"),
        Case(admin, "/dashboard?from=2026-01&to=later", None, 200, "dashboard: a last month that is not one"),
        Case(admin, "/dashboard?from=2026-05&to=2026-01", None, 200, "dashboard: months the wrong way round"),
        Case(admin, f"/dashboard/teams/{ids['team_id']}/report?month=soon", None),
        Case(admin, f"/dashboard/teams/{ids['team_id']}/report?month=2099-01", None),
        Case(admin, "/dashboard/refresh", {}, 200, "dashboard: refreshed"),
    ]


def _prepare(world: World) -> None:
    """Words that hold a post or refuse it (with the general refusal), and one relative locked out."""
    moderator = world.user(R.MODERATOR)
    risk_services.save_phrase(
        moderator, None, phrase=HOLD_WORDS, category="self_harm", action="hold", message=""
    )
    blocked = risk_services.save_phrase(
        moderator, None, phrase=BLOCK_WORDS, category="self_harm", action="block", message="placeholder"
    )
    blocked.message = ""  # as shipped phrases are: the writer sees the general refusal
    db.session.commit()
    assert db.session.get(RiskPhrase, blocked.id).message == ""


def _lock(world: World) -> None:
    email = world.user(R.RELATIVE, "B").email
    for _ in range(10):
        attempts.record_failure(email)
    db.session.commit()


def _submitted(data: dict | None) -> list[str]:
    """What the person typed, which a page may show again in its fields."""
    values = [str(value).strip() for value in (data or {}).values()]
    return [value for value in values if len(value) >= 2 and not CODE_VALUE.match(value)]


def _shows_something(html: str) -> bool:
    return any(marker in html for marker in SHOWN)


def test_every_error_and_note_after_a_form_is_translated(app: Flask, world: World) -> None:
    recorder = use_pseudo_locale(app, RecordingPseudo())
    _prepare(world)
    cases = _cases(world)
    clients: dict[tuple[str, str], FlaskClient] = {}
    tokens: dict[tuple[str, str], str] = {}
    for who in dict.fromkeys(case.who for case in cases):
        client = app.test_client() if who[0] == SIGNED_OUT else sign_in(app, world.user(*who))
        clients[who], tokens[who] = client, csrf_token(client)
    _lock(world)

    pages, typed, problems = [], [], []
    for case in cases:
        client = clients[case.who]
        if case.data is None:
            response = client.get(case.path)
        else:
            data = {"csrf_token": tokens[case.who], **case.data}
            response = client.post(case.path, data=data, follow_redirects=case.status == 200)
        html = response.get_data(as_text=True)
        name = f"{case.who[0]} {case.path} {case.about or sorted(case.data or {})}"
        if response.status_code != case.status:
            problems.append(f"{name}: answered {response.status_code}, not {case.status}")
        elif not _shows_something(html):
            problems.append(f"{name}: the page shows no error or note")
        pages.append((name, html))
        typed += _submitted(case.data)
    assert not problems, "\n".join(problems)

    content = content_pattern(sorted(set(user_content(app)) | set(typed), key=len, reverse=True))
    for name, html in pages:
        parser = MainText()
        parser.feed(html)
        left = [untranslated(" ".join(parser.text), content)]
        left += [f"[{value}]" for value in parser.attributes if untranslated(value, content)]
        if any(left):
            problems.append(f"{name}: {' | '.join(item for item in left if item)}")
    assert not problems, f"{len(problems)} pages have untranslated words:\n" + "\n".join(problems)

    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        welsh = read_po(po_file, locale="cy")
    missing = []
    for message in sorted(recorder.asked):
        entry = welsh.get(message)
        strings = entry.string if entry is not None else ""
        if not (all(strings) if isinstance(strings, tuple) else strings):
            missing.append(message)
    assert not missing, f"{len(missing)} messages have no Welsh:\n" + "\n".join(missing)


class _HeaderButtons(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.inside = tag == "button" and "nhsuk-header__account-button" in (dict(attrs).get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        self.inside = False if tag == "button" else self.inside

    def handle_data(self, data: str) -> None:
        if self.inside and data.strip():
            self.text.append(data.strip())


def test_the_header_s_sign_out_button_is_translated(app: Flask, world: World) -> None:
    use_pseudo_locale(app)
    client = sign_in(app, world.user(R.RELATIVE))
    parser = _HeaderButtons()
    parser.feed(client.get("/").get_data(as_text=True))
    assert parser.text == [f"{OPEN}Sign out{CLOSE}"]


def test_refusals_no_form_reaches_are_translated_too(app: Flask, world: World) -> None:
    """Rules the forms check first (or that no page offers) still refuse in the person's language."""
    use_pseudo_locale(app)
    relative, admin = world.user(R.RELATIVE), world.user(R.ADMIN)
    refusals = {
        "staff": lambda: erasure.erase_account(world.user(R.CLINICIAN)),
        "stranger": lambda: erasure.erase_account(relative, by=world.user(R.RELATIVE, "peer")),
        "no reason": lambda: erasure.erase_relative(admin, relative, "   "),
        "long reason": lambda: erasure.erase_relative(admin, relative, LONG),
    }
    problems = {
        "forum name": [
            forum_name_problem(name) for name in ("ab", "x" * 31, "07700 900123", "Hello!", "Sh1tHead")
        ],
        "password": [
            password_problem("short"),
            password_problem("y" * 257),
            password_problem("me@example.org", email="me@example.org"),
        ],
    }
    with app.test_request_context("/"):
        for name, refuse in refusals.items():
            with pytest.raises(Refusal) as refused:
                refuse()
            assert refused.value.message.startswith(OPEN), f"{name}: {refused.value.message}"
        for name, messages in problems.items():
            for message in messages:
                assert message and message.startswith(OPEN) and message.endswith(CLOSE), f"{name}: {message}"
