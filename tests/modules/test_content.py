"""Module files: front matter checked field by field, bodies split into sections, sync all or nothing."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from react_toolkit.extensions import db
from react_toolkit.modules import services
from react_toolkit.modules.content import (
    ContentError,
    parse_directory,
    parse_law_register,
    parse_module,
    parse_translations,
)
from react_toolkit.modules.models import Exercise, ExerciseAnswer, Module, Section, SectionProgress
from react_toolkit.resources.models import Resource
from tests.modules.conftest import CONTENT_DIR

FRONT = {
    "slug": "coping-at-home",
    "title": "Coping at home",
    "summary": "A short guide to coping at home.",
    "order": "3",
    "estimated_minutes": "10",
    "author_role": "Health information writer",
    "written": "2026-01-15",
    "kinds": "[general, medicines]",
    "depends_on": "[nice-cg178]",
    "law_applies": "not applicable",
    "lived_experience": "Not yet.",
    "sources": "[{title: Psychosis in adults, reference: NICE CG178, url: 'https://www.nice.org.uk/guidance/cg178'}]",
    "resources": "[samaritans, shout]",
}

BODY = """
## First days

Things can feel strange at first. That is normal.

::: key-points
- Go at your own pace.
- Ask the team anything.
:::

## Talking together

Short talks can help.

::: story Sam's story
I was scared. Then I spoke to the nurse.
:::

::: exercise noticing-changes
What changes have you noticed?
:::

## Looking after yourself

Rest when you can.

::: exercise one-small-thing
What is one small thing you could do for yourself this week?
:::
"""


def module_text(body: str = BODY, drop: tuple[str, ...] = (), **fields: str) -> str:
    meta = {**FRONT, **fields}
    lines = [f"{name}: {value}" for name, value in meta.items() if name not in drop]
    return "---\n" + "\n".join(lines) + "\n---\n" + body


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def html_of(module) -> str:
    return "".join(
        part.get("html", "") + part.get("prompt_html", "") for s in module.sections for part in s.parts
    )


# Parsing ---------------------------------------------------------------------------------


def test_good_file_gives_sections_exercises_and_parts(tmp_path):
    module = parse_module(write(tmp_path, "03-coping-at-home.md", module_text()))
    assert (module.slug, module.order, module.estimated_minutes) == ("coping-at-home", 3, 10)
    assert module.resources == ["samaritans", "shout"]
    assert (module.author_role, str(module.written), module.updated) == (
        "Health information writer",
        "2026-01-15",
        None,
    )
    assert (module.kinds, module.depends_on, module.law_applies) == (
        ["general", "medicines"],
        ["nice-cg178"],
        "not applicable",
    )
    assert module.sources == [
        {
            "title": "Psychosis in adults",
            "reference": "NICE CG178",
            "url": "https://www.nice.org.uk/guidance/cg178",
        }
    ]
    assert [s.title for s in module.sections] == ["First days", "Talking together", "Looking after yourself"]
    assert [s.slug for s in module.sections] == ["first-days", "talking-together", "looking-after-yourself"]
    assert [[e.key for e in s.exercises] for s in module.sections] == [
        [],
        ["noticing-changes"],
        ["one-small-thing"],
    ]
    assert [[p["type"] for p in s.parts] for s in module.sections] == [
        ["html", "html"],
        ["html", "html", "exercise"],
        ["html", "exercise"],
    ]
    first, second, _ = module.sections
    assert "react-key-points" in first.parts[1]["html"] and "Go at your own pace." in first.parts[1]["html"]
    assert "react-story" in second.parts[1]["html"] and "Sam&#39;s story" in second.parts[1]["html"]
    exercise = second.parts[2]
    assert (
        exercise["key"] == "noticing-changes" and "What changes have you noticed?" in exercise["prompt_html"]
    )
    assert second.exercises[0].prompt == "What changes have you noticed?"
    assert ":::" not in module.plain_text


def test_same_file_same_hash_changed_file_new_hash(tmp_path):
    first = parse_module(write(tmp_path / "a", "03-coping-at-home.md", module_text()))
    again = parse_module(write(tmp_path / "b", "03-coping-at-home.md", module_text()))
    changed = parse_module(write(tmp_path / "c", "03-coping-at-home.md", module_text(title="Coping")))
    assert first.source_hash == again.source_hash != changed.source_hash


BAD_FRONT_MATTER = [
    pytest.param({"drop": ("slug",)}, "slug", id="missing-slug"),
    pytest.param({"drop": ("author_role",)}, "author_role", id="missing-author-role"),
    pytest.param({"drop": ("written",)}, "written", id="missing-written"),
    pytest.param({"drop": ("lived_experience",)}, "lived_experience", id="missing-lived-experience"),
    pytest.param({"drop": ("sources",)}, "sources", id="missing-sources"),
    pytest.param({"drop": ("kinds",)}, "kinds", id="missing-kinds"),
    pytest.param({"drop": ("depends_on",)}, "depends_on", id="missing-depends-on"),
    pytest.param({"order": "two"}, "order", id="order-is-a-word"),
    pytest.param({"order": "2.5"}, "order", id="order-is-a-fraction"),
    pytest.param({"estimated_minutes": "-5"}, "estimated_minutes", id="negative-minutes"),
    pytest.param({"written": "last spring"}, "written", id="written-is-words"),
    pytest.param({"written": "2026-02-30"}, "written", id="written-impossible-day"),
    pytest.param({"updated": "2027-13-01"}, "updated", id="updated-impossible-month"),
    pytest.param({"updated": "2027-01-15 10:00:00"}, "updated", id="updated-with-a-time"),
    pytest.param({"updated": "2025-12-31"}, "updated", id="updated-before-written"),
    pytest.param({"slug": "Coping_At_Home"}, "slug", id="bad-slug"),
    pytest.param({"author": "Dr Jones"}, "author", id="unknown-field"),
    pytest.param({"resources": "[Samaritans!]"}, "resources", id="bad-resource-slug"),
    pytest.param({"kinds": "[surgery]"}, "kinds", id="unknown-kind"),
    pytest.param({"kinds": "[]"}, "kinds", id="no-kind"),
    pytest.param({"kinds": "[law, law]"}, "kinds", id="kind-twice"),
    pytest.param({"depends_on": "[NICE CG178]"}, "depends_on", id="bad-register-key"),
    pytest.param({"law_applies": "Scotland"}, "law_applies", id="law-applies-elsewhere"),
    pytest.param({"sources": "[{title: A guideline}]"}, "sources", id="source-without-url"),
    pytest.param({"sources": "[{title: A, url: 'http://example.org'}]"}, "sources", id="source-not-https"),
    pytest.param(
        {"sources": "[{title: A, url: 'https://a.org', year: 2020}]"}, "sources", id="source-unknown-field"
    ),
    pytest.param({"sources": "NICE"}, "sources", id="sources-not-a-list"),
    # The fields that claimed a clinical review are refused outright, never quietly ignored.
    pytest.param({"last_reviewed": "2026-11-01"}, "last_reviewed", id="claims-last-reviewed"),
    pytest.param(
        {"reviewer_role": "EIP consultant psychiatrist"}, "reviewer_role", id="claims-reviewer-role"
    ),
    pytest.param({"review_by": "2027-11-01"}, "review_by", id="claims-review-by"),
]


@pytest.mark.parametrize(("change", "field"), BAD_FRONT_MATTER)
def test_bad_front_matter_is_refused_naming_file_and_field(tmp_path, change, field):
    change = dict(change)
    drop = change.pop("drop", ())
    path = write(tmp_path, "03-coping-at-home.md", module_text(drop=drop, **change))
    with pytest.raises(ContentError) as raised:
        parse_module(path)
    message = str(raised.value)
    assert "03-coping-at-home.md" in message
    assert f"'{field}'" in message


BAD_BODIES = [
    pytest.param(
        "\n## Only part\n\n::: key-points\n- Never closed.\n",
        ["key-points", "never closed"],
        id="unclosed-block",
    ),
    pytest.param(
        "\n## One\n\n::: exercise same-key\nFirst?\n:::\n\n## Two\n\n::: exercise same-key\nSecond?\n:::\n",
        ["same-key", "used twice"],
        id="duplicate-exercise-id",
    ),
    pytest.param(
        "\nAn opening paragraph with no heading.\n\n## One\n\nText.\n",
        ["line 2", "before the first"],
        id="text-before-first-section",
    ),
    pytest.param("\nNo sections at all.\n", ["before the first"], id="no-sections"),
    pytest.param("\n## One\n\n::: exercise Bad_Key\nWhat?\n:::\n", ["Bad_Key"], id="bad-exercise-id"),
]


@pytest.mark.parametrize(("body", "expected"), BAD_BODIES)
def test_bad_body_is_refused_naming_file_and_problem(tmp_path, body, expected):
    path = write(tmp_path, "03-coping-at-home.md", module_text(body=body))
    with pytest.raises(ContentError) as raised:
        parse_module(path)
    message = str(raised.value)
    assert message.startswith("03-coping-at-home.md:")
    for words in expected:
        assert words in message


@pytest.mark.parametrize("field", ["slug", "order"])
def test_duplicate_slug_or_order_across_two_files_is_refused(tmp_path, field):
    write(tmp_path, "03-coping-at-home.md", module_text())
    other = {"slug": "another-module", "order": "4"}
    other[field] = FRONT[field]
    write(tmp_path, "04-another-module.md", module_text(**other))
    with pytest.raises(ContentError) as raised:
        parse_directory(tmp_path)
    message = str(raised.value)
    assert "04-another-module.md" in message and "03-coping-at-home.md" in message
    assert f"'{field}'" in message


def test_parse_directory_reads_every_file_in_name_order(tmp_path):
    write(tmp_path, "04-b.md", module_text(slug="b", order="4"))
    write(tmp_path, "03-a.md", module_text(slug="a", order="3"))
    write(tmp_path, "notes.txt", "not a module")
    assert [m.slug for m in parse_directory(tmp_path)] == ["a", "b"]


def test_raw_html_in_module_markdown_is_shown_as_text(tmp_path):
    body = (
        "\n## Part one\n\nHello <script>alert(1)</script> there.\n\n"
        '<img src="x" onerror="alert(2)">\n\n'
        "::: key-points\n- <b>bold</b> point <script>alert(3)</script>\n:::\n\n"
        "::: story <em onmouseover=alert(4)>Sam</em>\nI said <iframe src=//evil></iframe>.\n:::\n\n"
        "::: exercise think\nWhat about <script>alert(5)</script>?\n:::\n"
    )
    module = parse_module(write(tmp_path, "03-coping-at-home.md", module_text(body=body)))
    html = html_of(module)
    for raw in ("<script", "<img", "<b>", "<iframe", "<em"):
        assert raw not in html
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))
    assert tags <= {"p", "ul", "li", "div", "h2", "aside"}, tags
    assert 'aria-label="&lt;em onmouseover=alert(4)&gt;Sam&lt;/em&gt;"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in html


def test_a_story_title_cannot_break_out_of_its_attribute(tmp_path):
    body = '\n## Part one\n\n::: story Sam" onmouseover="alert(1)\nI was scared.\n:::\n'
    module = parse_module(write(tmp_path, "03-coping-at-home.md", module_text(body=body)))
    html = html_of(module)
    assert '" onmouseover="' not in html
    assert "Sam&#34; onmouseover=&#34;alert(1)" in html


# Syncing through the command line ----------------------------------------------------------


def copy_content(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def run_sync(app, folder: Path):
    result = app.test_cli_runner().invoke(args=["react", "sync-content", "--content", str(folder)])
    return result, result.output


def counts() -> tuple[int, int, int, int]:
    db.session.expire_all()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Module, Section, Exercise, Resource)
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        pytest.param({"drop": ("author_role",)}, "author_role", id="missing-field"),
        pytest.param({"order": "seven"}, "order", id="order-not-a-number"),
        pytest.param({"written": "2026-02-30"}, "written", id="impossible-date"),
        pytest.param({"depends_on": "[not-in-the-register]"}, "depends_on", id="unregistered-dependency"),
    ],
)
def test_cli_refuses_a_bad_file_and_loads_nothing(app, tmp_path, change, field):
    folder = copy_content(tmp_path)
    change = dict(change)
    drop = change.pop("drop", ())
    fields = {"slug": "zz-broken", "order": "99", **change}
    write(folder / "modules", "15-zz-broken.md", module_text(drop=drop, **fields))
    result, output = run_sync(app, folder)
    assert result.exit_code != 0
    assert counts() == (0, 0, 0, 0)
    assert "15-zz-broken.md" in output and f"'{field}'" in output


def test_cli_loads_the_real_content_and_a_second_run_changes_nothing(app, tmp_path):
    result, output = run_sync(app, CONTENT_DIR)
    assert result.exit_code == 0, output
    assert f"{len(MODULE_FILES)} added" in output
    first = counts()
    count = len(MODULE_FILES)
    assert first[0] == count and first[1] >= count * 3 and first[2] >= count and first[3] > 0
    ids = db.session.execute(select(Section.id, Section.slug).order_by(Section.id)).all()

    result, output = run_sync(app, CONTENT_DIR)
    assert result.exit_code == 0, output
    assert f"0 added, 0 updated, {count} unchanged, 0 withdrawn" in output
    assert "National resources: 0 added, 0 updated" in output
    assert counts() == first
    assert db.session.execute(select(Section.id, Section.slug).order_by(Section.id)).all() == ids


def test_sync_service_reports_unchanged_on_second_run(app):
    services.sync_content(CONTENT_DIR)
    before = counts()
    report = services.sync_content(CONTENT_DIR)
    assert (report.added, report.updated, report.unchanged, report.withdrawn) == (0, 0, len(MODULE_FILES), 0)
    assert (report.resources_added, report.resources_updated) == (0, 0)
    assert counts() == before


def _section_ids(slug: str) -> dict[str, int]:
    db.session.expire_all()
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    return {section.slug: section.id for section in module.sections}


def test_editing_a_module_updates_it_and_keeps_unchanged_section_ids(app, tmp_path):
    folder = copy_content(tmp_path)
    path = folder / "modules" / "02-what-is-psychosis.md"
    services.sync_content(folder)
    slug = parse_module(path).slug
    before = _section_ids(slug)
    assert len(before) >= 3

    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^title: .*$", "title: What is psychosis? (revised)", text, count=1, flags=re.M)
    head, body = text.split("\n---\n", 1)
    body = "\n## A word before we start\n\nThis part is new. It is short.\n" + body
    path.write_text(head + "\n---\n" + body, encoding="utf-8")

    report = services.sync_content(folder)
    assert (report.added, report.updated, report.unchanged) == (0, 1, len(MODULE_FILES) - 1)
    after = _section_ids(slug)
    assert {name: after[name] for name in before} == before
    assert "a-word-before-we-start" in after and after["a-word-before-we-start"] not in before.values()
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    assert module.title == "What is psychosis? (revised)"
    assert [s.position for s in module.sections] == list(range(1, len(before) + 2))
    assert module.sections[0].slug == "a-word-before-we-start"


def test_removing_an_exercise_keeps_a_relatives_saved_answer(app, tmp_path, create_user):
    folder = copy_content(tmp_path)
    services.sync_content(folder)
    path = folder / "modules" / "01-how-to-use-the-toolkit.md"
    module = db.session.scalar(select(Module).where(Module.slug == "how-to-use-the-toolkit"))
    exercise = services.exercise_for(module, "what-i-hope-to-get")
    assert exercise is not None
    relative = create_user("relative")
    services.save_answer(relative, exercise, "To feel less alone.")
    exercise_id = exercise.id

    # The exercise goes from the English module and from its Welsh translation, as an editor would.
    for copy in (path, folder / "modules" / "cy" / path.name):
        text = copy.read_text(encoding="utf-8")
        block = re.search(r"::: exercise what-i-hope-to-get\n.*?\n:::\n", text, re.S)
        assert block, copy
        copy.write_text(text.replace(block.group(0), ""), encoding="utf-8")
    report = services.sync_content(folder)
    assert report.updated == 1

    db.session.expire_all()
    answer = db.session.scalar(select(ExerciseAnswer).where(ExerciseAnswer.user_id == relative.id))
    assert answer is not None and answer.text == "To feel less alone."
    assert answer.exercise_id == exercise_id
    kept = db.session.get(Exercise, exercise_id)
    assert kept is not None and kept.section_id is None
    assert services.exercise_for(module, "what-i-hope-to-get") is None


def test_removing_a_section_drops_its_progress_and_keeps_the_other_sections(app, tmp_path, create_user):
    folder = copy_content(tmp_path)
    services.sync_content(folder)
    path = folder / "modules" / "14-looking-after-yourself.md"
    slug = parse_module(path).slug
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    relative = create_user("relative")
    for section in module.sections:
        services.complete_section(relative, section)
    before = _section_ids(slug)
    last = module.sections[-1]
    gone_slug, gone_id = last.slug, last.id

    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index(f"\n## {last.title}\n")] + "\n", encoding="utf-8")
    services.sync_content(folder)

    after = _section_ids(slug)
    assert gone_slug not in after
    assert after == {name: ident for name, ident in before.items() if name != gone_slug}
    remaining = db.session.scalars(
        select(SectionProgress.section_id).where(SectionProgress.user_id == relative.id)
    ).all()
    assert gone_id not in remaining and sorted(remaining) == sorted(after.values())


def test_a_module_file_removed_is_withdrawn_not_deleted(app, tmp_path):
    folder = copy_content(tmp_path)
    services.sync_content(folder)
    (folder / "modules" / "14-looking-after-yourself.md").unlink()
    report = services.sync_content(folder)
    assert (report.withdrawn, report.unchanged) == (1, len(MODULE_FILES) - 1)
    db.session.expire_all()
    module = db.session.scalar(select(Module).where(Module.slug == "looking-after-yourself"))
    assert module is not None and module.published is False
    assert "looking-after-yourself" not in [m.slug for m in services.published_modules()]


# The real content -------------------------------------------------------------------------

MODULE_FILES = sorted((CONTENT_DIR / "modules").glob("*.md"))
LIST_MARKER = re.compile(r"^(?:[-*+]|\d+[.)])\s+")
SENTENCE_END = re.compile(r"[.!?]\s+")


def prose(path: Path) -> str:
    body = path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    kept = []
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith(":::"):
            continue
        kept.append(LIST_MARKER.sub("", line))
    return " ".join(kept)


def test_there_are_at_least_twenty_five_modules():
    assert len(MODULE_FILES) >= 25
    assert len({parse_module(path).slug for path in MODULE_FILES}) == len(MODULE_FILES)


@pytest.mark.parametrize("path", MODULE_FILES, ids=lambda p: p.stem)
def test_real_module_is_complete_and_readable(path):
    module = parse_module(path)
    assert len(module.sections) >= 3
    html = html_of(module)
    assert "react-key-points" in html
    assert "react-story" in html
    assert sum(len(s.exercises) for s in module.sections) >= 1
    sentences = [s for s in SENTENCE_END.split(prose(path)) if s.strip()]
    average = sum(len(s.split()) for s in sentences) / len(sentences)
    assert average < 16, f"{path.name}: average sentence is {average:.1f} words"
    text = path.read_text(encoding="utf-8")
    assert "TODO" not in text
    assert "<" not in text


REAL_MODULES = sorted((CONTENT_DIR / "modules").glob("*.md")) + sorted(
    (CONTENT_DIR / "modules" / "cy").glob("*.md")
)


@pytest.mark.parametrize("path", REAL_MODULES, ids=lambda path: "/".join(path.parts[-2:]))
def test_real_module_says_who_wrote_it_and_what_it_rests_on_and_claims_no_review(path):
    module = parse_module(path)
    register = {entry.key for entry in parse_law_register(CONTENT_DIR / "law_register.yaml")}
    assert module.author_role.strip() and module.lived_experience.strip()
    assert set(module.depends_on) <= register, f"{path.name}: {set(module.depends_on) - register}"
    if module.kinds != ["general"] or module.depends_on:
        assert module.sources, f"{path.name}: a module relying on law or guidance must list its sources"
    head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
    for retired in ("last_reviewed", "reviewer_role", "review_by"):
        assert retired not in head


def test_the_law_register_has_every_agreed_key():
    keys = [entry.key for entry in parse_law_register(CONTENT_DIR / "law_register.yaml")]
    assert set(keys) >= {
        "mha-1983",
        "mha-2025",
        "mca-2005",
        "care-act-2014",
        "nice-cg178",
        "nice-cg185",
        "nice-ng225",
        "nice-cg155",
        "nice-ng53",
        "nice-ng150",
        "info-sharing-consensus",
        "caldicott",
        "mhra-valproate",
        "rcrp",
        "childrens-act-1989",
        "equality-act-2010",
    }
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param(
            "- key: a\n  title: A\n  reference: A\n  url: https://a.org\n- key: a\n  title: B\n  reference: B\n  url: https://b.org\n",
            ["'a'", "twice"],
            id="key-twice",
        ),
        pytest.param("- key: a\n  title: A\n  reference: A\n", ["entry 1", "'url'"], id="no-url"),
        pytest.param(
            "- key: A B\n  title: A\n  reference: A\n  url: https://a.org\n", ["entry 1", "key"], id="bad-key"
        ),
        pytest.param(
            "- key: a\n  title: A\n  reference: A\n  url: http://a.org\n",
            ["entry 1", "https"],
            id="not-https",
        ),
    ],
)
def test_a_bad_law_register_is_refused_naming_the_entry(tmp_path, text, words):
    path = write(tmp_path, "law_register.yaml", text)
    with pytest.raises(ContentError) as raised:
        parse_law_register(path)
    assert all(word in str(raised.value) for word in words)


def test_a_module_depending_on_an_unregistered_entry_is_refused(tmp_path):
    write(tmp_path, "03-coping-at-home.md", module_text(depends_on="[nice-cg999]"))
    with pytest.raises(ContentError) as raised:
        parse_directory(tmp_path, {"nice-cg178"})
    assert "03-coping-at-home.md" in str(raised.value) and "'nice-cg999'" in str(raised.value)


def test_a_translation_must_need_the_same_reviews_as_its_english_module(tmp_path):
    write(tmp_path, "03-coping-at-home.md", module_text())
    write(
        tmp_path / "cy",
        "03-coping-at-home.md",
        module_text(kinds="[general]", translation_status="awaiting-review"),
    )
    with pytest.raises(ContentError) as raised:
        parse_translations(tmp_path, parse_directory(tmp_path))
    assert "cy/03-coping-at-home.md" in str(raised.value) and "'kinds'" in str(raised.value)
