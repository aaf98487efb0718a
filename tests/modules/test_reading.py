"""Reading modules: the list, progress, marking as done, the end page, usage events, staff access, queries."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import date, datetime

import pytest
from sqlalchemy import event, select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.modules import services
from react_toolkit.modules.models import Module, ModuleCompletion, Section, SectionProgress
from react_toolkit.resources.models import Resource
from react_toolkit.timeutil import now
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post
from tests.modules.conftest import CONTENT_DIR

MODULE_COUNT = len(list((CONTENT_DIR / "modules").glob("*.md")))
TAG = re.compile(r'<strong class="nhsuk-tag[^"]*">([^<]+)</strong>')


def module_by_slug(slug: str) -> Module:
    db.session.expire_all()
    return db.session.scalar(select(Module).where(Module.slug == slug))


def first_modules() -> list[Module]:
    return services.published_modules()


def tags(html: str) -> list[str]:
    return [tag.strip() for tag in TAG.findall(html)]


def read_module(client, module: Module) -> None:
    """View then mark as done every section, as a relative would."""
    count = len(module.sections)
    for number in range(1, count + 1):
        assert client.get(f"/modules/{module.slug}/{number}").status_code == 200
        response = post(
            client, f"/modules/{module.slug}/{number}/done", token_from=f"/modules/{module.slug}/{number}"
        )
        assert response.status_code == 302
        if number < count:
            assert response.headers["Location"] == f"/modules/{module.slug}/{number + 1}"
    assert response.headers["Location"] == f"/modules/{module.slug}/end"


def test_module_list_shows_every_module_not_started(content, client, create_user, login):
    login(create_user("relative"))
    response = client.get("/modules")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    modules = first_modules()
    assert len(modules) == MODULE_COUNT
    for module in modules:
        assert f'href="/modules/{module.slug}"' in html
    assert tags(html) == ["Not started"] * MODULE_COUNT
    assert "Continue where you left off" not in html


def test_viewing_a_section_shows_in_progress_and_a_continue_link(content, client, create_user, login):
    login(create_user("relative"))
    module = first_modules()[1]
    assert client.get(f"/modules/{module.slug}/2").status_code == 200
    html = client.get("/modules").get_data(as_text=True)
    assert tags(html) == ["Not started", "In progress"] + ["Not started"] * (MODULE_COUNT - 2)
    assert "0 of" in html
    link = re.search(r'<a class="nhsuk-action-link" href="([^"]+)">\s*<span[^>]*>([^<]+)</span>', html)
    assert link, "no continue link"
    assert link.group(1) == f"/modules/{module.slug}/2"
    assert "Continue where you left off" in link.group(2) and module.sections[1].title in link.group(2)


def test_marking_every_section_done_completes_the_module(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    modules = first_modules()
    module, following = modules[0], modules[1]
    read_module(client, module)

    db.session.expire_all()
    completion = db.session.scalar(
        select(ModuleCompletion).where(
            ModuleCompletion.user_id == relative.id, ModuleCompletion.module_id == module.id
        )
    )
    assert completion is not None
    done = db.session.scalars(
        select(SectionProgress).where(
            SectionProgress.user_id == relative.id, SectionProgress.completed_at.is_not(None)
        )
    ).all()
    assert len(done) == len(module.sections)

    html = client.get("/modules").get_data(as_text=True)
    assert tags(html)[0] == "Done" and tags(html)[1:] == ["Not started"] * (MODULE_COUNT - 1)

    end = client.get(f"/modules/{module.slug}/end")
    assert end.status_code == 200
    page = end.get_data(as_text=True)
    assert f'href="/modules/{following.slug}"' in page and following.title in page
    recommended = db.session.scalars(select(Resource).where(Resource.slug.in_(module.resource_slugs))).all()
    assert module.resource_slugs and len(recommended) == len(module.resource_slugs)
    for resource in recommended:
        assert resource.name in page
    assert page.count('href="/resources/?q=') == len(recommended)


def test_the_last_module_end_page_has_no_next_module(content, client, create_user, login):
    login(create_user("relative"))
    last = first_modules()[-1]
    page = client.get(f"/modules/{last.slug}/end").get_data(as_text=True)
    assert "This is the last module" in page and "Next module" not in page


def test_marking_done_twice_records_one_completion(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    module = first_modules()[2]
    read_module(client, module)
    post(client, f"/modules/{module.slug}/1/done", token_from=f"/modules/{module.slug}/1")
    db.session.expire_all()
    rows = db.session.scalars(select(ModuleCompletion).where(ModuleCompletion.user_id == relative.id)).all()
    assert len(rows) == 1
    completed = db.session.scalars(
        select(UsageEvent).where(
            UsageEvent.name == "modules.module.completed", UsageEvent.user_id == relative.id
        )
    ).all()
    assert len(completed) == 1


def test_progress_survives_signing_out_and_in(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    modules = first_modules()
    read_module(client, modules[0])
    client.get(f"/modules/{modules[3].slug}/1")
    assert post(client, "/sign-out").status_code == 302
    assert client.get("/modules").status_code == 302  # signed out: sent to sign in
    login(relative)
    html = client.get("/modules").get_data(as_text=True)
    states = tags(html)
    assert states[0] == "Done" and states[3] == "In progress"
    assert f'href="/modules/{modules[3].slug}/1"' in html


def test_usage_events_carry_ids_and_never_text(content, client, create_user, login, exercise_page):
    relative = create_user("relative")
    login(relative)
    slug, number, key = exercise_page
    answer = "My brother stopped sleeping and talked about the neighbours watching him"
    response = post(
        client,
        f"/modules/{slug}/{number}/exercises/{key}",
        {f"{key}-answer": answer, "action": "save"},
        token_from=f"/modules/{slug}/{number}",
    )
    assert response.status_code == 302
    module = module_by_slug(slug)
    read_module(client, module)

    db.session.expire_all()
    events = db.session.scalars(select(UsageEvent).where(UsageEvent.user_id == relative.id)).all()
    by_name: dict[str, list[UsageEvent]] = {}
    for row in events:
        by_name.setdefault(row.name, []).append(row)
    section_ids = {str(s.id) for s in module.sections}
    exercise = services.exercise_for(module, key)

    viewed = by_name["modules.section.viewed"]
    assert {(e.object_type, e.object_id) for e in viewed} == {("section", i) for i in section_ids}
    completed = by_name["modules.section.completed"]
    assert len(completed) == len(section_ids)
    assert {(e.object_type, e.object_id) for e in completed} == {("section", i) for i in section_ids}
    assert [(e.object_type, e.object_id) for e in by_name["modules.module.completed"]] == [
        ("module", str(module.id))
    ]
    assert [(e.object_type, e.object_id) for e in by_name["modules.exercise.saved"]] == [
        ("exercise", str(exercise.id))
    ]
    for row in by_name["modules.section.completed"] + by_name["modules.exercise.saved"]:
        assert row.roles == "relative" and row.site_id == relative.site_id and row.team_id == relative.team_id

    everything = db.session.scalars(select(UsageEvent)).all()
    forbidden = [answer, "neighbours", relative.email, relative.forum_name]
    for row in everything:
        for column in UsageEvent.__table__.columns:
            value = str(getattr(row, column.key))
            for text in forbidden:
                assert text not in value, f"{text!r} found in {row.name}.{column.key}"


def test_section_page_views_name_the_section(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    module = first_modules()[4]
    client.get(f"/modules/{module.slug}/3")
    db.session.expire_all()
    view = db.session.scalars(
        select(UsageEvent)
        .where(UsageEvent.name == "usage.page.viewed", UsageEvent.user_id == relative.id)
        .order_by(UsageEvent.id.desc())
    ).first()
    assert view.route == "/modules/<slug>/<int:number>"
    assert (view.object_type, view.object_id) == ("section", str(module.sections[2].id))
    assert module.slug not in view.route


@pytest.mark.parametrize("role", [R.CLINICIAN, R.SUPPORTER])
def test_staff_read_sections_but_have_no_personal_space(
    content, client, create_user, login, exercise_page, role
):
    staff = create_user(role)
    login(staff)
    slug, number, key = exercise_page
    page = client.get(f"/modules/{slug}/{number}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Something to think about" in html
    assert "Mark as done" not in html and f'name="{key}-answer"' not in html
    assert client.get("/modules").status_code == 200

    token_page = f"/modules/{slug}/{number}"
    assert post(client, f"/modules/{slug}/{number}/done", token_from=token_page).status_code == 403
    saved = post(
        client,
        f"/modules/{slug}/{number}/exercises/{key}",
        {f"{key}-answer": "staff text", "action": "save"},
        token_from=token_page,
    )
    assert saved.status_code == 403
    assert client.get("/toolbox").status_code == 403
    db.session.expire_all()
    assert db.session.scalars(select(SectionProgress).where(SectionProgress.user_id == staff.id)).all() == []
    assert (
        db.session.scalars(select(ModuleCompletion).where(ModuleCompletion.user_id == staff.id)).all() == []
    )


def test_relative_can_mark_done_but_clinician_cannot_for_same_section(
    content, client, create_user, login, app
):
    module = first_modules()[0]
    relative = create_user("relative")
    login(relative)
    assert (
        post(client, f"/modules/{module.slug}/1/done", token_from=f"/modules/{module.slug}/1").status_code
        == 302
    )
    other = app.test_client()
    login(create_user("clinician"), the_client=other)
    assert (
        post(other, f"/modules/{module.slug}/1/done", token_from=f"/modules/{module.slug}/1").status_code
        == 403
    )


@pytest.mark.parametrize(
    "path",
    [
        "/modules/{slug}/0",
        "/modules/{slug}/99",
        "/modules/no-such-module",
        "/modules/no-such-module/1",
        "/modules/no-such-module/end",
    ],
)
def test_unknown_module_or_section_number_is_404(content, client, create_user, login, path):
    login(create_user("relative"))
    slug = first_modules()[0].slug
    assert client.get(path.format(slug=slug)).status_code == 404


def test_marking_done_an_out_of_range_section_is_404(content, client, create_user, login):
    login(create_user("relative"))
    slug = first_modules()[0].slug
    assert post(client, f"/modules/{slug}/99/done", token_from=f"/modules/{slug}/1").status_code == 404


def test_a_withdrawn_module_is_404(content, client, create_user, login):
    login(create_user("relative"))
    module = first_modules()[0]
    module.published = False
    db.session.commit()
    assert client.get(f"/modules/{module.slug}").status_code == 404
    assert client.get(f"/modules/{module.slug}/1").status_code == 404
    assert f'href="/modules/{module.slug}"' not in client.get("/modules").get_data(as_text=True)


# Whether a module is overdue depends on the date; a refusal does not, so only the roles that
# see the page are run again at the awkward dates.
@pytest.mark.parametrize(
    ("roles", "allowed"),
    [
        pytest.param([R.SUPPORTER], True, marks=pytest.mark.dates),
        pytest.param([R.SITE_LEAD], True, marks=pytest.mark.dates),
        pytest.param([R.ADMIN], True, marks=pytest.mark.dates),
        ([R.RELATIVE], False),
        ([R.CLINICIAN], False),
        ([R.MODERATOR], False),
        ([R.RESEARCHER], False),
    ],
)
def test_content_status_lists_every_module_as_not_yet_checked_for_supporters_and_site_leads(
    content, client, create_user, login, roles, allowed
):
    login(create_user(roles=roles))
    response = client.get("/modules/content-status")
    if not allowed:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    modules = first_modules()
    assert all(module.title.replace("'", "&#39;") in html or module.title in html for module in modules)
    assert html.count("Not yet checked by a clinician") == len(modules)
    assert "Checked by" not in html


# Query counts -------------------------------------------------------------------------------


@contextmanager
def counting_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def query_count(client, path: str) -> int:
    with counting_queries() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


def add_modules(relative, number: int = 10, sections: int = 8) -> None:
    long_ago = datetime(2020, 1, 1, tzinfo=now().tzinfo)
    for index in range(number):
        module = Module(
            slug=f"extra-module-{index}",
            title=f"Extra module {index}",
            summary="An extra module for counting queries.",
            position=100 + index,
            estimated_minutes=10,
            author_role="Health information writer",
            written=date(2026, 1, 1),
            law_applies="not applicable",
            lived_experience="Not yet.",
            resource_slugs=["samaritans"],
            source_hash=f"{index:064d}",
            published=True,
        )
        module.sections = [
            Section(
                position=n,
                slug=f"part-{n}",
                title=f"Part {n}",
                parts=[{"type": "html", "html": "<p>Words.</p>"}],
                minutes=1,
            )
            for n in range(1, sections + 1)
        ]
        db.session.add(module)
        db.session.flush()
        for section in module.sections[: index % sections + 1]:
            db.session.add(
                SectionProgress(
                    user_id=relative.id,
                    module_id=module.id,
                    section_id=section.id,
                    first_viewed_at=long_ago,
                    last_viewed_at=long_ago,
                    completed_at=long_ago if index % 2 else None,
                )
            )
        if index % 3 == 0:
            db.session.add(ModuleCompletion(user_id=relative.id, module_id=module.id, completed_at=long_ago))
    db.session.commit()


def test_query_counts_do_not_grow_with_modules_or_progress(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    module = first_modules()[1]
    section_path = f"/modules/{module.slug}/2"
    # Warm up: progress rows exist and first-request work is done before counting.
    client.get(section_path)
    client.get("/modules")
    list_before = query_count(client, "/modules")
    section_before = query_count(client, section_path)

    add_modules(relative)
    html = client.get("/modules").get_data(as_text=True)
    assert "Extra module 9" in html and len(tags(html)) == MODULE_COUNT + 10

    assert query_count(client, "/modules") == list_before
    assert query_count(client, section_path) == section_before


def test_staff_module_list_query_count_does_not_grow_with_modules(content, client, create_user, login):
    staff = create_user(R.CLINICIAN)
    login(staff)
    client.get("/modules")
    before = query_count(client, "/modules")
    add_modules(create_user("relative"))
    assert "Extra module 9" in client.get("/modules").get_data(as_text=True)
    assert query_count(client, "/modules") == before
