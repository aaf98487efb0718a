"""The XSS corpus in the fields the outside test did not reach, read back from the HTML of every page that shows them.

Trust and team names, the messages of the risk list's refusing phrases, exercise answers and the
wellbeing check-in's answers are stored with every payload of xss_payloads.txt between two markers
("zq7a ... zq7b"), and the pages that show them are parsed as HTML. On each page:

- no element has an on... attribute or a javascript:, vbscript: or data: address, no frame, object,
  embed, base or refresh exists, and every script and style carries the page's nonce;
- between a payload's two markers there is no element, and an attribute holding the first marker
  holds the second (nothing broke out of it);
- the payload is on the page as text, as typed, and a payload with a character that HTML must
  escape never appears unescaped in the page's source.

These run through the test client, on SQLite only: escaping happens when a page is rendered and does
not depend on the database (storing odd text on PostgreSQL is what test_fuzz_forms.py tries there).
test_xss_browser.py runs the same corpus through Chromium for the fields people write for each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.extensions import db
from react_toolkit.forum import services as forum_services
from react_toolkit.forum.models import ForumCategory
from react_toolkit.inbox import services as inbox_services
from react_toolkit.modules import services as module_services
from react_toolkit.modules.models import Exercise, Module, Section
from react_toolkit.organisations import services as organisation_services
from react_toolkit.outcomes.items import ITEMS
from react_toolkit.risk import services as risk_services
from tests.security.payloads import PAYLOADS, SAMPLE, marked, squash
from tests.security.routes import csrf_token, sign_in

NUMBERS = list(range(len(PAYLOADS)))
# The payloads that get pages of their own: those that try to leave an element or attribute, and the
# ones the outside test named.
NAMED = ('"><img src=x onerror=alert(1)>', "<script>alert(1)</script>", "javascript:alert(1)")
ONE_EACH = sorted({*SAMPLE, *(PAYLOADS.index(payload) for payload in NAMED)})
BAD_ADDRESS = re.compile(r"^(javascript|vbscript|data):")
ADDRESSES = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"}
NEVER = {"iframe", "frame", "object", "embed", "base", "math"}
MUST_ESCAPE = set("<>&\"'")


@dataclass
class Parsed(HTMLParser):
    """The page as tags and text, the way a browser's tokeniser would see it."""

    tokens: list[tuple[str, str, list[tuple[str, str]]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tokens.append(("start", tag, [(name, value or "") for name, value in attrs]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self.tokens.append(("end", tag, []))

    def handle_data(self, data: str) -> None:
        if self.tokens and self.tokens[-1][0] == "text":
            self.tokens[-1] = ("text", self.tokens[-1][1] + data, [])
        else:
            self.tokens.append(("text", data, []))


def page_problems(html: str, numbers: list[int], shown: list[str] = ()) -> list[str]:
    """What is wrong with one page, for each payload number expected on it (see the module's docstring)."""
    parsed = Parsed()
    parsed.feed(html)
    parsed.close()
    tokens, problems = parsed.tokens, []
    for kind, tag, attrs in tokens:
        if kind != "start":
            continue
        if tag in NEVER or (tag == "meta" and any(name == "http-equiv" for name, _ in attrs)):
            problems.append(f"a <{tag}> element")
        names = dict(attrs)
        if (
            tag in ("script", "style")
            and not names.get("nonce")
            and not names.get("src", "").startswith("/static/")
        ):
            problems.append(f"a <{tag}> without the page's nonce")
        for name, value in attrs:
            plain = re.sub(r"[\x00-\x20]+", "", value).lower()
            if name.startswith("on"):
                problems.append(f"<{tag} {name}>")
            if name in ADDRESSES and BAD_ADDRESS.match(plain):
                problems.append(f"<{tag} {name}={value}>")
            for number in numbers:
                if f"zq{number}a" in value and f"zq{number}b" not in value:
                    problems.append(f"zq{number}a: left the {name} attribute of <{tag}>")
    for number in numbers:
        start, end = f"zq{number}a", f"zq{number}b"
        for index, (kind, text, _attrs) in enumerate(tokens):
            if kind == "text" and start in text and end not in text.split(start, 1)[1]:
                made = _elements_before(tokens, index, end)
                if made:
                    problems.append(f"{start}: {', '.join(made)} made from the text")
        if not any(start in text for _kind, text, _attrs in tokens) and not any(
            start in value for kind, _tag, attrs in tokens if kind == "start" for _name, value in attrs
        ):
            problems.append(f"{start}: not on the page")
    words = squash(" ".join(text for kind, text, _attrs in tokens if kind == "text"))
    values = [squash(value) for kind, _tag, attrs in tokens if kind == "start" for _name, value in attrs]
    for typed in shown:
        if squash(typed) not in words and squash(typed) not in values:
            problems.append(f"{typed.split()[0]}: not shown as typed")
        if MUST_ESCAPE & set(typed) and typed in html:
            problems.append(f"{typed.split()[0]}: unescaped in the page's source")
    return problems


def _elements_before(tokens: list, index: int, end: str) -> list[str]:
    """The elements between a start marker's text and its end marker, within the element the text is in.

    A name cut short to fit (a chart's label) has no end marker: the search stops where its element does.
    """
    made, depth = [], 0
    for kind, value, _attrs in tokens[index + 1 :]:
        if kind == "text":
            if end in value:
                return made
            continue
        made.append(f"<{'/' if kind == 'end' else ''}{value}>")
        depth += 1 if kind == "start" else -1
        if depth < 0:
            return []
    return []


def check(client: FlaskClient, path: str, numbers: list[int], shown: list[str] = ()) -> list[str]:
    response = client.get(path)
    if response.status_code != 200:
        return [f"{path}: {response.status_code}"]
    return [
        f"{path}: {problem}" for problem in page_problems(response.get_data(as_text=True), numbers, shown)
    ]


def test_the_page_check_finds_markup_made_from_text():
    page = (
        '<html><head><script nonce="n">let x = 1;</script><script>bad()</script></head><body>'
        "<p>zq0a <img src=x onerror='alert(1)'> zq0b</p>"
        '<p><a href=" java\tscript:alert(1)">x</a></p>'
        '<input value="zq1a "><b>zq1b</b>'
        "<p>zq2a &lt;script&gt;alert(1)&lt;/script&gt; zq2b</p><iframe></iframe></body></html>"
    )
    problems = page_problems(page, [0, 1, 2, 3], shown=["zq2a <script>alert(1)</script> zq2b"])
    for expected in (
        "a <script> without the page's nonce",
        "<img onerror>",
        "zq0a: <img> made from the text",
        "<a href= java\tscript:alert(1)>",
        "zq1a: left the value attribute of <input>",
        "a <iframe> element",
        "zq3a: not on the page",
    ):
        assert expected in problems, (expected, problems)
    assert not [problem for problem in problems if problem.startswith("zq2a")]  # escaped, and shown as typed


@pytest.fixture
def trusts(app, create_team, create_user) -> dict:
    """One trust and one team named by each payload; people at the trusts that get pages of their own."""
    names: dict[str, dict[int, str]] = {"sites": {}, "teams": {}}
    people: dict[int, dict] = {}
    for number, payload in enumerate(PAYLOADS):
        names["sites"][number] = marked(number, payload, 200)
        site = organisation_services.create_site(names["sites"][number], f"xss-{number}")
        team = create_team(site)
        team.name = names["teams"][number] = marked(number, payload, 200)
        team.crisis_phone_label = ""  # so the crisis line is called by the team's name
        db.session.commit()
        if number in ONE_EACH:
            relative, clinician = create_user(R.RELATIVE, team=team), create_user(R.CLINICIAN, team=team)
            supporter, lead = create_user(R.SUPPORTER, team=team), create_user(R.SITE_LEAD, team=team)
            invitation = auth_services.create_invitation(clinician, team, "code")
            conversation, _sent = inbox_services.start_conversation(relative, "Hello", "A first message.")
            people[number] = {
                "team": team, "site": site, "relative": relative, "clinician": clinician,
                "supporter": supporter, "lead": lead, "invitation": invitation, "conversation": conversation,
            }  # fmt: skip
    return {"names": names, "people": people, "admin": create_user(R.ADMIN)}


@pytest.mark.slow
@pytest.mark.usefixtures("sqlite_only")
def test_trust_and_team_names_are_escaped_on_every_page_that_shows_them(app, trusts):
    sites, teams = trusts["names"]["sites"], trusts["names"]["teams"]
    every_site, every_team = list(sites.values()), list(teams.values())
    admin = sign_in(app, trusts["admin"])
    problems = check(admin, "/organisations/", NUMBERS, every_site + every_team)
    problems += check(admin, "/staff/new", NUMBERS, every_site + every_team)
    problems += check(admin, "/resources/new", NUMBERS, every_site)
    problems += check(admin, "/dashboard", NUMBERS, every_site)
    problems += check(admin, "/staff", ONE_EACH, [teams[n] for n in ONE_EACH])
    for number, own in trusts["people"].items():
        site, team = [sites[number]], [teams[number]]
        relative, clinician = sign_in(app, own["relative"]), sign_in(app, own["clinician"])
        supporter, lead = sign_in(app, own["supporter"]), sign_in(app, own["lead"])
        conversation, team_id = own["conversation"].id, own["team"].id
        problems += check(relative, "/", [number], team)
        problems += check(relative, "/account", [number], site + team)
        problems += check(relative, "/accessibility", [number], site + team)
        problems += check(relative, "/resources/", [number], site)
        problems += check(relative, "/messages/new", [number], team)
        problems += check(relative, f"/messages/{conversation}", [number], team)
        problems += check(relative, "/crisis", [number], team)
        problems += check(clinician, "/invitations", [number], team)
        problems += check(clinician, f"/invitations/{own['invitation'].id}", [number], team)
        problems += check(supporter, f"/inbox/{conversation}", [number], team)
        problems += check(lead, "/organisations/", [number], site + team)
        problems += check(lead, f"/organisations/teams/{team_id}/edit", [number], site + team)
        problems += check(lead, f"/organisations/sites/{own['site'].id}/teams/new", [number], site)
        problems += check(lead, "/dashboard", [number], site)
        problems += check(lead, f"/dashboard/teams/{team_id}/report", [number], site + team)
        problems += check(lead, "/inbox/figures", [number], team)
        problems += check(admin, f"/admin/relatives/{own['relative'].id}/erase", [number], team)
    assert problems == [], "\n".join(problems)


def block_word(number: int) -> str:
    """A word of letters only, different for each number, for a phrase that refuses a post."""
    return "zqblock" + "".join(chr(ord("a") + int(digit)) for digit in str(number))


@pytest.mark.slow
@pytest.mark.usefixtures("sqlite_only")
def test_messages_of_refusing_phrases_are_escaped_for_moderators_and_writers(app, create_user):
    moderator, relative = create_user(R.MODERATOR), create_user(R.RELATIVE)
    messages, phrases = {}, {}
    for number, payload in enumerate(PAYLOADS):
        messages[number] = marked(number, payload, 2000)
        phrases[number] = risk_services.save_phrase(
            moderator, None, phrase=block_word(number), category="harm_to_others", action="block",
            message=messages[number],
        ).id  # fmt: skip
    forum_services.seed_categories()
    db.session.commit()
    category = db.session.scalar(select(ForumCategory).order_by(ForumCategory.position))
    thread, _outcome = forum_services.create_thread(relative, category, "A thread", "Hello everyone.")

    staff, writer = sign_in(app, moderator), sign_in(app, relative)
    token = csrf_token(writer)
    problems = check(staff, "/risk/lexicon", [])
    for number in ONE_EACH:
        problems += check(staff, f"/risk/lexicon/{phrases[number]}/edit", [number], [messages[number]])
        body = f"I feel {block_word(number)} today."
        for path, data in (
            (f"/forum/{category.slug}/new", {"title": "A new thread", "body": body}),
            (f"/forum/threads/{thread.id}/reply", {"body": body}),
        ):
            response = writer.post(path, data={**data, "csrf_token": token})
            assert response.status_code == 422, path
            html = response.get_data(as_text=True)
            problems += [f"{path}: {p}" for p in page_problems(html, [number], [messages[number]])]
    assert problems == [], "\n".join(problems)


@pytest.mark.slow
@pytest.mark.usefixtures("sqlite_only")
def test_exercise_answers_are_escaped_for_the_relative_who_wrote_them(app, create_user, content_dir: Path):
    module_services.sync_content(content_dir)
    exercise, number_in_module, slug = db.session.execute(
        select(Exercise, Section.position, Module.slug)
        .join(Section, Section.id == Exercise.section_id)
        .join(Module, Module.id == Section.module_id)
        .order_by(Section.position, Exercise.id)
        .limit(1)
    ).one()
    problems = []
    for number, payload in enumerate(PAYLOADS):
        relative = create_user(R.RELATIVE)
        answer = marked(number, payload, 5000)
        module_services.save_answer(relative, exercise, answer)
        reader = sign_in(app, relative)
        problems += check(reader, f"/modules/{slug}/{number_in_module}", [number], [answer])
    assert problems == [], "\n".join(problems)


@pytest.mark.slow
@pytest.mark.usefixtures("sqlite_only")
def test_check_in_answers_are_never_shown_back_as_markup(app, create_user):
    reader = sign_in(app, create_user(R.RELATIVE))
    token = csrf_token(reader)
    problems = []
    for number, payload in enumerate(PAYLOADS):
        response = reader.post(
            "/check-in", data={**{item.key: marked(number, payload) for item in ITEMS}, "csrf_token": token}
        )
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        problems += [p for p in page_problems(html, [number]) if not p.endswith("not on the page")]
        if MUST_ESCAPE & set(payload):
            assert payload not in html
    assert problems == [], "\n".join(problems)
