"""Forms that help: limits stated before typing with a count to fill in, every error listed, dir="auto"."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from react_toolkit.auth import roles as R


class _Form(FlaskForm):
    class Meta:
        csrf = False

    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=120)])
    code = StringField("Code", validators=[Length(max=8)])
    story = TextAreaField(
        "Your story", description="Tell us in your own words.", validators=[Length(max=2000)]
    )


def _render(app, form) -> str:
    template = app.jinja_env.from_string(
        '{% import "_macros.html" as f %}{{ f.error_summary(form) }}'
        "{{ f.text_input(form.title) }}{{ f.text_input(form.code) }}{{ f.textarea(form.story) }}"
    )
    return template.render(form=form)


def test_a_limit_is_stated_in_the_hint_and_a_count_waits_for_the_script(app):
    with app.test_request_context():
        html = _render(app, _Form())
    assert "Tell us in your own words. You can enter up to 2,000 characters." in html
    assert re.search(r'<textarea[^>]*dir="auto"[^>]*data-max-chars="2000"', html)
    assert 'id="story-count"' in html and 'data-left="You have {n} characters left"' in html
    assert "up to 120 characters" in html and 'id="title-count"' in html
    assert "up to 8 characters" not in html  # a short code says what it holds instead


def test_every_field_reads_right_to_left_text_correctly(app):
    with app.test_request_context():
        html = _render(app, _Form())
    fields = re.findall(r"<(?:input|textarea)[^>]*>", html)
    assert len(fields) == 3 and all('dir="auto"' in field for field in fields)


def test_the_summary_lists_every_error_each_linked_to_its_field(app):
    with app.test_request_context(
        method="POST", data={"title": "", "code": "TOO-LONG-CODE", "story": "x" * 2001}
    ):
        form = _Form()
        assert not form.validate()
        form.story.errors.append("Something else is wrong too")
        html = _render(app, form)
    summary = html.split('id="title"', 1)[0]  # the summary comes before the first field
    links = re.findall(r'<a href="#(\w+)">\s*([^<]+?)\s*</a>', summary)
    assert [field for field, _ in links] == ["title", "code", "story", "story"]
    assert ("title", "Enter a title") in links and ("story", "Something else is wrong too") in links


def test_forum_and_message_boxes_state_their_limit(app, client, create_user, login):
    login(create_user(R.RELATIVE))
    page = client.get("/messages/new").get_data(as_text=True)
    assert "You can enter up to 10,000 characters." in page
