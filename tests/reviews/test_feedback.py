"""'Was this page helpful?': answers kept for the content staff, counted as events that never hold the comment."""

from __future__ import annotations

from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.core import personal_data
from react_toolkit.extensions import db
from react_toolkit.reviews.models import PageFeedback
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

COMMENT = "The part about sleep helped my mum"


def give(client, slug="what-is-psychosis", **data):
    return post(client, f"/modules/{slug}/feedback", data, token_from=f"/modules/{slug}")


def test_every_module_page_asks_whether_it_was_helpful(content, client, create_user, login):
    login(create_user(R.RELATIVE))
    for path in ("/modules/what-is-psychosis", "/modules/what-is-psychosis/2"):
        html = client.get(path).get_data(as_text=True)
        assert "Was this page helpful?" in html and 'action="/modules/what-is-psychosis/feedback"' in html


def test_an_answer_is_kept_and_its_event_holds_no_words(content, client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    response = give(
        client, **{"feedback-helpful": "yes", "feedback-comment": COMMENT, "feedback-section": "2"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/modules/what-is-psychosis/2"
    row = db.session.scalar(select(PageFeedback))
    assert (row.user_id, row.helpful, row.comment, row.section_position) == (relative.id, True, COMMENT, 2)
    give(client, **{"feedback-helpful": "no"})
    names = sorted(
        db.session.scalars(select(UsageEvent.name).where(UsageEvent.name.like("reviews.feedback.%")))
    )
    assert names == ["reviews.feedback.helpful", "reviews.feedback.not_helpful"]
    for event in db.session.scalars(select(UsageEvent)):
        assert "sleep" not in repr([getattr(event, c.key) for c in UsageEvent.__table__.columns])


def test_a_missing_answer_is_refused_and_the_comment_kept(content, client, create_user, login):
    login(create_user(R.RELATIVE))
    response = give(client, **{"feedback-comment": COMMENT})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Choose yes or no" in html and COMMENT in html
    assert db.session.scalar(select(PageFeedback.id)) is None


def test_content_staff_read_the_answers_and_others_cannot(app, content, client, create_user, login):
    login(create_user(R.RELATIVE))
    give(client, **{"feedback-helpful": "yes", "feedback-comment": COMMENT})
    client = login(the_client=app.test_client(), user=create_user(R.CONTENT_REVIEWER))
    html = client.get("/content/feedback").get_data(as_text=True)
    assert COMMENT in html and "Helpful: 1. Not helpful: 0." in html
    for role in (R.SUPPORTER, R.SITE_LEAD, R.CLINICIAN, R.MODERATOR, R.RELATIVE):
        client = login(the_client=app.test_client(), user=create_user(role))
        response = client.get("/content/feedback")
        assert response.status_code == 403 and COMMENT not in response.get_data(as_text=True)


def test_a_relative_s_answers_are_in_their_download_and_erased_with_them(content, client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    give(client, **{"feedback-helpful": "no", "feedback-comment": COMMENT})
    section = next(s for s in personal_data.sections() if s.name == "page_feedback")
    exported = section.export(relative)
    assert exported[0]["comment"] == COMMENT and exported[0]["helpful"] is False
    personal_data.erase_everywhere(relative)
    db.session.commit()
    assert db.session.scalar(select(PageFeedback.id)) is None
