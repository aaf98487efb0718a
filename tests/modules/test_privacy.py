"""Private things: exercise answers and the toolbox belong to one relative, and no one else sees them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.modules.models import ExerciseAnswer, Module, Section, ToolboxItem
from react_toolkit.resources.models import Resource
from tests.conftest import post

STAFF_ROLES = [R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER, R.ADMIN]
SECRET = "I feel angry with my son and I have not told anyone"


def answers_of(user) -> list[ExerciseAnswer]:
    db.session.expire_all()
    return list(db.session.scalars(select(ExerciseAnswer).where(ExerciseAnswer.user_id == user.id)))


def save(client, slug: str, number: int, key: str, text: str, action: str = "save"):
    return post(
        client,
        f"/modules/{slug}/{number}/exercises/{key}",
        {f"{key}-answer": text, "action": action},
        token_from=f"/modules/{slug}/{number}",
    )


def textarea_value(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{re.escape(name)}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    return match.group(1).strip()


# Exercise answers ---------------------------------------------------------------------------


def test_relative_saves_edits_and_deletes_an_answer(content, client, create_user, login, exercise_page):
    relative = create_user("relative")
    login(relative)
    slug, number, key = exercise_page

    response = save(client, slug, number, key, SECRET)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/modules/{slug}/{number}#exercise-{key}"
    [answer] = answers_of(relative)
    assert answer.text == SECRET
    page = client.get(f"/modules/{slug}/{number}").get_data(as_text=True)
    assert textarea_value(page, f"{key}-answer") == SECRET
    assert 'value="delete"' in page

    assert save(client, slug, number, key, "  Less angry now.  ").status_code == 302
    [edited] = answers_of(relative)
    assert edited.id == answer.id and edited.text == "Less angry now."
    assert edited.updated_at >= edited.created_at

    assert save(client, slug, number, key, "", action="delete").status_code == 302
    assert answers_of(relative) == []
    page = client.get(f"/modules/{slug}/{number}").get_data(as_text=True)
    assert textarea_value(page, f"{key}-answer") == "" and 'value="delete"' not in page


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_empty_answer_is_refused_next_to_the_field(content, client, create_user, login, exercise_page, text):
    relative = create_user("relative")
    login(relative)
    slug, number, key = exercise_page
    response = save(client, slug, number, key, text)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    message = "Write something before you save"
    error = re.search(
        rf'<span class="nhsuk-error-message" id="{key}-answer-error">.*?Error: </span>(.*?)</span>',
        html,
        re.S,
    )
    assert error, "no error message next to the field"
    assert message in error.group(1)
    assert f'aria-describedby="{key}-answer-error"' in html
    assert f'href="#{key}-answer"' in html  # the summary links to the field
    assert answers_of(relative) == []


def test_too_long_answer_is_refused_and_kept_in_the_form(content, client, create_user, login, exercise_page):
    relative = create_user("relative")
    login(relative)
    slug, number, key = exercise_page
    text = "I worry. " * 600
    response = save(client, slug, number, key, text)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "5000 characters or fewer" in html
    assert textarea_value(html, f"{key}-answer") == text.strip()
    assert answers_of(relative) == []


def test_another_relative_never_sees_the_answer(content, app, client, create_user, login, exercise_page):
    first = create_user("relative")
    login(first)
    slug, number, key = exercise_page
    assert save(client, slug, number, key, SECRET).status_code == 302

    other_client = app.test_client()
    second = create_user("relative", team=first.team)
    login(second, the_client=other_client)
    page = other_client.get(f"/modules/{slug}/{number}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert SECRET not in html
    assert textarea_value(html, f"{key}-answer") == ""

    assert save(other_client, slug, number, key, "My own answer").status_code == 302
    assert [a.text for a in answers_of(first)] == [SECRET]
    assert [a.text for a in answers_of(second)] == ["My own answer"]
    assert "My own answer" not in client.get(f"/modules/{slug}/{number}").get_data(as_text=True)


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_never_see_answers_and_cannot_post_them(
    content, app, client, create_user, login, exercise_page, role
):
    relative = create_user("relative")
    login(relative)
    slug, number, key = exercise_page
    assert save(client, slug, number, key, SECRET).status_code == 302

    staff_client = app.test_client()
    same_team = role not in (R.RESEARCHER, R.ADMIN)
    staff = create_user(role, team=relative.team) if same_team else create_user(role)
    login(staff, the_client=staff_client)
    page = staff_client.get(f"/modules/{slug}/{number}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert SECRET not in html and f'name="{key}-answer"' not in html

    response = save(staff_client, slug, number, key, "Staff writing here")
    assert response.status_code == 403
    deleted = save(staff_client, slug, number, key, "", action="delete")
    assert deleted.status_code == 403
    assert [a.text for a in answers_of(relative)] == [SECRET]
    assert answers_of(staff) == []


def test_answer_to_an_exercise_in_another_section_is_404(content, client, create_user, login, exercise_page):
    relative = create_user("relative")
    login(relative)
    slug, number, key = exercise_page
    module = db.session.scalar(select(Module).where(Module.slug == slug))
    wrong = 1 if number != 1 else 2
    assert save(client, slug, wrong, key, "Somewhere else").status_code == 404
    assert save(client, slug, number, "no-such-exercise", "Nowhere").status_code == 404
    assert len(module.sections) >= 2 and answers_of(relative) == []


# Toolbox ------------------------------------------------------------------------------------


def items_of(user) -> list[ToolboxItem]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ToolboxItem).where(ToolboxItem.user_id == user.id).order_by(ToolboxItem.position)
        )
    )


def fill_toolbox(client) -> tuple[Section, Resource]:
    section = db.session.scalar(select(Section).order_by(Section.id).limit(1))
    resource = db.session.scalar(select(Resource).where(Resource.slug == "samaritans"))
    assert post(client, f"/toolbox/sections/{section.id}", token_from="/toolbox").status_code == 302
    assert post(client, f"/toolbox/resources/{resource.id}", token_from="/toolbox").status_code == 302
    response = post(
        client,
        "/toolbox/notes",
        {"title": "Questions", "text": "Ask about side effects"},
        token_from="/toolbox",
    )
    assert response.status_code == 302
    return section, resource


def test_save_section_resource_and_note_then_reorder_and_remove(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    section, resource = fill_toolbox(client)
    items = items_of(relative)
    assert [i.kind for i in items] == ["section", "resource", "note"]
    assert (items[0].section_id, items[1].resource_id, items[2].note_text) == (
        section.id,
        resource.id,
        "Ask about side effects",
    )
    html = client.get("/toolbox").get_data(as_text=True)
    assert html.index(section.title) < html.index(resource.name) < html.index("Ask about side effects")

    # Saving the same section again keeps one copy.
    post(client, f"/toolbox/sections/{section.id}", token_from="/toolbox")
    assert len(items_of(relative)) == 3

    note = items[2]
    assert (
        post(client, f"/toolbox/{note.id}/move", {"direction": "up"}, token_from="/toolbox").status_code
        == 302
    )
    assert [i.kind for i in items_of(relative)] == ["section", "note", "resource"]
    assert (
        post(client, f"/toolbox/{note.id}/move", {"direction": "up"}, token_from="/toolbox").status_code
        == 302
    )
    assert [i.kind for i in items_of(relative)] == ["note", "section", "resource"]
    # Moving the first item up changes nothing.
    post(client, f"/toolbox/{note.id}/move", {"direction": "up"}, token_from="/toolbox")
    assert [i.kind for i in items_of(relative)] == ["note", "section", "resource"]
    assert (
        post(client, f"/toolbox/{note.id}/move", {"direction": "down"}, token_from="/toolbox").status_code
        == 302
    )
    assert [i.kind for i in items_of(relative)] == ["section", "note", "resource"]
    assert (
        post(client, f"/toolbox/{note.id}/move", {"direction": "sideways"}, token_from="/toolbox").status_code
        == 400
    )
    html = client.get("/toolbox").get_data(as_text=True)
    assert html.index(section.title) < html.index("Ask about side effects") < html.index(resource.name)

    resource_item = items_of(relative)[2]
    assert post(client, f"/toolbox/{resource_item.id}/remove", token_from="/toolbox").status_code == 302
    assert [i.kind for i in items_of(relative)] == ["section", "note"]
    assert resource.name not in client.get("/toolbox").get_data(as_text=True)


def test_relative_edits_a_note(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    fill_toolbox(client)
    note = items_of(relative)[2]
    page = client.get(f"/toolbox/{note.id}/edit")
    assert page.status_code == 200 and "Ask about side effects" in page.get_data(as_text=True)
    response = post(
        client, f"/toolbox/{note.id}/edit", {"title": "", "text": "Ask about sleep"}, token_from="/toolbox"
    )
    assert response.status_code == 302
    edited = items_of(relative)[2]
    assert (edited.note_title, edited.note_text) == (None, "Ask about sleep")


def test_another_relative_gets_404_for_someone_elses_items(content, app, client, create_user, login):
    owner = create_user("relative")
    login(owner)
    fill_toolbox(client)
    before = [(i.id, i.kind, i.position, i.note_title, i.note_text) for i in items_of(owner)]

    intruder = create_user("relative", team=owner.team)
    other = app.test_client()
    login(intruder, the_client=other)
    post(other, "/toolbox/notes", {"text": "My own note"}, token_from="/toolbox")
    for item_id, *_ in before:
        assert other.get(f"/toolbox/{item_id}/edit").status_code == 404
        edit = post(
            other, f"/toolbox/{item_id}/edit", {"title": "Hacked", "text": "Hacked"}, token_from="/toolbox"
        )
        assert edit.status_code == 404
        assert (
            post(other, f"/toolbox/{item_id}/move", {"direction": "down"}, token_from="/toolbox").status_code
            == 404
        )
        assert (
            post(other, f"/toolbox/{item_id}/move", {"direction": "up"}, token_from="/toolbox").status_code
            == 404
        )
        assert post(other, f"/toolbox/{item_id}/remove", token_from="/toolbox").status_code == 404
    # Ids that belong to no one are 404 too.
    assert other.get("/toolbox/999999/edit").status_code == 404

    after = [(i.id, i.kind, i.position, i.note_title, i.note_text) for i in items_of(owner)]
    assert after == before
    page = other.get("/toolbox").get_data(as_text=True)
    assert "Ask about side effects" not in page and "My own note" in page
    assert [i.note_text for i in items_of(intruder)] == ["My own note"]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_get_403_on_the_toolbox(content, client, create_user, login, role):
    login(create_user(role))
    section = db.session.scalar(select(Section).limit(1))
    assert client.get("/toolbox").status_code == 403
    assert post(client, "/toolbox/notes", {"text": "A note"}, token_from="/modules").status_code == 403
    assert post(client, f"/toolbox/sections/{section.id}", token_from="/modules").status_code == 403
    assert db.session.scalars(select(ToolboxItem)).all() == []


def test_relative_can_open_the_toolbox_a_clinician_cannot(content, app, client, create_user, login):
    login(create_user("relative"))
    assert client.get("/toolbox").status_code == 200
    other = app.test_client()
    login(create_user(R.CLINICIAN), the_client=other)
    assert other.get("/toolbox").status_code == 403


def test_too_long_note_is_refused_and_the_typed_text_kept(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    text = "Things that helped this week. " * 170
    assert len(text.strip()) > 5000
    response = post(client, "/toolbox/notes", {"title": "My week", "text": text}, token_from="/toolbox")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Your note must be 5000 characters or fewer" in html
    assert 'class="nhsuk-error-message"' in html
    assert textarea_value(html, "text") == text.strip()
    assert 'value="My week"' in html
    assert items_of(relative) == []


def test_too_long_note_edit_is_refused_and_the_typed_text_kept(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    fill_toolbox(client)
    note = items_of(relative)[2]
    text = "Still worried about money. " * 200
    response = post(client, f"/toolbox/{note.id}/edit", {"title": "Q", "text": text}, token_from="/toolbox")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "5000 characters or fewer" in html and textarea_value(html, "text") == text.strip()
    assert items_of(relative)[2].note_text == "Ask about side effects"


def test_empty_note_is_refused(content, client, create_user, login):
    relative = create_user("relative")
    login(relative)
    response = post(client, "/toolbox/notes", {"title": "Just a title", "text": "  "}, token_from="/toolbox")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Write your note before you save it" in html and 'value="Just a title"' in html
    assert items_of(relative) == []
