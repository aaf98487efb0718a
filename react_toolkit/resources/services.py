"""Use cases for the resource directory: finding help, and keeping a site's entries current."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import yaml
from sqlalchemy import or_, select

from react_toolkit import signals
from react_toolkit.auth import roles as R
from react_toolkit.core.content import ContentError, load_yaml
from react_toolkit.extensions import db
from react_toolkit.resources.areas import parse_areas
from react_toolkit.resources.models import CATEGORIES, SUPPORT_KINDS, Resource, ResourceChange
from react_toolkit.timeutil import now

EDITABLE = (
    "name",
    "category",
    "description",
    "phone",
    "text_number",
    "email",
    "website",
    "opening_times",
    "accessibility",
)


def _visible(user):
    """National entries plus the person's own site's; admins see every site's."""
    query = select(Resource)
    if user.has_role(R.ADMIN):
        return query
    if user.site_id is None:
        return query.where(Resource.site_id.is_(None))
    return query.where(or_(Resource.site_id.is_(None), Resource.site_id == user.site_id))


def search(user, words: str = "", category: str = "", include_retired: bool = False) -> list[Resource]:
    """Entries this person may see, matching every word typed (in name or description)."""
    query = _visible(user)
    if not include_retired:
        query = query.where(Resource.retired_at.is_(None))
    if category:
        query = query.where(Resource.category == category)
    for word in words.split()[:8]:
        pattern = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Resource.name.ilike(pattern), Resource.description.ilike(pattern)))
    return list(db.session.scalars(query.order_by(Resource.site_id.is_(None), Resource.name)))


def by_slugs(user, slugs: list[str]) -> list[Resource]:
    """Recommended entries named by a module, in the module's order, leaving out retired ones."""
    if not slugs:
        return []
    rows = {
        r.slug: r
        for r in db.session.scalars(
            _visible(user).where(Resource.slug.in_(slugs), Resource.retired_at.is_(None))
        )
    }
    return [rows[slug] for slug in slugs if slug in rows]


def visible_resource(user, resource_id: int) -> Resource | None:
    """A current entry this person may see; retired entries cannot be visited or saved."""
    return db.session.scalar(_visible(user).where(Resource.id == resource_id, Resource.retired_at.is_(None)))


def visit(user, resource: Resource) -> str:
    """Record an outbound click (ids only) and give the address to send the person to."""
    signals.resource_visited.send(user, object_type="resource", object_id=resource.id)
    db.session.commit()
    return resource.website


def _record(user, resource: Resource, action: str, fields: list[str]) -> None:
    db.session.add(
        ResourceChange(resource_id=resource.id, user_id=user.id, action=action, fields=", ".join(fields))
    )
    signals.resource_changed.send(user, object_type="resource", object_id=resource.id)


def _columns(values: dict) -> dict[str, str]:
    """The form's values as the entry keeps them; areas and kinds of support as space-separated codes."""
    columns = {name: (values.get(name) or "").strip() for name in EDITABLE}
    columns["areas"] = " ".join(parse_areas(values.get("areas") or "")[0])
    chosen = set(values.get("support_kinds") or ())
    columns["support"] = " ".join(kind for kind in SUPPORT_KINDS if kind in chosen)
    return columns


def add_local(user, site_id: int, values: dict) -> Resource:
    """Add an entry for one site; the change is kept with who made it."""
    resource = Resource(site_id=site_id, **_columns(values))
    db.session.add(resource)
    db.session.flush()
    _record(user, resource, "added", [])
    db.session.commit()
    return resource


def edit_local(user, resource: Resource, values: dict) -> list[str]:
    """Change an entry; returns the fields that changed."""
    changed = []
    for name, value in _columns(values).items():
        if getattr(resource, name) != value:
            setattr(resource, name, value)
            changed.append(name)
    if changed:
        resource.updated_at = now()
        _record(user, resource, "edited", changed)
        db.session.commit()
    return changed


def set_retired(user, resource: Resource, retired: bool) -> None:
    """Retire an entry (relatives stop seeing it) or bring it back."""
    resource.retired_at = now() if retired else None
    resource.updated_at = now()
    _record(user, resource, "retired" if retired else "restored", [])
    db.session.commit()


# The national directory, shipped as data ---------------------------------------------------


def mark_checked(user, resource: Resource) -> ResourceChange:
    """Record that this person checked the entry's details today; who and when are kept, nothing else changes."""
    change = ResourceChange(resource_id=resource.id, user_id=user.id, action="checked", fields="")
    db.session.add(change)
    signals.resource_changed.send(user, object_type="resource", object_id=resource.id)
    db.session.commit()
    return change


def last_checked(resource_ids: list[int]) -> dict[int, ResourceChange]:
    """The latest 'details checked' record of each entry that has one."""
    if not resource_ids:
        return {}
    found: dict[int, ResourceChange] = {}
    for change in db.session.scalars(
        select(ResourceChange)
        .where(ResourceChange.resource_id.in_(resource_ids), ResourceChange.action == "checked")
        .order_by(ResourceChange.changed_at.desc(), ResourceChange.id.desc())
    ):
        found.setdefault(change.resource_id, change)
    return found


def sync_national_resources(path: Path) -> tuple[int, int]:
    """Bring the national entries in line with the shipped file, logging each change; the caller commits.

    Returns how many entries were added and how many updated.
    """
    added = updated = 0
    if not path.exists():
        return added, updated
    try:
        entries = load_yaml(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as error:
        raise ContentError(f"{path.name}: not valid YAML ({error})") from error
    existing = {r.slug: r for r in db.session.scalars(select(Resource).where(Resource.site_id.is_(None)))}
    for number, entry in enumerate(entries, start=1):
        for name in ("slug", "name", "category", "description"):
            if not isinstance(entry, dict) or not entry.get(name):
                raise ContentError(f"{path.name}: entry {number}: field '{name}' is missing")
        if entry["category"] not in CATEGORIES:
            raise ContentError(
                f"{path.name}: entry {number}: field 'category' has unknown value {entry['category']!r}"
            )
        written = entry.get("details_written")
        if written is not None and not (isinstance(written, date) and not isinstance(written, datetime)):
            raise ContentError(
                f"{path.name}: entry {number}: field 'details_written' must be a date like 2026-12-07"
            )
        reason = entry.get("not_linked_because")
        if reason is not None and not (isinstance(reason, str) and reason.strip()):
            raise ContentError(
                f"{path.name}: entry {number}: field 'not_linked_because' must say why, in words"
            )
        support = entry.get("support") or []
        unknown = (
            [kind for kind in support if kind not in SUPPORT_KINDS] if isinstance(support, list) else support
        )
        if unknown:
            raise ContentError(f"{path.name}: entry {number}: field 'support' has unknown value {unknown!r}")
        values = {
            "details_written": written,
            "name": entry["name"],
            "category": entry["category"],
            "description": " ".join(str(entry["description"]).split()),
            "phone": str(entry.get("phone") or ""),
            "text_number": str(entry.get("text") or ""),
            "email": str(entry.get("email") or ""),
            "website": str(entry.get("website") or ""),
            "opening_times": str(entry.get("opening_times") or ""),
            "accessibility": str(entry.get("accessibility") or ""),
            "support": " ".join(kind for kind in SUPPORT_KINDS if kind in support),
        }
        resource = existing.get(entry["slug"])
        if resource is None:
            resource = Resource(slug=entry["slug"], site_id=None, **values)
            db.session.add(resource)
            db.session.flush()
            db.session.add(ResourceChange(resource_id=resource.id, action="added", fields="from content"))
            added += 1
            continue
        changed = [name for name, value in values.items() if getattr(resource, name) != value]
        if changed:
            for name in changed:
                setattr(resource, name, values[name])
            resource.updated_at = now()
            db.session.add(
                ResourceChange(resource_id=resource.id, action="synced", fields=", ".join(changed))
            )
            updated += 1
    return added, updated
