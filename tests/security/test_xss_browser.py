"""The XSS corpus in Chromium: through every field a person types and someone else reads, nothing runs.

Each payload from xss_payloads.txt (one a line; a backslash-n is a new line and a backslash-u and
four hex digits a character) is stored through the services, between two markers ("zq7a ... zq7b"),
in every field below. Chromium then opens the pages where other people read them, with the Content
Security Policy switched off, so that what is tested is the escaping and sanitising, not the
policy behind them. On every page:

- no dialog opened, window.__xss is unset and the browser asked for nothing off this site;
- no element has an on... attribute or a javascript:, vbscript: or data: address, no frame, object,
  embed, base or refresh exists, and every script and style carries the page's nonce;
- between a payload's two markers there are no elements at all where the field is plain text, and
  only the sanitiser's formatting tags where it is Markdown;
- the payload's words are on the page as text (plain fields exactly; Markdown fields by their markers).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.auth.forum_names import forum_name_key
from react_toolkit.auth.models import Invitation
from react_toolkit.extensions import db
from react_toolkit.forum import services as forum_services
from react_toolkit.forum.models import ForumCategory
from react_toolkit.inbox import services as inbox_services
from react_toolkit.inbox.models import Conversation
from react_toolkit.modules import services as module_services
from react_toolkit.organisations.models import Team
from react_toolkit.resources import services as resource_services
from react_toolkit.risk.models import RiskPhrase
from react_toolkit.text import ALLOWED_TAGS
from react_toolkit.timeutil import now
from tests.security.payloads import PAYLOADS, SAMPLE, marked, squash
from tests.security.routes import sign_in

pytestmark = pytest.mark.browser

MARKDOWN = sorted(ALLOWED_TAGS)


CHECK_PAGE = """([pairs, allowed]) => {
  const problems = [];
  const bad = /^(javascript|vbscript|data):/;
  const urls = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster"];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\x00-\\x20]+/g, "").toLowerCase();
      if (name.startsWith("on")) problems.push(`<${el.localName} ${name}>`);
      if (urls.includes(name) && bad.test(value)) problems.push(`<${el.localName} ${name}=${attr.value}>`);
      if (name === "srcdoc" || (name === "style" && /expression|url\\(/.test(value))) {
        problems.push(`<${el.localName} ${name}=${attr.value}>`);
      }
    }
  }
  for (const el of document.querySelectorAll("iframe, frame, object, embed, base, meta[http-equiv], math")) {
    problems.push(`a <${el.localName}> element`);
  }
  for (const el of document.querySelectorAll("script, style")) {
    const ours = el.nonce || (el.localName === "script" && el.src.startsWith(location.origin + "/static/"));
    if (!ours) problems.push(`a <${el.localName}> without the page's nonce`);
  }
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
  const has = (node, text) => node.nodeType === 3 && node.data.includes(text);
  for (const [start, end] of pairs) {
    let seen = 0;
    for (let i = 0; i < nodes.length; i++) {
      if (!has(nodes[i], start)) continue;
      seen++;
      let j = i;
      while (j < nodes.length && !has(nodes[j], end)) j++;
      if (j === nodes.length) { problems.push(`${start}: no ${end} after it`); continue; }
      for (let k = i + 1; k < j; k++) {
        if (nodes[k].nodeType === 1 && !allowed.includes(nodes[k].localName)) {
          problems.push(`${start}: a <${nodes[k].localName}> made from the text`);
        }
      }
    }
    if (!seen) problems.push(`${start}: not on the page`);
  }
  return problems;
}"""


@pytest.fixture
def lexicon(app) -> None:
    """A one-line risk list: risk detection has its own tests, and the whole list costs time on every post."""
    db.session.add(RiskPhrase(phrase="zebra crossing", category="allow", action="allow"))
    db.session.commit()


def markup_problems(page, numbers: list[int], *, markdown: bool = False) -> list[str]:
    pairs = [[f"zq{n}a", f"zq{n}b"] for n in numbers]
    return page.evaluate(CHECK_PAGE, [pairs, MARKDOWN if markdown else []])


class Reader:
    """One person's browser, with the CSP off, watching for dialogs and requests leaving the site."""

    def __init__(self, app, browser, live_server: str, user) -> None:
        self.origin = live_server
        self.context = browser.new_context(base_url=live_server, bypass_csp=True)
        cookie = sign_in(app, user).get_cookie("react_session").value  # signed in through the real form
        self.context.add_cookies([{"name": "react_session", "value": cookie, "url": live_server}])
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        if route.request.url.startswith(self.origin):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def check(
        self,
        path: str,
        numbers: list[int],
        *,
        markdown: bool = False,
        shown: dict[int, str] | None = None,
        title: dict[int, str] | None = None,
    ) -> list[str]:
        """Open a page; what is wrong with it, for each payload number expected on it."""
        self.page.goto(path)
        self.page.wait_for_timeout(30)  # let error and toggle events fire, if any were ever bound
        problems = markup_problems(self.page, numbers, markdown=markdown)
        if self.page.evaluate("() => window.__xss !== undefined"):
            problems.append("window.__xss was set")
        problems += [f"a dialog: {message}" for message in self.dialogs]
        problems += [f"asked for {url}" for url in self.outside]
        self.dialogs.clear()
        self.outside.clear()
        text = squash(self.page.inner_text("body"))
        for number, value in (shown or {}).items():
            if squash(value) not in text:
                problems.append(f"zq{number}a: the text is not shown as typed")
        for number, value in (title or {}).items():
            if squash(value) not in squash(self.page.title()):
                problems.append(f"zq{number}a: the page title does not show the text as typed")
        if markdown:
            problems += [
                f"zq{n}a: not shown" for n in numbers if f"zq{n}a" not in text or f"zq{n}b" not in text
            ]
        return [f"{path}: {problem}" for problem in problems]

    def close(self) -> None:
        self.context.close()


def test_the_corpus_is_large_and_varied():
    assert len(PAYLOADS) >= 50
    assert len(set(PAYLOADS)) == len(PAYLOADS)
    joined = "\n".join(PAYLOADS).lower()
    for kind in ("<script", "onerror", "javascript:", "<svg", "<iframe", "data:", "&#", "](", "![", "expression(",
                 "{{7*7}}", "\u202e", "\u200b", "＜"):  # fmt: skip
        assert kind in joined, kind


def test_the_page_check_finds_markup_that_came_from_text(browser):
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.set_content(
            "<p>zq1a <img src=x onerror='window.__xss=1'> zq1b</p>"
            "<p>zq2a <a href='java\tscript:alert(1)'>x</a> zq2b</p>"
            "<p>zq3a <em>fine</em> zq3b</p><script>let x = 1;</script><iframe></iframe>"
        )
        plain = markup_problems(page, [1, 2, 3, 4])
        markdown = markup_problems(page, [3], markdown=True)
        assert page.evaluate("() => window.__xss") == 1  # with the policy off, a handler would run
    finally:
        context.close()
    for expected in (
        "<img onerror>",
        "zq1a: a <img> made from the text",
        "<a href=java\tscript:alert(1)>",
        "zq3a: a <em> made from the text",
        "a <script> without the page's nonce",
        "a <iframe> element",
        "zq4a: not on the page",
    ):
        assert expected in plain, (expected, plain)
    assert not [problem for problem in markdown if problem.startswith("zq3a")]  # Markdown may make <em>


@pytest.mark.security_config(FORUM_PAGE_SIZE=1000)
def test_forum_titles_posts_names_and_moderation_reasons(
    sqlite_only, lexicon, app, browser, live_server, create_user
):
    forum_services.seed_categories()
    db.session.commit()
    category = db.session.scalar(select(ForumCategory).order_by(ForumCategory.position))
    author, reader_user, moderator = create_user(), create_user(), create_user(R.MODERATOR)
    threads, titles, names, reasons = {}, {}, {}, {}
    for number, payload in enumerate(PAYLOADS):
        titles[number] = marked(number, payload, 150)
        threads[number] = forum_services.create_thread(author, category, titles[number], f"Thread {number}.")[
            0
        ].id
    bodies = forum_services.create_thread(author, category, "Bodies", "Posts.")[0]
    members = forum_services.create_thread(author, category, "Names", "Who is here?")[0]
    hidden = forum_services.create_thread(author, category, "Hidden", "Posts to hide.")[0]
    report_target = forum_services.create_thread(author, category, "Reported", "Report me.")[1].post
    for number, payload in enumerate(PAYLOADS):
        forum_services.reply(author, bodies, marked(number, payload, markdown=True))
        member = create_user()
        member.forum_name = names[number] = marked(number, payload, 40)  # refused by validation, inert anyway
        member.forum_name_key = forum_name_key(f"xss member {number}")
        db.session.commit()
        forum_services.reply(member, members, f"Hello from member {number}.")
        post = forum_services.reply(author, hidden, f"To be hidden {number}.").post
        reasons[number] = marked(number, payload, 2000)
        forum_services.hide(moderator, post, reasons[number])
        forum_services.report(reader_user, report_target, "other", reasons[number])

    numbers = list(range(len(PAYLOADS)))
    reader, writer, mod = (
        Reader(app, browser, live_server, user) for user in (reader_user, author, moderator)
    )
    try:
        problems = reader.check(f"/forum/{category.slug}", numbers, shown=titles)
        problems += reader.check(f"/forum/threads/{bodies.id}", numbers, markdown=True)
        problems += reader.check(f"/forum/threads/{members.id}", numbers, shown=names)
        for number in SAMPLE:
            problems += reader.check(
                f"/forum/threads/{threads[number]}", [number], title={number: titles[number]}
            )
        problems += writer.check(f"/forum/threads/{hidden.id}", numbers, shown=reasons)
        problems += mod.check(f"/forum/threads/{hidden.id}", numbers, shown=reasons)
        problems += mod.check(f"/moderation/posts/{report_target.id}", numbers, shown=reasons)
        problems += mod.check("/moderation/log", numbers, shown=reasons)
        problems += mod.check("/moderation", [], title=None)
    finally:
        for person in (reader, writer, mod):
            person.close()
    assert problems == []


def test_messages_replies_notes_saved_replies_and_staff_names(
    sqlite_only, lexicon, app, browser, live_server, create_user
):
    relative = create_user()
    team = relative.team
    supporter = create_user(R.SUPPORTER, team=team)
    subjects, saved_titles, names = {}, {}, {}
    for number, payload in enumerate(PAYLOADS):
        subjects[number] = marked(number, payload, 200)
        inbox_services.start_conversation(relative, subjects[number], marked(number, payload, markdown=True))
        saved_titles[number] = marked(number, payload, 120)
        inbox_services.save_reply(
            supporter, None, saved_titles[number], marked(number, payload, markdown=True)
        )
    many, _ = inbox_services.start_conversation(relative, "Many messages", "The first one.")
    for number, payload in enumerate(PAYLOADS):
        inbox_services.relative_reply(relative, many, marked(number, payload, markdown=True))
        inbox_services.add_note(supporter, many, marked(number, payload, markdown=True))
    replies, _ = inbox_services.start_conversation(relative, "Replies", "Please answer.")
    for number, payload in enumerate(PAYLOADS):
        inbox_services.staff_reply(supporter, replies, marked(number, payload, markdown=True), 10**9)
        colleague = create_user(R.SUPPORTER, team=team)
        colleague.full_name = names[number] = f"Colleague {marked(number, payload, 190)}"
        db.session.commit()
        inbox_services.staff_reply(colleague, replies, f"Reply from colleague {number}.", 10**9)

    numbers = list(range(len(PAYLOADS)))
    staff, family = Reader(app, browser, live_server, supporter), Reader(app, browser, live_server, relative)
    try:
        problems = staff.check("/inbox?filter=waiting_for_us", numbers, shown=subjects)
        problems += staff.check(f"/inbox/{many.id}", numbers, markdown=True)
        problems += staff.check(f"/inbox/{replies.id}", numbers, markdown=True, shown=names)
        problems += staff.check("/inbox/saved-replies", numbers, markdown=True, shown=saved_titles)
        problems += family.check("/messages", numbers, shown=subjects)
        problems += family.check(f"/messages/{replies.id}", numbers, markdown=True)
        first = db.session.scalar(select(Conversation.id).order_by(Conversation.id))
        problems += staff.check(f"/inbox/{first}", [0], markdown=True, title={0: subjects[0]})
    finally:
        staff.close()
        family.close()
    assert problems == []


def test_notes_resources_team_names_invitations_and_staff_names(
    sqlite_only, app, browser, live_server, create_user, create_team
):
    relative = create_user()
    site = relative.team.site
    clinician = create_user(R.CLINICIAN, team=relative.team)
    lead = create_user(R.SITE_LEAD, team=relative.team)
    supporter = create_user(R.SUPPORTER, team=relative.team)
    notes, resources, teams, emails = {}, {}, {}, {}
    for number, payload in enumerate(PAYLOADS):
        notes[number] = marked(number, payload, 200)
        module_services.add_note(relative, notes[number], marked(number, payload, 5000))
        resources[number] = marked(number, payload, 200)
        resource_services.add_local(
            supporter,
            site.id,
            {"name": resources[number], "category": "carers", "description": marked(number, payload, 2000),
             "phone": "0300 000 0000"},
        )  # fmt: skip
        team = create_team(site)
        team.name = teams[number] = marked(number, payload, 200)
        staff = create_user(R.CLINICIAN, team=team)
        staff.full_name = marked(number, payload, 200)
        db.session.commit()
        invitation = auth_services.create_invitation(clinician, team, "email", f"someone{number}@example.org")
        invitation.email = emails[number] = marked(number, payload, 254)
        invitation.expires_at = now() + timedelta(days=14)
        db.session.commit()

    numbers = list(range(len(PAYLOADS)))
    family, inviter, manager = (
        Reader(app, browser, live_server, user) for user in (relative, clinician, lead)
    )
    try:
        problems = family.check("/toolbox", numbers, shown=notes)
        problems += family.check("/resources/", numbers, shown=resources)
        problems += manager.check("/resources/manage", numbers, shown=resources)
        problems += manager.check("/organisations/", numbers, shown=teams)
        problems += manager.check(
            "/staff", numbers, shown={n: marked(n, p, 200) for n, p in enumerate(PAYLOADS)}
        )
        problems += inviter.check("/invitations", numbers, shown=teams)
        invitation_ids = db.session.scalars(select(Invitation.id).order_by(Invitation.id)).all()
        for number in SAMPLE:
            invitation_id = invitation_ids[number]
            problems += inviter.check(
                f"/invitations/{invitation_id}", [number], shown={number: emails[number]}
            )
        for number in SAMPLE[:3]:  # a team's name in the value of the form's input
            team_id = db.session.scalar(select(Team.id).where(Team.name == teams[number]))
            problems += manager.check(f"/organisations/teams/{team_id}/edit", [])
    finally:
        for person in (family, inviter, manager):
            person.close()
    assert problems == []
