"""In Chromium: every HTML page in the URL map, as each role and signed out, passes axe at WCAG 2.2 AA.

The pages come from the app's own URL map, so a new page is swept without anyone adding it here.
A page a role may not see (403, 404, a redirect) or that is not HTML is passed over for that role.
"""

from __future__ import annotations

import json
import queue
import re
import threading

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from flask import Flask

from react_toolkit.auth import roles as R
from tests.browser.world import ROLES, World, build_world, sign_in
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
SIGNED_OUT = "signed out"

# Routes that are not pages anyone reads.
NOT_PAGES = {
    "static": "stylesheets, scripts and images",
    "resources.visit_resource": "sends the browser on to another organisation's website",
}


def _parameters(world: World) -> dict[str, object]:
    return {
        "thread_id": world.thread_id,
        "conversation_id": world.conversation.id,
        "reply_id": world.saved_reply_id,
        "invitation_id": world.invitation.id,
        "item_id": world.note.id,
        "entry_id": world.map_entry.id,
        "resource_id": world.resource.id,
        "phrase_id": world.phrase_id,
        "site_id": world.site.id,
        "team_id": world.team.id,
        "user_id": world.other_relative.id,
        "token": world.reset_token,
        "code": world.invitation.code,
        "number": 1,
    }


def _by_endpoint(world: World) -> dict[str, dict[str, object]]:
    """Values that depend on the page rather than on the parameter's name."""
    return {
        "forum.edit_post": {"post_id": world.own_post.id},
        "forum.report_post": {"post_id": world.others_post.id},
        "forum.show_post": {"post_id": world.others_post.id},
        "forum.moderate_post": {"post_id": world.held_post.id},
        "forum.view_category": {"slug": world.category.slug},
        "forum.new_thread": {"slug": world.category.slug},
        "modules.view_module": {"slug": world.module.slug},
        "modules.view_section": {"slug": world.module.slug},
        "modules.module_end": {"slug": world.module.slug},
        "reviews.module_reviews": {"slug": world.module.slug},
        "reviews.record_review": {"slug": world.module.slug},
        "reviews.mark_law_changed": {"key": "mha-1983"},
        "outcomes.answer_measure": {"instrument": "phq9"},
        "outcomes.view_result": {"instrument": "phq9"},
        "adoption.show_staff_module": {"slug": "inviting"},
        "adoption.answer_wave": {"wave_id": world.wave_id},
    }


def page_paths(app: Flask, world: World) -> tuple[list[str], list[str]]:
    """Every GET route with its parameters filled from the world; and any route that could not be filled."""
    by_name, by_endpoint = _parameters(world), _by_endpoint(world)
    adapter = app.url_map.bind("localhost")
    paths, unfilled = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
            continue
        values = {}
        for name in rule.arguments:
            value = by_endpoint.get(rule.endpoint, {}).get(name, by_name.get(name))
            if value is None:
                unfilled.append(f"{rule.rule} ({name})")
                break
            values[name] = value
        else:
            paths.append(adapter.build(rule.endpoint, values, force_external=False))
    return sorted(set(paths)), unfilled


def _watch_for_errors(page) -> list[str]:
    problems: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(message.text)

    def on_response(response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            problems.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


# A page's body in two parts, its main content and everything around it (header, navigation, footer),
# with what changes from one request to the next (tokens, nonces) taken out.
MAIN = re.compile(r"<main\b.*?</main>", re.S)
CHANGING = re.compile(r'\b(value|nonce|content)="[^"]*"')


def page_parts(html: str) -> tuple[int, int]:
    html = CHANGING.sub("", html.split("<body", 1)[-1])
    main = MAIN.search(html)
    inside = main.group(0) if main else ""
    return hash(inside), hash(html.replace(inside, "", 1))


# WCAG rules about the document as a whole (its title, language, viewport, skip link), which
# axe runs only when the whole page is in view; they are cheap, so every page gets them.
WHOLE_PAGE_RULES = [
    "aria-hidden-body",
    "bypass",
    "css-orientation-lock",
    "document-title",
    "duplicate-id-aria",
    "frame-focusable-content",
    "html-has-lang",
    "html-lang-valid",
    "html-xml-lang-mismatch",
    "meta-refresh",
    "meta-viewport",
]
WHOLE_PAGE_OPTIONS = {"runOnly": {"type": "rule", "values": WHOLE_PAGE_RULES}, "resultTypes": ["violations"]}


def _axe(page, context: dict | None) -> list[dict]:
    """Every WCAG 2.2 AA rule on the whole page, or on part of it plus the whole-page rules."""
    if context is None:
        return page.evaluate(f"axe.run({json.dumps(AXE_OPTIONS)})")["violations"]
    part = page.evaluate(f"axe.run({json.dumps(context)}, {json.dumps(AXE_OPTIONS)})")["violations"]
    return part + page.evaluate(f"axe.run({json.dumps(WHOLE_PAGE_OPTIONS)})")["violations"]


# How many browsers open pages and run axe at once, each in its own thread. More did not help on
# two cores: three took longer than two.
RUNNERS = 2
DONE = None


class Sweep:
    """Runs axe on every page, as each person.

    Much of a page is the same for several roles: the main content of a public page, or the
    header and footer of one role's pages. axe checks each distinct part once: the whole page
    when neither part has been seen, only the new part when the other has, and a page whose
    parts have both been seen is not opened again.

    The test's thread signs each person in (in Chromium) and reads every page as them with the
    test client, in order, to decide what each page needs; the checks it finds go into a queue,
    and the runners' browsers open those pages as that person and run axe on them while the
    reading goes on.
    """

    def __init__(self, live_server: str, paths: list[str]) -> None:
        self.live_server, self.paths = live_server, paths
        self.jobs: queue.Queue = queue.Queue()
        self.lock = threading.Lock()
        self.seen_main: set[int] = set()
        self.seen_around: set[int] = set()
        self.found: list[str] = []
        self.checked: dict[str, list[str]] = {}
        self.failures: list[BaseException] = []

    def fetch(self, app: Flask, browser, people: list[tuple[str, str | None]]) -> None:
        """Sign each person in, read every page as them and queue the checks it needs.

        The person signs in in Chromium; the pages are read with the app's test client carrying the
        same cookies, which needs no round trip through the browser for the pages axe need not see.
        """
        try:
            for who, email in people:
                context = browser.new_context(base_url=self.live_server)
                try:
                    if email is not None:
                        sign_in(context.new_page(), email)
                    signed_in = context.storage_state()
                finally:
                    context.close()
                client = app.test_client()
                for cookie in signed_in["cookies"]:
                    client.set_cookie(cookie["name"], cookie["value"], path=cookie["path"])
                checked = self.checked.setdefault(who, [])
                for path in self.paths:
                    if self.failures:
                        return
                    answer = client.get(path)
                    if answer.status_code != 200 or answer.mimetype != "text/html":
                        continue
                    checked.append(path)
                    main, around = page_parts(answer.get_data(as_text=True))
                    main_seen, around_seen = main in self.seen_main, around in self.seen_around
                    self.seen_main.add(main)
                    self.seen_around.add(around)
                    if main_seen and around_seen:
                        continue  # the same page for another role, checked already
                    if main_seen:
                        part = {"exclude": [["main"]]}
                    elif around_seen:
                        part = {"include": [["main"]]}
                    else:
                        part = None
                    self.jobs.put((who, signed_in, path, part))
        finally:
            for _ in range(RUNNERS):
                self.jobs.put(DONE)

    def run(self) -> None:
        """Take checks from the queue until the fetching is over; in a thread with its own browser."""
        from playwright.sync_api import sync_playwright

        found: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
                )
                pages: dict[str, tuple[object, list[str]]] = {}
                while (job := self.jobs.get()) is not DONE:
                    who, signed_in, path, part = job
                    if who not in pages:
                        context = browser.new_context(
                            base_url=self.live_server,
                            viewport={"width": 1280, "height": 900},
                            storage_state=signed_in,
                        )
                        context.add_init_script(AXE_SCRIPT)
                        page = context.new_page()
                        pages[who] = (page, _watch_for_errors(page))
                    page, problems = pages[who]
                    response = page.goto(path)
                    assert response is not None and response.status == 200, f"{who} {path}"
                    for violation in _axe(page, part):
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        found.append(
                            f"{who} {path}: {violation['id']} ({violation['impact']}) {violation['help']} {targets}"
                        )
                    found.extend(f"{who} {path}: browser error {problem}" for problem in problems)
                    problems.clear()
                browser.close()
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread, which raises it
            self.failures.append(error)
            while self.jobs.get() is not DONE:  # let the fetching finish
                pass
        finally:
            with self.lock:
                self.found.extend(found)


def test_every_page_for_every_role_meets_wcag_22_aa(app, browser, request, create_user, create_team):
    world = build_world(create_user, create_team)
    # Started after the world is built: the forked server takes the app as it is at that moment.
    live_server = request.getfixturevalue("live_server_process")
    paths, unfilled = page_paths(app, world)
    assert unfilled == [], f"give these route parameters a value from the world: {unfilled}"

    # The roles with the most pages go first, so their checks start soonest.
    order = (
        R.ADMIN,
        R.MODERATOR,
        R.SUPPORTER,
        R.SITE_LEAD,
        R.RESEARCHER,
        R.CONTENT_REVIEWER,
        R.CLINICIAN,
        R.RELATIVE,
    )
    sweep = Sweep(live_server, paths)
    runners = [threading.Thread(target=sweep.run) for _ in range(RUNNERS)]
    for runner in runners:
        runner.start()
    sweep.fetch(app, browser, [*((role, world.people[role].email) for role in order), (SIGNED_OUT, None)])
    for runner in runners:
        runner.join()
    if sweep.failures:
        raise sweep.failures[0]

    found, checked = sweep.found, sweep.checked
    assert set(checked) == {*ROLES, SIGNED_OUT}
    assert found == [], f"{len(found)} accessibility problems:\n" + "\n".join(sorted(found))
    # The sweep really reached each role's own pages, not just the sign-in page.
    assert f"/messages/{world.conversation.id}" in checked[R.RELATIVE]
    assert f"/toolbox/{world.note.id}/edit" in checked[R.RELATIVE]
    assert f"/inbox/{world.conversation.id}" in checked[R.SUPPORTER]
    assert f"/moderation/posts/{world.held_post.id}" in checked[R.MODERATOR]
    assert f"/invitations/{world.invitation.id}" in checked[R.CLINICIAN]
    assert (
        "/dashboard" in checked[R.SITE_LEAD]
        and f"/dashboard/teams/{world.team.id}/report" in checked[R.ADMIN]
    )
    assert "/dashboard" in checked[R.RESEARCHER]
    assert f"/modules/{world.module.slug}/reviews/new" in checked[R.CONTENT_REVIEWER]
    assert "/sign-in" in checked[SIGNED_OUT] and f"/register/{world.invitation.code}" in checked[SIGNED_OUT]
    assert all("/sign-in" not in pages for who, pages in checked.items() if who != SIGNED_OUT)
