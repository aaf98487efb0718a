"""Erasing a relative's account: nothing personal is left anywhere, shared records stay and name no one."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date
from types import SimpleNamespace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, func, select

from react_toolkit.auth import erasure
from react_toolkit.auth import roles as R
from react_toolkit.auth import services as auth_services
from react_toolkit.auth.forum_names import forum_name_key
from react_toolkit.auth.models import Invitation, User, UserSession
from react_toolkit.core import personal_data
from react_toolkit.dashboard.models import UserMonth
from react_toolkit.extensions import db
from react_toolkit.forum import services as forum_services
from react_toolkit.forum.models import Post, PostRevision, Report, Restriction, Thanks, Thread, ThreadReader
from react_toolkit.inbox import personal_data as inbox_personal_data
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.modules.models import (
    Exercise,
    ExerciseAnswer,
    Module,
    ModuleCompletion,
    Section,
    SectionProgress,
    ToolboxItem,
)
from react_toolkit.modules.services import sync_content
from react_toolkit.outcomes.models import CheckIn
from react_toolkit.risk.models import RiskPhrase
from react_toolkit.usage.models import UsageEvent
from tests import snapshots
from tests.conftest import PASSWORD, csrf_from, post
from tests.forum.helpers import make_thread
from tests.modules.conftest import CONTENT_DIR

# No waits between posts; a member's first post waits for a moderator, as in real life.
FORUM = {
    "FORUM_NEW_MEMBER_INTERVAL_SECONDS": 0,
    "FORUM_POST_INTERVAL_SECONDS": 0,
    "FORUM_FIRST_POSTS_HELD": 1,
}
NEW_PASSWORD = "kettle on the back step"
HOLD_WORD = "lanternlight"

# What the relative typed. Each holds an unusual word so that no module text can match it by chance.
SECRETS = {
    "email": "quill.hartley@example.org",
    "forum_name": "Zephyr Quillon",
    "answer": "I write in my amberfox diary when the nights are long",
    "note_title": "Bluefinch questions",
    "note_text": "Ask the bluefinch clinic about the new tablets",
    "subject": "Worried about copperwren",
    "message": "My son copperwren has stopped sleeping again",
    "second_message": "Thank you, the saltmarsh plan helped",
    "first_reply": "Our street is Tamworth Gardens, it is hard here",
    "report_note": "This sounds like the mistlethrush family next door",
}
THREAD_TITLE = "Evenings are the hardest part"
THREAD_BODY = "Does anyone else find the evenings hardest?"
EDITED_REPLY = "Things are hard here at the moment."
HIDDEN_REPLY = "A reply the moderator hid."
HELD_REPLY = f"A quiet {HOLD_WORD} evening."
STAFF_REPLY = "Thank you for writing. We can talk on Tuesday."
STAFF_NOTE = "Spoke to the care coordinator about this."
ESCALATION = "Worried about this member's last post."
HIDE_REASON = "Please keep street names out of the forum."


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Iterator[Flask]:
    app = make_app(**FORUM)
    with app.app_context():
        yield app


def register(client: FlaskClient, code: str, email: str, forum_name: str) -> None:
    data = {
        "code": code,
        "email": email,
        "forum_name": forum_name,
        "password": NEW_PASSWORD,
        "terms": "y",
        "research_consent": "y",
    }
    response = post(client, "/register", data, token_from="/register")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def exercise_page() -> tuple[str, int, str, Exercise]:
    exercise, section, module = db.session.execute(
        select(Exercise, Section, Module)
        .join(Section, Section.id == Exercise.section_id)
        .join(Module, Module.id == Section.module_id)
        .order_by(Module.position, Section.position, Exercise.id)
        .limit(1)
    ).one()
    return module.slug, section.position, exercise.key, exercise


def read_module(client: FlaskClient, module: Module) -> None:
    for number in range(1, len(module.sections) + 1):
        path = f"/modules/{module.slug}/{number}"
        assert client.get(path).status_code == 200
        assert post(client, f"{path}/done", token_from=path).status_code == 302


def only_post(*where) -> Post:
    db.session.expire_all()
    return db.session.scalars(select(Post).where(*where)).one()


def build_history(app: Flask, create_user, login, *, texts: dict[str, str], team=None) -> SimpleNamespace:
    """A relative who has used every part of the toolkit, through its pages and services."""
    if db.session.scalar(select(func.count(Module.id))) == 0:
        sync_content(CONTENT_DIR)
        forum_services.seed_categories()
        db.session.add(RiskPhrase(phrase=HOLD_WORD, category="safeguarding", action="hold"))
        db.session.commit()
    clinician = create_user(R.CLINICIAN, team=team)
    team = clinician.team
    supporter = create_user(R.SUPPORTER, team=team)
    moderator = create_user(R.MODERATOR)
    invitation = auth_services.create_invitation(clinician, team, "email", texts["email"])

    client = app.test_client()
    register(client, invitation.code, texts["email"], texts["forum_name"])
    user = db.session.scalar(select(User).where(User.email == texts["email"]))

    module = db.session.scalars(select(Module).order_by(Module.position)).first()
    read_module(client, module)
    slug, number, key, exercise = exercise_page()
    path = f"/modules/{slug}/{number}"
    response = post(
        client,
        f"{path}/exercises/{key}",
        {f"{key}-answer": texts["answer"], "action": "save"},
        token_from=path,
    )
    assert response.status_code == 302
    section = db.session.scalars(select(Section).order_by(Section.id)).first()
    assert post(client, f"/toolbox/sections/{section.id}", token_from="/toolbox").status_code == 302
    note = {"title": texts["note_title"], "text": texts["note_text"]}
    assert post(client, "/toolbox/notes", note, token_from="/toolbox").status_code == 302

    # The forum: a thread (held as a first post, then approved), a reply edited once, a hidden
    # reply, a reply held for a moderator, and a report on someone else's post.
    other_thread = make_thread(create_user(), forum_services.category(user, "coping-day-to-day"))
    other_post = only_post(Post.thread_id == other_thread.id)
    response = post(
        client,
        "/forum/coping-day-to-day/new",
        {"title": THREAD_TITLE, "body": THREAD_BODY},
        token_from="/forum/coping-day-to-day/new",
    )
    assert response.status_code == 302
    thread = db.session.scalars(select(Thread).where(Thread.author_id == user.id)).one()
    opening = only_post(Post.thread_id == thread.id)
    assert opening.status == "held"
    forum_services.approve(moderator, opening)
    thread_path = f"/forum/threads/{thread.id}"
    for body in (texts["first_reply"], HIDDEN_REPLY):
        assert post(client, f"{thread_path}/reply", {"body": body}, token_from=thread_path).status_code == 302
    reply = only_post(Post.author_id == user.id, Post.body == texts["first_reply"])
    edit_path = f"/forum/posts/{reply.id}/edit"
    assert post(client, edit_path, {"body": EDITED_REPLY}, token_from=edit_path).status_code == 302
    forum_services.hide(
        moderator, only_post(Post.author_id == user.id, Post.body == HIDDEN_REPLY), HIDE_REASON
    )
    assert (
        post(client, f"{thread_path}/reply", {"body": HELD_REPLY}, token_from=thread_path).status_code == 302
    )
    forum_services.thank(user, other_post, True)
    report_path = f"/forum/posts/{other_post.id}/report"
    response = post(
        client, report_path, {"kind": "other", "note": texts["report_note"]}, token_from=report_path
    )
    assert response.status_code == 302

    # The inbox: a message, a supporter's reply and note, and a second message.
    response = post(
        client,
        "/messages/new",
        {"subject": texts["subject"], "body": texts["message"]},
        token_from="/messages/new",
    )
    assert response.status_code == 302
    conversation = db.session.scalars(
        select(Conversation).where(Conversation.relative_id == user.id, ~Conversation.staff_only)
    ).one()
    staff = login(supporter, the_client=app.test_client())
    staff_path = f"/inbox/{conversation.id}"
    page = staff.get(staff_path).get_data(as_text=True)
    seen = re.search(r'name="seen_up_to" value="(\d+)"', page).group(1)
    response = post(
        staff, f"{staff_path}/reply", {"body": STAFF_REPLY, "seen_up_to": seen}, token_from=staff_path
    )
    assert response.status_code == 302
    assert post(staff, f"{staff_path}/note", {"note": STAFF_NOTE}, token_from=staff_path).status_code == 302
    message_path = f"/messages/{conversation.id}"
    response = post(
        client, f"{message_path}/reply", {"body": texts["second_message"]}, token_from=message_path
    )
    assert response.status_code == 302

    # Things staff do: pass a worry to the team, pause posting; and rows kept by other features.
    db.session.expire_all()
    escalated = forum_services.escalate(
        moderator, only_post(Post.author_id == user.id, Post.body == EDITED_REPLY), ESCALATION
    )
    forum_services.restrict(moderator, user, "silence", 1, "Cooling off for an hour")
    auth_services.request_password_reset(texts["email"])
    db.session.add(CheckIn(user_id=user.id, answers={"sleep": 2, "worry": 3}, total=5))
    db.session.add(
        UserMonth(
            month=date(2026, 3, 1),
            user_id=user.id,
            relative=True,
            site_id=user.site_id,
            team_id=user.team_id,
            page_views=12,
            sessions=2,
        )
    )
    db.session.commit()
    db.session.expire_all()
    return SimpleNamespace(
        user=db.session.get(User, user.id),
        client=client,
        supporter=supporter,
        staff=staff,
        moderator=moderator,
        invitation=invitation,
        thread=thread,
        conversation=conversation,
        escalated=escalated,
        exercise=exercise,
        other_post=other_post,
    )


OTHER = {
    "email": "robin.harbour@example.org",
    "forum_name": "Harbour Robin",
    "answer": "Walking the dog by the reservoir helps me think",
    "note_title": "Reservoir walk",
    "note_text": "Take the long path past the boathouse",
    "subject": "Question about the boathouse group",
    "message": "Is the boathouse carers group still on?",
    "second_message": "Thanks, I will try the boathouse on Friday",
    "first_reply": "We tried the boathouse group last week",
    "report_note": "This looks like an advert for the boathouse cafe",
}


def kept_history(
    app, create_user, login, database_url, clock, *, texts: list[dict[str, str]]
) -> SimpleNamespace:
    """The last of these histories, built through the pages once per worker and database, then copied in."""
    key = ("history", database_url, clock.start, tuple(person["email"] for person in texts))
    return snapshots.once(app, key, lambda: build_history(app, create_user, login, texts=texts[-1]))


@pytest.fixture
def history(app, create_user, login, database_url, clock) -> SimpleNamespace:
    return kept_history(app, create_user, login, database_url, clock, texts=[SECRETS])


@pytest.fixture
def other(app, create_user, login, database_url, clock, history) -> SimpleNamespace:
    return kept_history(app, create_user, login, database_url, clock, texts=[SECRETS, OTHER])


def dump_everything() -> str:
    """Every column of every row of every table, as one lower-case text."""
    parts = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for row in connection.execute(table.select()):
                parts.extend(str(value) for value in row)
    return "\n".join(parts).lower()


def erase_via_page(client: FlaskClient, password: str = NEW_PASSWORD):
    return post(client, "/account/delete", {"password": password}, token_from="/account/delete")


def rows_of(user_id: int) -> dict:
    """What one relative has across the private tables, to compare before and after."""
    db.session.expire_all()
    user = db.session.get(User, user_id)
    conversation_ids = select(Conversation.id).where(Conversation.relative_id == user_id)
    return {
        "user": (user.email, user.forum_name, user.forum_name_key, user.password_hash, user.active),
        "answers": sorted(
            db.session.scalars(select(ExerciseAnswer.text).where(ExerciseAnswer.user_id == user_id))
        ),
        "toolbox": sorted(
            str(row)
            for row in db.session.execute(
                select(ToolboxItem.kind, ToolboxItem.note_text).where(ToolboxItem.user_id == user_id)
            )
        ),
        "messages": sorted(
            db.session.scalars(select(Message.body).where(Message.conversation_id.in_(conversation_ids)))
        ),
        "subjects": sorted(
            db.session.scalars(select(Conversation.subject).where(Conversation.id.in_(conversation_ids)))
        ),
        "posts": sorted(db.session.scalars(select(Post.body).where(Post.author_id == user_id))),
        "revisions": sorted(
            db.session.scalars(
                select(PostRevision.body)
                .join(Post, Post.id == PostRevision.post_id)
                .where(Post.author_id == user_id)
            )
        ),
        "progress": db.session.scalar(select(func.count()).where(SectionProgress.user_id == user_id)),
        "events": db.session.scalar(select(func.count()).where(UsageEvent.user_id == user_id)),
        "months": db.session.scalar(select(func.count()).where(UserMonth.user_id == user_id)),
        "sessions": db.session.scalar(select(func.count()).where(UserSession.user_id == user_id)),
        "invitations": sorted(
            db.session.scalars(select(Invitation.email).where(Invitation.accepted_by_id == user_id))
        ),
    }


# Nothing personal remains ---------------------------------------------------------------------------


def names_a_person(column: Column) -> bool:
    """A column holding someone's account id: a foreign key to users, or a user id kept without one."""
    return column.name == "user_id" or any(fk.column.table.name == "users" for fk in column.foreign_keys)


def unanswered(metadata: MetaData) -> set[str]:
    """Tables that name a person but that no feature erases or exports for, or says it keeps on purpose."""
    answered = {table for holder in personal_data.holders() for table in holder.tables}
    naming = {table.name for table in metadata.sorted_tables if any(map(names_a_person, table.columns))}
    return naming - answered - {"users"}


def test_every_table_that_names_a_person_is_answered_for_by_one_feature(app):
    assert unanswered(db.metadata) == set()
    claims = Counter(table for holder in personal_data.holders() for table in holder.tables)
    assert [table for table, count in claims.items() if count > 1] == []
    assert set(claims) <= set(db.metadata.tables)


def test_a_new_table_naming_a_person_that_no_feature_answers_for_is_caught(app):
    extended = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(extended)
    Table(
        "diary_entries",
        extended,
        Column("id", Integer, primary_key=True),
        Column("writer_id", ForeignKey("users.id")),
    )
    Table("visits", extended, Column("id", Integer, primary_key=True), Column("user_id", Integer))
    assert unanswered(extended) == {"diary_entries", "visits"}


def test_erasure_leaves_nothing_personal_in_any_table(history):
    before = dump_everything()
    for name, secret in SECRETS.items():
        assert secret.lower() in before, f"the history should hold the {name} before erasure"

    response = erase_via_page(history.client)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/deleted")
    after = dump_everything()
    for name, secret in SECRETS.items():
        assert secret.lower() not in after, f"the {name} is still in the database"
    assert forum_name_key(SECRETS["forum_name"]) not in after
    assert EDITED_REPLY.lower() in after  # the anonymised post stays, so replies still make sense


def test_erased_row_stays_but_holds_nothing_personal(history):
    uid = history.user.id
    erase_via_page(history.client)

    db.session.expire_all()
    user = db.session.get(User, uid)
    assert user.email == f"erased-{uid}@invalid.example"
    assert (user.full_name, user.forum_name, user.forum_name_key) == ("", "Former member", None)
    assert user.password_hash is None and user.active is False
    assert user.terms_accepted_at is None and user.research_consent_at is None
    assert user.research_consent is False
    assert user.erased_at is not None
    assert user.is_relative  # still counted as a relative who joined
    for model in (
        UserSession,
        ExerciseAnswer,
        ToolboxItem,
        SectionProgress,
        ModuleCompletion,
        CheckIn,
        Restriction,
        Thanks,
        ThreadReader,
    ):
        assert db.session.scalar(select(func.count()).where(model.user_id == uid)) == 0, model.__name__


def test_shared_records_stay_and_show_a_former_member(history):
    uid = history.user.id
    erase_via_page(history.client)
    db.session.expire_all()

    posts = db.session.scalars(select(Post).where(Post.author_id == uid)).all()
    assert len(posts) == 4 and db.session.get(Thread, history.thread.id).title == THREAD_TITLE
    assert db.session.scalar(select(func.count(PostRevision.id))) == 0
    [report] = db.session.scalars(select(Report).where(Report.reporter_id == uid)).all()
    assert report.note == "" and report.kind == "other"
    page = history.staff.get(f"/inbox/{history.conversation.id}").get_data(as_text=True)
    assert page.count(inbox_personal_data.REMOVED_MESSAGE) == 2
    assert STAFF_REPLY in page and STAFF_NOTE in page
    assert (
        db.session.get(Conversation, history.conversation.id).subject == inbox_personal_data.REMOVED_SUBJECT
    )
    escalated = db.session.get(Conversation, history.escalated)
    assert escalated.staff_only and escalated.subject == "A forum moderator is worried about this member"
    invitation = db.session.get(Invitation, history.invitation.id)
    assert invitation.email is None and invitation.accepted_by_id == uid
    [month] = db.session.scalars(select(UserMonth)).all()
    assert month.user_id is None and month.page_views == 12 and month.team_id == history.user.team_id


def test_thread_page_shows_former_member(app, history, create_user, login):
    erase_via_page(history.client)
    reader = login(create_user(R.RELATIVE), the_client=app.test_client())
    page = reader.get(f"/forum/threads/{history.thread.id}").get_data(as_text=True)
    assert "Former member" in page and EDITED_REPLY in page
    assert SECRETS["forum_name"] not in page


def test_usage_events_no_longer_point_at_the_person(history):
    uid = history.user.id
    hashes = set(
        db.session.scalars(
            select(UsageEvent.session_hash).where(
                UsageEvent.user_id == uid, UsageEvent.session_hash.is_not(None)
            )
        )
    )
    events_before = db.session.scalar(select(func.count(UsageEvent.id)))
    assert hashes and events_before

    erase_via_page(history.client)

    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(UsageEvent.user_id == uid)) == 0
    assert db.session.scalar(select(func.count()).where(UsageEvent.session_hash.in_(hashes))) == 0
    [event] = db.session.scalars(select(UsageEvent).where(UsageEvent.name == "auth.account.erased")).all()
    assert (event.user_id, event.object_type, event.object_id) == (None, "user", None)
    assert (event.roles, event.site_id, event.team_id, event.session_hash) == ("", None, None, None)
    # The counts stay: only the link to the person goes.
    assert db.session.scalar(select(func.count(UsageEvent.id))) >= events_before


def test_another_relatives_data_is_untouched(history, other):
    before = rows_of(other.user.id)
    assert before["answers"] and before["messages"] and before["revisions"] and before["events"]

    erase_via_page(history.client)

    assert rows_of(other.user.id) == before
    everything = dump_everything()
    for secret in OTHER.values():
        assert secret.lower() in everything


# Signing in afterwards ------------------------------------------------------------------------------


def test_erased_person_cannot_sign_in_and_old_cookies_stop_working(app, history):
    uid = history.user.id
    phone = app.test_client()
    response = post(
        phone, "/sign-in", {"email": SECRETS["email"], "password": NEW_PASSWORD}, token_from="/sign-in"
    )
    assert response.status_code == 302
    phone_cookie = phone.get_cookie("react_session").value

    erase_via_page(history.client)

    assert history.client.get("/account").status_code == 302
    phone.set_cookie("react_session", phone_cookie)
    response = phone.get("/account")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    for email in (SECRETS["email"], erasure.erased_email(uid)):
        fresh = app.test_client()
        refused = post(fresh, "/sign-in", {"email": email, "password": NEW_PASSWORD}, token_from="/sign-in")
        assert refused.status_code == 401


def test_deleted_page_confirms_and_the_person_is_signed_out(history):
    response = erase_via_page(history.client)
    page = history.client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your account has been deleted" in page
    assert 'action="/sign-out"' not in page


def test_the_same_email_can_join_again_with_a_new_invitation(app, history, create_user):
    erase_via_page(history.client)
    clinician = create_user(R.CLINICIAN)
    invitation = auth_services.create_invitation(clinician, clinician.team, "code")
    register(app.test_client(), invitation.code, SECRETS["email"], SECRETS["forum_name"])


# The confirmation page -------------------------------------------------------------------------------


def test_confirmation_page_explains_what_goes_and_what_stays(history):
    assert 'href="/account/delete"' in history.client.get("/account").get_data(as_text=True)
    page = history.client.get("/account/delete").get_data(as_text=True)
    assert "What we delete" in page and "What we keep" in page
    assert "Former member" in page and "notes" in page
    assert 'type="password"' in page and 'name="csrf_token"' in page


def test_wrong_password_is_refused_next_to_the_field_and_not_shown_back(history):
    typed = "not my password at all"
    response = erase_via_page(history.client, typed)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'id="password-error"[^>]*>.*Your password is not right', page, re.S)
    assert typed not in page and NEW_PASSWORD not in page
    db.session.expire_all()
    assert db.session.get(User, history.user.id).erased_at is None
    assert history.client.get("/account").status_code == 200


def test_password_guesses_on_the_delete_page_are_limited(history):
    for _ in range(5):
        assert erase_via_page(history.client, "a guess").status_code == 400
    response = erase_via_page(history.client)
    assert response.status_code == 429
    assert "typed a wrong password too many times" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, history.user.id).erased_at is None


def test_empty_password_is_refused(history):
    response = erase_via_page(history.client, "")
    assert response.status_code == 400
    assert "Enter your password" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, history.user.id).erased_at is None


def test_deleting_without_a_csrf_token_is_refused(history):
    response = history.client.post("/account/delete", data={"password": NEW_PASSWORD})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, history.user.id).erased_at is None


@pytest.mark.parametrize("role", [R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER, R.ADMIN])
def test_staff_cannot_delete_their_account_here(client, create_user, login, role):
    staff = create_user(role)
    login(staff)
    assert "Delete your account" not in client.get("/account").get_data(as_text=True)
    assert client.get("/account/delete").status_code == 404
    response = client.post(
        "/account/delete", data={"password": PASSWORD, "csrf_token": csrf_from(client, "/account")}
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(User, staff.id).erased_at is None


def test_the_service_refuses_staff_and_other_people(create_user):
    staff, relative, stranger = create_user(R.SUPPORTER), create_user(), create_user()
    with pytest.raises(auth_services.ServiceError) as refused:
        erasure.erase_account(staff)
    assert refused.value.status == 403
    with pytest.raises(auth_services.ServiceError) as refused:
        erasure.erase_account(relative, by=stranger)
    assert refused.value.status == 403
    with pytest.raises(auth_services.ServiceError):
        erasure.erase_account(relative, by=create_user(R.SUPPORTER))
    db.session.expire_all()
    assert db.session.get(User, relative.id).erased_at is None
    erasure.erase_account(relative)
    with pytest.raises(auth_services.ServiceError) as refused:
        erasure.erase_account(db.session.get(User, relative.id))
    assert refused.value.status == 409


# Administrators ---------------------------------------------------------------------------------------


def test_admin_erases_a_relative_with_a_reason(app, history, create_user, login):
    uid = history.user.id
    admin = login(create_user(R.ADMIN), the_client=app.test_client())
    path = f"/admin/relatives/{uid}/erase"
    page = admin.get(path).get_data(as_text=True)
    assert SECRETS["forum_name"] in page and 'name="reason"' in page

    refused = post(admin, path, {"reason": "  "}, token_from=path)
    assert refused.status_code == 400
    assert "Say why you are deleting this account" in refused.get_data(as_text=True)
    done = post(admin, path, {"reason": "Asked by letter"}, token_from=path)
    assert done.status_code == 302
    assert "The account has been deleted" in admin.get(done.headers["Location"]).get_data(as_text=True)

    db.session.expire_all()
    user = db.session.get(User, uid)
    assert user.erased_at is not None
    for name, secret in SECRETS.items():
        assert secret.lower() not in dump_everything(), name
    assert history.client.get("/account").status_code == 302  # their own browser is signed out
    assert (
        db.session.scalar(
            select(func.count()).where(UsageEvent.object_type == "user", UsageEvent.object_id == str(uid))
        )
        == 0
    )
    assert admin.get(path).status_code == 404  # already erased


def test_admin_erasure_needs_a_csrf_token(app, history, create_user, login):
    admin = login(create_user(R.ADMIN), the_client=app.test_client())
    assert (
        admin.post(f"/admin/relatives/{history.user.id}/erase", data={"reason": "Asked"}).status_code == 400
    )
    db.session.expire_all()
    assert db.session.get(User, history.user.id).erased_at is None


def test_admin_gets_404_for_staff_and_unknown_accounts(client, create_user, login):
    staff = create_user(R.SUPPORTER)
    login(create_user(R.ADMIN))
    for user_id in (staff.id, 999999):
        path = f"/admin/relatives/{user_id}/erase"
        assert client.get(path).status_code == 404
        assert post(client, path, {"reason": "Asked"}, token_from="/account").status_code == 404
    db.session.expire_all()
    assert db.session.get(User, staff.id).erased_at is None


@pytest.mark.parametrize(
    "role", [R.RELATIVE, R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER]
)
def test_only_admins_may_erase_someone_else(client, create_user, login, role):
    target = create_user(R.RELATIVE)
    login(create_user(role))
    path = f"/admin/relatives/{target.id}/erase"
    assert client.get(path).status_code == 403
    assert post(client, path, {"reason": "Asked"}, token_from="/account").status_code == 403
    db.session.expire_all()
    assert db.session.get(User, target.id).erased_at is None
