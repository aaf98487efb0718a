"""Every piece kept from one request to the next holds nothing of one person that another could see.

Two kinds of thing are kept: layout HTML drawn once per set of settings (the header, footer and
skip link, see core/navigation.rendered_macro), and SQL statements built once per process with
their values left as parameters (the session lookup and the header's counts). Each test signs
two people in, one after the other on the same app, and reads what each is shown.
"""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.forum.models import ForumCategory, ThreadReader
from react_toolkit.forum.services import seed_categories
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.timeutil import now
from tests.conftest import post
from tests.forum.helpers import add_post, make_thread

SIGN_OUT_TOKEN = re.compile(r'action="/sign-out"><input[^>]*value="([^"]+)"')


def _signed_in(app, create_user, login, role=R.RELATIVE):
    user = create_user(role)
    return user, login(user, the_client=app.test_client())


def test_header_html_is_kept_per_person_and_never_shows_another_person(app, create_user, login):
    first, first_browser = _signed_in(app, create_user, login, R.SUPPORTER)
    second, second_browser = _signed_in(app, create_user, login, R.SUPPORTER)
    pages = {}
    for _ in range(2):  # the second round is drawn from what the first kept
        for user, browser in ((first, first_browser), (second, second_browser)):
            pages[user.id] = browser.get("/crisis").get_data(as_text=True)
    assert first.display_name != second.display_name
    assert f"Signed in as {first.display_name}" in pages[first.id]
    assert second.display_name not in pages[first.id]
    assert f"Signed in as {second.display_name}" in pages[second.id]
    assert first.display_name not in pages[second.id]
    # Each page's sign-out form carries its own session's token, filled in after the kept HTML.
    tokens = {user_id: SIGN_OUT_TOKEN.search(page).group(1) for user_id, page in pages.items()}
    assert tokens[first.id] != tokens[second.id]
    kept = app.extensions["rendered_macros"]
    assert [key for key in kept if key[1] == "header"], "the header was not kept"
    assert all(token not in str(html) for html in kept.values() for token in tokens.values())


def test_kept_footer_and_skip_link_are_the_same_for_everyone_and_follow_the_language(app, create_user, login):
    _, relative = _signed_in(app, create_user, login)
    signed_out = app.test_client()
    english = [client.get("/crisis").get_data(as_text=True) for client in (relative, signed_out)]
    assert all("Skip to main content" in page and "Accessibility statement" in page for page in english)
    assert post(signed_out, "/language", {"language": "cy", "next": "/crisis"}).status_code in (302, 303)
    welsh = signed_out.get("/crisis").get_data(as_text=True)
    assert 'lang="cy"' in welsh and "Skip to main content" not in welsh
    assert "Skip to main content" in relative.get("/crisis").get_data(as_text=True)
    kept = app.extensions["rendered_macros"]
    names = {key[1] for key in kept}
    assert {"footer", "skipLink"} <= names


def test_kept_statements_carry_no_one_s_values_and_each_person_gets_their_own_counts(
    app, create_user, login, clock
):
    from react_toolkit.auth.services import _live_session
    from react_toolkit.forum.services import _followed_with_new_posts
    from react_toolkit.inbox.services import _unread_by_conversation, _unread_total

    waiting, waiting_browser = _signed_in(app, create_user, login)
    other, other_browser = _signed_in(app, create_user, login)
    supporter = create_user(R.SUPPORTER)
    conversation = Conversation(relative_id=waiting.id, team_id=waiting.team_id, subject="A worry")
    db.session.add(conversation)
    db.session.flush()
    for text in ("First reply", "Second reply"):
        db.session.add(
            Message(conversation_id=conversation.id, author_id=supporter.id, kind="staff", body=text)
        )
    seed_categories()
    category = db.session.scalars(select(ForumCategory).order_by(ForumCategory.id)).first()
    thread = make_thread(other, category, title="Evenings")
    db.session.add(ThreadReader(user_id=other.id, thread_id=thread.id, following=True, last_read_at=now()))
    db.session.commit()
    clock.advance(timedelta(minutes=5))
    add_post(thread, waiting, body="Evenings are hard here too.")

    for _ in range(2):
        waiting_page = waiting_browser.get("/crisis").get_data(as_text=True)
        other_page = other_browser.get("/crisis").get_data(as_text=True)
    assert "2 unread" in waiting_page and "followed with new posts" not in waiting_page
    assert "1 followed with new posts" in other_page and "unread" not in other_page
    assert "A worry" not in other_page

    # The person's key is a parameter with no value kept; the rest are the statements' own constants.
    kept = {
        "token_hash": _live_session(),
        "relative_id": _unread_total(),
        "user_id": _followed_with_new_posts(),
    }
    kept_too = {"relative_id": _unread_by_conversation()}
    for name, statement in [*kept.items(), *kept_too.items()]:
        values = statement.compile().params
        assert name in values and values[name] is None, values
        assert not {waiting.id, other.id} & {v for v in values.values() if isinstance(v, int)}


def test_form_fields_are_kept_only_while_empty_so_no_one_s_words_stay(app, create_user, login):
    seed_categories()
    db.session.commit()
    category = db.session.scalars(select(ForumCategory).order_by(ForumCategory.id)).first()
    _, writer = _signed_in(app, create_user, login)
    words = "Words only this relative typed, kept out of every cache"
    response = post(writer, f"/forum/{category.slug}/new", {"title": "", "body": words})
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 422) and words in page  # what was typed stays in the form
    _, reader = _signed_in(app, create_user, login)
    empty_form = reader.get(f"/forum/{category.slug}/new").get_data(as_text=True)
    assert words not in empty_form
    kept = app.extensions["rendered_macros"]
    assert any(key[1] == "textarea" for key in kept), "the empty body field was not kept"
    assert words not in repr(list(kept.keys())) and all(words not in str(html) for html in kept.values())
