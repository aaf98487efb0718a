"""Use cases for clinical content review: recording reviews, what each module still needs, law changes, feedback."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from react_toolkit import signals
from react_toolkit.config import BASE_DIR
from react_toolkit.core.refusal import Refusal
from react_toolkit.extensions import db
from react_toolkit.modules.content import RegisterEntry, parse_law_register
from react_toolkit.modules.models import Module
from react_toolkit.reviews.models import LawChange, ModuleReview, PageFeedback
from react_toolkit.timeutil import today

REGISTER_PATH = BASE_DIR / "content" / "law_register.yaml"
COMMENT_MAX = 2000
TEXT_MAX = 5000

REVIEWER_KINDS = {
    "eip-clinician": _l("Clinician from the EIP team"),
    "pharmacist": _l("Mental health pharmacist"),
    "amhp": _l("AMHP or Mental Health Act lead"),
    "caldicott-guardian": _l("Caldicott Guardian"),
}
# Every module needs a clinician from the EIP team; its kinds add the specialists it needs.
ALWAYS_NEEDED = ("eip-clinician",)
NEEDED_BY_KIND = {
    "general": (),
    "medicines": ("pharmacist",),
    "law": ("amhp",),
    "confidentiality": ("amhp", "caldicott-guardian"),
}
REGISTRATION_BODIES = {
    "GMC": _l("General Medical Council (GMC)"),
    "NMC": _l("Nursing and Midwifery Council (NMC)"),
    "GPhC": _l("General Pharmaceutical Council (GPhC)"),
    "HCPC": _l("Health and Care Professions Council (HCPC)"),
    "SWE": _l("Social Work England"),
    "SCW": _l("Social Care Wales"),
    "none": _l("Not registered with a professional body"),
}


class ReviewError(Refusal):
    """Refused by this feature's rules."""


def needed_reviewers(module: Module) -> list[str]:
    """The kinds of reviewer a module needs, in a stable order."""
    wanted = set(ALWAYS_NEEDED)
    for kind in module.kinds or []:
        wanted.update(NEEDED_BY_KIND.get(kind, ()))
    return [kind for kind in REVIEWER_KINDS if kind in wanted]


def register() -> list[RegisterEntry]:
    """The law-and-guidance register, as shipped."""
    return parse_law_register(REGISTER_PATH)


def published_module(slug: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.slug == slug, Module.published.is_(True)))


# Reviews ------------------------------------------------------------------------------------


def record_review(reviewer, module: Module, values: dict) -> ModuleReview:
    """Keep a review as its reviewer describes it, for the version of the module they read."""
    if values.get("module_hash") != module.source_hash:
        raise ReviewError(
            _l(
                "This module changed after you opened the form. Read the new version, then record your review."
            ),
            "module_hash",
            409,
        )
    if values["reviewer_kind"] not in REVIEWER_KINDS:
        raise ReviewError(_l("Choose what kind of reviewer you are"), "reviewer_kind")
    body = values["registration_body"]
    if body not in REGISTRATION_BODIES:
        raise ReviewError(_l("Choose the body you are registered with"), "registration_body")
    number = (values.get("registration_number") or "").strip()
    if body != "none" and not number:
        raise ReviewError(_l("Enter your registration number"), "registration_number")
    if body == "none" and number:
        raise ReviewError(
            _l("Leave the registration number empty, or choose the body it is with"), "registration_number"
        )
    if values["reviewed_on"] > today():
        raise ReviewError(_l("The date you checked the module must be today or in the past"), "reviewed_on")
    review = ModuleReview(
        module_id=module.id,
        reviewer_id=reviewer.id,
        reviewer_name=values["reviewer_name"].strip(),
        professional_role=values["professional_role"].strip(),
        reviewer_kind=values["reviewer_kind"],
        registration_body=body,
        registration_number=number,
        reviewed_on=values["reviewed_on"],
        module_hash=module.source_hash,
        checked=values["checked"].strip(),
        conditions=(values.get("conditions") or "").strip(),
    )
    db.session.add(review)
    db.session.flush()
    signals.module_review_recorded.send(reviewer, object_type="module", object_id=module.id)
    db.session.commit()
    return review


@dataclass
class ModuleStatus:
    """What is known about one module's clinical review, in the light of its current text."""

    module: Module
    current: list[ModuleReview] = field(default_factory=list)  # of this version, newest first
    older: list[ModuleReview] = field(default_factory=list)  # of earlier versions, newest first
    needed: list[str] = field(default_factory=list)
    law_changes: list[LawChange] = field(default_factory=list)  # changed since the last review

    @property
    def latest(self) -> ModuleReview | None:
        return self.current[0] if self.current else None

    @property
    def latest_older(self) -> ModuleReview | None:
        return self.older[0] if self.older else None

    @property
    def missing(self) -> list[str]:
        done = {review.reviewer_kind for review in self.current}
        return [kind for kind in self.needed if kind not in done]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.law_changes


def statuses(modules: list[Module]) -> dict[int, ModuleStatus]:
    """Each module's reviews, missing reviewer kinds and law changes since its last review, in three queries."""
    found = {module.id: ModuleStatus(module, needed=needed_reviewers(module)) for module in modules}
    if not found:
        return found
    rows = db.session.scalars(
        select(ModuleReview)
        .where(ModuleReview.module_id.in_(found))
        .order_by(ModuleReview.reviewed_on.desc(), ModuleReview.recorded_at.desc(), ModuleReview.id.desc())
    )
    last_recorded: dict[int, object] = {}
    for review in rows:
        status = found[review.module_id]
        (status.current if review.module_hash == status.module.source_hash else status.older).append(review)
        seen = last_recorded.get(review.module_id)
        if seen is None or review.recorded_at > seen:
            last_recorded[review.module_id] = review.recorded_at
    keys = {key for module in modules for key in (module.depends_on or [])}
    changes: dict[str, list[LawChange]] = defaultdict(list)
    if keys:
        for change in db.session.scalars(
            select(LawChange).where(LawChange.entry_key.in_(keys)).order_by(LawChange.recorded_at.desc())
        ):
            changes[change.entry_key].append(change)
    for status in found.values():
        # A change noted at the very moment of a review counts as after it: only a later review clears it.
        since = last_recorded.get(status.module.id)
        for key in status.module.depends_on or []:
            status.law_changes.extend(
                c for c in changes.get(key, []) if since is None or c.recorded_at >= since
            )
    return found


def status_of(module: Module) -> ModuleStatus:
    return statuses([module])[module.id]


# The law-and-guidance register --------------------------------------------------------------


def mark_changed(admin, key: str, changed_on: date, note: str) -> LawChange:
    """Note that a law or guideline changed: every module that depends on it is flagged until reviewed again."""
    if key not in {entry.key for entry in register()}:
        raise ReviewError(_l("That law or guideline is not in the register"), None, 404)
    if changed_on > today():
        raise ReviewError(_l("The date it changed must be today or in the past"), "changed_on")
    change = LawChange(entry_key=key, changed_on=changed_on, note=note.strip(), recorded_by_id=admin.id)
    db.session.add(change)
    db.session.flush()
    signals.law_change_recorded.send(admin, object_type="law_entry", object_id=key)
    db.session.commit()
    return change


def changes_by_key() -> dict[str, list[LawChange]]:
    found: dict[str, list[LawChange]] = defaultdict(list)
    for change in db.session.scalars(select(LawChange).order_by(LawChange.recorded_at.desc())):
        found[change.entry_key].append(change)
    return found


def dependants(modules: list[Module]) -> dict[str, list[Module]]:
    """For each register key, the published modules that depend on it."""
    found: dict[str, list[Module]] = defaultdict(list)
    for module in modules:
        for key in module.depends_on or []:
            found[key].append(module)
    return found


# "Was this page helpful?" --------------------------------------------------------------------


def give_feedback(
    user, module: Module, section_position: int | None, helpful: bool, comment: str
) -> PageFeedback:
    """Keep a reader's answer; the event says only yes or no, never the comment."""
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ReviewError(_l("Your comment must be %(max)s characters or fewer", max=COMMENT_MAX), "comment")
    row = PageFeedback(
        module_id=module.id,
        section_position=section_position,
        user_id=user.id,
        helpful=helpful,
        comment=comment,
    )
    db.session.add(row)
    db.session.flush()
    signal = signals.page_found_helpful if helpful else signals.page_found_unhelpful
    signal.send(user, object_type="module", object_id=module.id)
    db.session.commit()
    return row


@dataclass
class FeedbackSummary:
    module: Module
    helpful: int = 0
    unhelpful: int = 0
    comments: list[PageFeedback] = field(default_factory=list)


def feedback_summary(modules: list[Module], comments_per_module: int = 50) -> list[FeedbackSummary]:
    """Counts of yes and no for each module, and its latest comments."""
    found = {module.id: FeedbackSummary(module) for module in modules}
    if not found:
        return []
    for module_id, helpful, count in db.session.execute(
        select(PageFeedback.module_id, PageFeedback.helpful, func.count())
        .where(PageFeedback.module_id.in_(found))
        .group_by(PageFeedback.module_id, PageFeedback.helpful)
    ):
        if helpful:
            found[module_id].helpful = count
        else:
            found[module_id].unhelpful = count
    for row in db.session.scalars(
        select(PageFeedback)
        .where(PageFeedback.module_id.in_(found), PageFeedback.comment != "")
        .order_by(PageFeedback.created_at.desc(), PageFeedback.id.desc())
    ):
        summary = found[row.module_id]
        if len(summary.comments) < comments_per_module:
            summary.comments.append(row)
    return list(found.values())
