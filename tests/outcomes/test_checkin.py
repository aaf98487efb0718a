"""The wellbeing check-in: scoring, validation, privacy and who may use it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.outcomes.items import ITEM_KEYS, ITEMS, MAX_TOTAL
from react_toolkit.outcomes.models import CheckIn
from react_toolkit.timeutil import format_date
from react_toolkit.usage.models import UsageEvent
from tests.conftest import post

# Raw answers as chosen on the page (0 = "Never" ... 4 = "All the time").
ANSWERS = {"coping": "3", "sleep": "1", "supported": "4", "own_time": "0", "worry": "4", "hope": "2"}
# Worked by hand: sleep and worry are about something hard, so they count 4 - answer.
#   coping 3 + sleep (4-1)=3 + supported 4 + own_time 0 + worry (4-4)=0 + hope 2 = 12
SCORES = {"coping": 3, "sleep": 3, "supported": 4, "own_time": 0, "worry": 0, "hope": 2}
TOTAL = 12


def checkins_of(user) -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.scalars(select(CheckIn).where(CheckIn.user_id == user.id)))


def submit(client, answers):
    return post(client, "/check-in", answers, token_from="/check-in")


def error_for(html: str, key: str) -> str | None:
    match = re.search(rf'id="{key}-error">\s*<span[^>]*>Error: </span>(.*?)\s*</span>', html, re.S)
    return match.group(1).strip() if match else None


def checked_value(html: str, key: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{key}" type="radio" value="(\d)" checked', html)
    return match.group(1) if match else None


def test_scores_point_the_same_way_and_the_scale_has_five_points():
    assert len(ITEMS) == 6
    assert MAX_TOTAL == 24
    reversed_items = {item.key for item in ITEMS if item.reverse}
    assert reversed_items == {"sleep", "worry"}
    for item in ITEMS:
        best = 0 if item.reverse else 4
        assert item.score(best) == 4
        assert item.score(4 - best) == 0


# Each past check-in is listed with its date in UK time.
@pytest.mark.dates
def test_relative_completes_a_check_in_and_sees_the_hand_computed_total(client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)

    page = client.get("/check-in")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for item in ITEMS:
        assert str(item.statement) in html
    assert "optional" in html
    assert "Only you can see them" in html
    assert "You have not done a check-in yet" in html

    response = submit(client, ANSWERS)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/check-in")
    [checkin] = checkins_of(relative)
    assert checkin.answers == SCORES
    assert checkin.total == TOTAL

    html = client.get("/check-in").get_data(as_text=True)
    assert f"Your score this time is {TOTAL} out of 24" in html
    past = html.split("<h2>Your past check-ins</h2>")[1]
    assert f'<td class="nhsuk-table__cell">{format_date(checkin.completed_at)}</td>' in past
    assert f"{TOTAL} out of 24" in past
    assert "You have not done a check-in yet" not in html


def test_completing_a_check_in_records_an_event_with_the_object_id_only(client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    assert submit(client, ANSWERS).status_code == 302
    [checkin] = checkins_of(relative)
    [event] = db.session.scalars(select(UsageEvent).where(UsageEvent.name == "outcomes.checkin.completed"))
    assert event.user_id == relative.id
    assert (event.object_type, event.object_id) == ("checkin", str(checkin.id))
    assert event.route == "/check-in"


def test_each_missing_answer_is_named_next_to_its_statement_and_choices_are_kept(client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    partial = {key: value for key, value in ANSWERS.items() if key not in ("sleep", "hope")}

    response = submit(client, partial)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error_for(html, "sleep") == "Choose how often worry affected your sleep"
    assert error_for(html, "hope") == "Choose how often you felt hopeful"
    assert error_for(html, "coping") is None
    assert 'href="#sleep-1"' in html
    for key, value in partial.items():
        assert checked_value(html, key) == value
    assert checked_value(html, "sleep") is None
    assert "Error: Wellbeing check-in" in html
    assert checkins_of(relative) == []


@pytest.mark.parametrize("bad", ["5", "-1", "two", ""])
def test_an_answer_off_the_scale_is_refused(client, create_user, login, bad):
    relative = create_user(R.RELATIVE)
    login(relative)
    response = submit(client, {**ANSWERS, "worry": bad})
    assert response.status_code == 400
    assert (
        error_for(response.get_data(as_text=True), "worry")
        == "Choose how often you felt overwhelmed by worry"
    )
    assert checkins_of(relative) == []


def test_the_page_says_whether_answers_are_used_for_research(client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    assert "not used for research" in client.get("/check-in").get_data(as_text=True)
    relative.research_consent = True
    db.session.commit()
    html = client.get("/check-in").get_data(as_text=True)
    assert "You agreed that your information can be used for research" in html
    assert "not used for research" not in html


# Each past check-in is listed with its date in UK time.
@pytest.mark.dates
def test_a_relative_sees_only_their_own_check_ins(app, create_user, login):
    first, second = create_user(R.RELATIVE), create_user(R.RELATIVE)
    first_client = login(first, the_client=app.test_client())
    second_client = login(second, the_client=app.test_client())
    assert submit(first_client, {key: "4" for key in ITEM_KEYS}).status_code == 302

    html = second_client.get("/check-in").get_data(as_text=True)
    assert "You have not done a check-in yet" in html
    assert "out of 24</td>" not in html
    assert "out of 24</td>" in first_client.get("/check-in").get_data(as_text=True)


@pytest.mark.parametrize("role", [R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER, R.ADMIN])
def test_staff_cannot_see_or_complete_check_ins(app, client, create_user, login, role):
    relative = create_user(R.RELATIVE)
    relative_client = login(relative, the_client=app.test_client())
    assert submit(relative_client, ANSWERS).status_code == 302

    login(create_user(role))
    page = client.get("/check-in")
    assert page.status_code == 403
    assert f"{TOTAL} out of 24" not in page.get_data(as_text=True)
    assert post(client, "/check-in", ANSWERS).status_code == 403
    assert db.session.query(CheckIn).count() == 1
    assert "/check-in" not in client.get("/").get_data(as_text=True)


def test_navigation_offers_the_check_in_to_relatives(client, create_user, login):
    login(create_user(R.RELATIVE))
    assert 'href="/check-in"' in client.get("/").get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/check-in")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_check_in_refuses_a_missing_csrf_token(client, create_user, login):
    relative = create_user(R.RELATIVE)
    login(relative)
    response = client.post("/check-in", data=ANSWERS)
    assert response.status_code == 400
    assert checkins_of(relative) == []
