"""Reading module files: front matter checked field by field, the body split into sections and blocks.

Translations live beside the English files, one folder per language (`content/modules/cy/*.md`), with
the same front matter and slugs, the same sections in the same order and the same exercise ids, so
that a reader's progress and answers hold whichever language they read in. A translation may say
`translation_status: awaiting-review` until a clinician who speaks the language has checked it.

The body is Markdown (raw HTML off) rendered and sanitised by react_toolkit.text;
the few wrappers for key points and stories are written here, around that output.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from flask_babel import force_locale, gettext
from markupsafe import escape

from react_toolkit.core.content import ContentError, SafeLoader, load_yaml
from react_toolkit.text import render_markdown

WORDS_PER_MINUTE = 200
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BLOCK_START = re.compile(r"^:::\s*(key-points|story|exercise)\b\s*(.*)$")
REQUIRED = {
    "slug": str,
    "title": str,
    "summary": str,
    "order": int,
    "estimated_minutes": int,
    "author_role": str,
    "written": date,
    "law_applies": str,
    "lived_experience": str,
}
# Lists every module must carry, even if empty ("sources: []" says plainly that none are cited).
REQUIRED_LISTS = ("kinds", "depends_on", "sources")
OPTIONAL = ("updated", "resources", "translation_status")
# A file may say only what its author can truthfully say: a clinical review is recorded in the service
# by the reviewer, never claimed in the file.
RETIRED = ("last_reviewed", "reviewer_role", "review_by")

# What a module is about decides which reviewers it needs (see react_toolkit.reviews).
KINDS = ("general", "medicines", "law", "confidentiality")
LAW_APPLIES = ("England and Wales", "England", "not applicable")
URL = re.compile(r"^https://[^\s/$.?#][^\s]*$")


TRANSLATION_LANGUAGES = ("cy",)
TRANSLATION_STATUSES = ("awaiting-review", "reviewed")


class _TextDatesLoader(SafeLoader):
    """Leaves dates as text, so a bad date is reported against its own field."""


_TextDatesLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class ExerciseData:
    key: str
    prompt: str


@dataclass
class SectionData:
    title: str
    slug: str
    parts: list[dict] = field(default_factory=list)
    words: int = 0
    exercises: list[ExerciseData] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return max(1, round(self.words / WORDS_PER_MINUTE))


@dataclass
class ModuleData:
    path: Path
    slug: str
    title: str
    summary: str
    order: int
    estimated_minutes: int
    author_role: str
    written: date
    law_applies: str
    lived_experience: str
    kinds: list[str]
    depends_on: list[str]
    sources: list[dict]
    resources: list[str]
    sections: list[SectionData]
    source_hash: str
    plain_text: str
    updated: date | None = None
    translation_status: str | None = None


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100] or "section"


def _front_matter(path: Path, text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        raise ContentError(f"{path.name}: the file must start with front matter between '---' lines")
    try:
        _, head, body = text.split("---\n", 2)
    except ValueError as error:
        raise ContentError(f"{path.name}: the front matter has no closing '---' line") from error
    try:
        meta = yaml.load(head, Loader=_TextDatesLoader) or {}  # noqa: S506 - a SafeLoader subclass  # nosec B506
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: the front matter is not valid YAML ({error})") from error
    if not isinstance(meta, dict):
        raise ContentError(f"{path.name}: the front matter must be a list of 'field: value' lines")
    return meta, body


def _as_date(path: Path, name: str, value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ContentError(
            f"{path.name}: field '{name}' must be a real date like 2026-11-01, not {value!r}"
        ) from error


def _check_sources(path: Path, sources: object) -> None:
    if not isinstance(sources, list):
        raise ContentError(
            f"{path.name}: field 'sources' must be a list of sources, each with a title and url"
        )
    for number, source in enumerate(sources, start=1):
        where = f"{path.name}: field 'sources', source {number}"
        if not isinstance(source, dict):
            raise ContentError(f"{where} must have a title and a url")
        unknown = set(source) - {"title", "reference", "url"}
        if unknown:
            raise ContentError(f"{where}: '{sorted(unknown)[0]}' is not a known field")
        for name in ("title", "url"):
            if not isinstance(source.get(name), str) or not source[name].strip():
                raise ContentError(f"{where} has no {name}")
        if not URL.match(source["url"]):
            raise ContentError(f"{where}: the url must start with https:// ({source['url']!r})")
        if "reference" in source and not (
            isinstance(source["reference"], str) and source["reference"].strip()
        ):
            raise ContentError(f"{where}: the reference must be text, like NICE CG178")


def _check_meta(path: Path, meta: dict) -> None:
    for name in RETIRED:
        if name in meta:
            raise ContentError(
                f"{path.name}: field '{name}' is no longer allowed: a clinical review is recorded in the "
                "service by the person who did it, never claimed in the module file"
            )
    for name, kind in REQUIRED.items():
        if name not in meta or meta[name] in (None, ""):
            raise ContentError(f"{path.name}: field '{name}' is missing")
        value = meta[name]
        if kind is int and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
            raise ContentError(f"{path.name}: field '{name}' must be a whole number, not {value!r}")
        if kind is date:
            meta[name] = _as_date(path, name, value)
        if kind is str and not isinstance(value, str):
            raise ContentError(f"{path.name}: field '{name}' must be text, not {value!r}")
    for name in REQUIRED_LISTS:
        if name not in meta or meta[name] is None:
            raise ContentError(
                f"{path.name}: field '{name}' is missing (write '{name}: []' if there are none)"
            )
    if not SLUG.match(meta["slug"]):
        raise ContentError(f"{path.name}: field 'slug' must be lower-case letters, digits and hyphens")
    if meta.get("updated") is not None:
        meta["updated"] = _as_date(path, "updated", meta["updated"])
        if meta["updated"] < meta["written"]:
            raise ContentError(f"{path.name}: field 'updated' is before 'written'")
    if meta["law_applies"] not in LAW_APPLIES:
        raise ContentError(f"{path.name}: field 'law_applies' must be one of: {'; '.join(LAW_APPLIES)}")
    kinds = meta["kinds"]
    if not isinstance(kinds, list) or not kinds or not all(kind in KINDS for kind in kinds):
        raise ContentError(f"{path.name}: field 'kinds' must be a list of one or more of: {', '.join(KINDS)}")
    if len(set(kinds)) != len(kinds):
        raise ContentError(f"{path.name}: field 'kinds' names a kind twice")
    for name in ("resources", "depends_on"):
        values = meta.get(name, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and SLUG.match(v) for v in values):
            raise ContentError(
                f"{path.name}: field '{name}' must be a list of slugs (lower case and hyphens)"
            )
    _check_sources(path, meta["sources"])
    status = meta.get("translation_status")
    if status is not None and status not in TRANSLATION_STATUSES:
        raise ContentError(
            f"{path.name}: field 'translation_status' must be one of {', '.join(TRANSLATION_STATUSES)}"
        )
    unknown = set(meta) - set(REQUIRED) - set(REQUIRED_LISTS) - set(OPTIONAL)
    if unknown:
        raise ContentError(f"{path.name}: field '{sorted(unknown)[0]}' is not a known field")


def _render_block(kind: str, argument: str, lines: list[str]) -> dict:
    body = "\n".join(lines).strip()
    if kind == "key-points":
        heading = escape(gettext("Key points"))
        html = (
            '<div class="nhsuk-card react-key-points"><div class="nhsuk-card__content">'
            f'<h2 class="nhsuk-card__heading nhsuk-heading-m">{heading}</h2>'
            f"{render_markdown(body)}</div></div>"
        )
        return {"type": "html", "html": html}
    if kind == "story":
        title = str(escape(argument or gettext("A relative's story")))
        label = escape(gettext("This story is invented, from what many relatives tell us."))
        html = (
            f'<aside class="nhsuk-inset-text react-story" aria-label="{title}">'
            f'<h2 class="nhsuk-heading-s">{title}</h2>'
            f'<p class="react-story__label">{label}</p>'
            f"{render_markdown(body)}</aside>"
        )
        return {"type": "html", "html": html}
    return {
        "type": "exercise",
        "key": argument.strip(),
        "prompt_html": str(render_markdown(body)),
        "prompt": body,
    }


def _split_sections(path: Path, body: str) -> list[SectionData]:
    sections: list[SectionData] = []
    current: SectionData | None = None
    markdown: list[str] = []
    block: tuple[str, str, list[str]] | None = None
    seen_keys: set[str] = set()

    def flush_markdown() -> None:
        text = "\n".join(markdown).strip()
        if text and current is not None:
            current.parts.append({"type": "html", "html": str(render_markdown(text, heading_offset=-1))})
            current.words += len(text.split())
        markdown.clear()

    for number, line in enumerate(body.splitlines(), start=1):
        if block is not None:
            if line.strip() == ":::":
                kind, argument, lines = block
                part = _render_block(kind, argument, lines)
                if part["type"] == "exercise":
                    key = part["key"]
                    if not SLUG.match(key):
                        raise ContentError(
                            f"{path.name}: line {number}: exercise id '{key}' must be lower case and hyphens"
                        )
                    if key in seen_keys:
                        raise ContentError(f"{path.name}: line {number}: exercise id '{key}' is used twice")
                    seen_keys.add(key)
                    current.exercises.append(ExerciseData(key=key, prompt=part.pop("prompt")))
                current.parts.append(part)
                current.words += sum(len(text.split()) for text in lines)
                block = None
            else:
                block[2].append(line)
            continue
        if line.startswith("## "):
            flush_markdown()
            title = line[3:].strip()
            current = SectionData(title=title, slug=_slugify(title))
            sections.append(current)
            continue
        match = BLOCK_START.match(line.strip())
        if match:
            if current is None:
                raise ContentError(f"{path.name}: line {number}: a block must be inside a '## ' section")
            flush_markdown()
            block = (match.group(1), match.group(2).strip(), [])
            continue
        if current is None:
            if line.strip():
                raise ContentError(f"{path.name}: line {number}: text before the first '## ' section heading")
            continue
        markdown.append(line)
    if block is not None:
        raise ContentError(f"{path.name}: a '::: {block[0]}' block is never closed with ':::'")
    flush_markdown()
    if not sections:
        raise ContentError(f"{path.name}: the module has no '## ' sections")
    return sections


def _plain(body: str) -> str:
    return "\n".join(line for line in body.splitlines() if not line.startswith(":::"))


def parse_module(path: Path) -> ModuleData:
    """Read one module file, or raise ContentError naming the file and the problem."""
    text = path.read_text(encoding="utf-8")
    meta, body = _front_matter(path, text)
    _check_meta(path, meta)
    return ModuleData(
        path=path,
        slug=meta["slug"],
        title=meta["title"],
        summary=meta["summary"],
        order=meta["order"],
        estimated_minutes=meta["estimated_minutes"],
        author_role=meta["author_role"],
        written=meta["written"],
        updated=meta.get("updated"),
        law_applies=meta["law_applies"],
        lived_experience=meta["lived_experience"],
        kinds=list(meta["kinds"]),
        depends_on=list(meta["depends_on"]),
        sources=[dict(source) for source in meta["sources"]],
        resources=list(meta.get("resources", [])),
        sections=_split_sections(path, body),
        source_hash=hashlib.sha256(text.encode()).hexdigest(),
        plain_text=_plain(body),
        translation_status=meta.get("translation_status"),
    )


@dataclass
class RegisterEntry:
    key: str
    title: str
    reference: str
    url: str


def parse_law_register(path: Path) -> list[RegisterEntry]:
    """The law and guidance the modules depend on (content/law_register.yaml), or ContentError naming the entry."""
    try:
        rows = load_yaml(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML ({error})") from error
    if not isinstance(rows, list):
        raise ContentError(f"{path.name}: must be a list of entries")
    entries: list[RegisterEntry] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=1):
        where = f"{path.name}: entry {number}"
        if not isinstance(row, dict):
            raise ContentError(f"{where} must have a key, title, reference and url")
        unknown = set(row) - {"key", "title", "reference", "url"}
        if unknown:
            raise ContentError(f"{where}: '{sorted(unknown)[0]}' is not a known field")
        for name in ("key", "title", "reference", "url"):
            if not isinstance(row.get(name), str) or not row[name].strip():
                raise ContentError(f"{where}: field '{name}' is missing")
        if not SLUG.match(row["key"]):
            raise ContentError(f"{where}: the key must be lower case and hyphens, not {row['key']!r}")
        if row["key"] in seen:
            raise ContentError(f"{where}: the key {row['key']!r} is used twice")
        if not URL.match(row["url"]):
            raise ContentError(f"{where}: the url must start with https://")
        seen.add(row["key"])
        entries.append(RegisterEntry(row["key"], row["title"], row["reference"], row["url"]))
    return entries


def check_depends_on(modules: list[ModuleData], register_keys: set[str], prefix: str = "") -> None:
    """Every `depends_on` key must be in the law-and-guidance register."""
    for module in modules:
        for key in module.depends_on:
            if key not in register_keys:
                raise ContentError(
                    f"{prefix}{module.path.name}: field 'depends_on' names {key!r}, "
                    "which is not in the law and guidance register"
                )


def parse_directory(directory: Path, register_keys: set[str] | None = None) -> list[ModuleData]:
    """Every module in a folder, checked together: slugs and orders must be unique, dependencies registered."""
    with force_locale("en"):
        modules = [parse_module(path) for path in sorted(directory.glob("*.md"))]
    if register_keys is not None:
        check_depends_on(modules, register_keys)
    for attribute in ("slug", "order"):
        seen: dict = {}
        for module in modules:
            value = getattr(module, attribute)
            if value in seen:
                raise ContentError(
                    f"{module.path.name}: field '{attribute}' repeats {seen[value]} ({value!r})"
                )
            seen[value] = module.path.name
    return modules


def _shape(module: ModuleData) -> list[list[str]]:
    return [[exercise.key for exercise in section.exercises] for section in module.sections]


def parse_translations(directory: Path, english: list[ModuleData]) -> dict[str, list[ModuleData]]:
    """Each language folder's modules, checked against the English ones they translate."""
    originals = {module.slug: module for module in english}
    found: dict[str, list[ModuleData]] = {}
    for language in TRANSLATION_LANGUAGES:
        folder = directory / language
        if not folder.is_dir():
            continue
        # The few words the loader adds (the "Key points" heading, the story label) in the module's language.
        with force_locale(language):
            modules = [parse_module(path) for path in sorted(folder.glob("*.md"))]
        for module in modules:
            original = originals.get(module.slug)
            name = f"{language}/{module.path.name}"
            if original is None:
                raise ContentError(f"{name}: there is no English module with the slug {module.slug!r}")
            if len(module.sections) != len(original.sections):
                raise ContentError(
                    f"{name}: has {len(module.sections)} sections, the English module "
                    f"{len(original.sections)}; translate every section, in the same order"
                )
            for attribute in ("kinds", "depends_on", "law_applies", "written"):
                if getattr(module, attribute) != getattr(original, attribute):
                    raise ContentError(
                        f"{name}: field '{attribute}' must be the same as in the English module "
                        f"({getattr(original, attribute)!r})"
                    )
            if _shape(module) != _shape(original):
                raise ContentError(
                    f"{name}: the exercise ids must be the English module's, in the same sections"
                )
        found[language] = modules
    return found
