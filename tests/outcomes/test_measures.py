"""The routine questionnaires: the first offer, the schedule, item 9, high scores, the relative's view and sharing."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from react_toolkit.auth import roles as R
from react_toolkit.extensions import db
from react_toolkit.inbox.models import Conversation, Message
from react_toolkit.outcomes import schedule
from react_toolkit.outcomes.models import MeasureAnswer, MeasurePreference
from react_toolkit.timeutil import LONDON, now, today
from tests.conftest import post

PHQ9_KEYS = [
    "interest",
    "down",
    "sleep",
    "tired",
    "appetite",
    "feeling_bad",
    "concentrating",
    "moving",
    "better_off_dead",
]
GAD7_KEYS = [
    "nervous",
    "control_worrying",
    "worrying_too_much",
    "relaxing",
    "restless",
    "irritable",
    "afraid",
]


def registered_days_ago(user, days: int) -> None:
    """Move the relative's registration back `days` UK days (midday, so no clock change moves the day)."""
    if days:
        user.created_at = datetime.combine(today() - timedelta(days=days), time(12), LONDON).astimezone(UTC)
    db.session.commit()


def phq9(total_before_item9: int = 0, item9: int = 0, **extra) -> dict[str, str]:
    """PHQ-9 answers: `total_before_item9` spread over items 1 to 8, then item 9."""
    answers, left = {}, total_before_item9
    for key in PHQ9_KEYS[:-1]:
        value = min(left, 3)
        answers[key] = str(value)
        left -= value
    answers["better_off_dead"] = str(item9)
    return {**answers, **extra}


def gad7(total: int = 0) -> dict[str, str]:
    answers, left = {}, total
    for key in GAD7_KEYS:
        value = min(left, 3)
        answers[key] = str(value)
        left -= value
    return answers


def answer(client, key: str, answers: dict):
    return post(client, f"/measures/{key}", answers, token_from=f"/measures/{key}")


def answers_of(user) -> list[MeasureAnswer]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(MeasureAnswer).where(MeasureAnswer.user_id == user.id).order_by(MeasureAnswer.id)
        )
    )


def staff_notices(user) -> list[Conversation]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Conversation).where(Conversation.relative_id == user.id, Conversation.staff_only)
        )
    )


@pytest.fixture
def relative(create_user, login):
    person = create_user(R.RELATIVE)
    login(person)
    return person


# The schedule, on a set calendar ---------------------------------------------------------------

JOINED = datetime(2027, 1, 6, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "answered", "expected"),
    [
        (0, set(), ("baseline", True)),
        (14, set(), ("baseline", True)),
        (15, set(), ("baseline", False)),  # late, out of its window
        (40, {"baseline"}, (schedule.EXTRA, False)),
        (69, {"baseline"}, (schedule.EXTRA, False)),
        (70, {"baseline"}, ("week12", True)),
        (98, {"baseline"}, ("week12", True)),
        (99, {"baseline"}, ("week12", False)),
        (90, set(), ("week12", True)),  # no baseline: the open window comes first
        (120, {"baseline", "week12"}, (schedule.EXTRA, False)),
        (154, {"baseline", "week12"}, ("week24", True)),
        (182, {"baseline"}, ("week24", True)),
        (200, {"baseline"}, ("week24", False)),
        (300, {"baseline", "week12", "week24"}, (schedule.EXTRA, False)),
    ],
)
def test_an_answer_is_placed_at_its_time_point_and_marked_in_or_out_of_its_window(day, answered, expected):
    on = date(2027, 1, 6) + timedelta(days=day)
    assert schedule.placing(JOINED, answered, on) == expected


def test_windows_are_two_weeks_either_side_of_12_and_24_weeks():
    assert [(p.key, p.opens, p.closes) for p in schedule.TIME_POINTS] == [
        ("baseline", 0, 14),
        ("week12", 70, 98),
        ("week24", 154, 182),
    ]
    # Registered at 12:30am on 1 July in summer time, 11:30pm on 30 June in UTC: the UK day counts.
    late = datetime(2027, 6, 30, 23, 30, tzinfo=UTC)
    assert schedule.days_since(late, date(2027, 7, 1)) == 0
    assert schedule.next_due(JOINED, {"baseline"}, date(2027, 2, 1)) == (
        schedule.BY_KEY["week12"],
        date(2027, 3, 17),
    )
    assert schedule.next_due(JOINED, {"baseline", "week12", "week24"}, date(2027, 2, 1)) is None


# The first offer -----------------------------------------------------------------------------


def test_home_offers_the_questionnaires_at_registration_and_not_now_puts_them_away(client, relative):
    home = client.get("/").get_data(as_text=True)
    assert "Two short questionnaires about how you are" in home
    assert 'href="/measures/start"' in home

    page = client.get("/measures/start").get_data(as_text=True)
    assert "Your team does not see your answers or your scores" in page
    assert "never one person" in page
    assert "Phq9".lower() not in page.lower() or "PHQ-9" in page

    response = post(client, "/measures/start", {"action": "later"}, token_from="/measures/start")
    assert response.status_code == 302
    chosen = db.session.get(MeasurePreference, relative.id)
    assert chosen.baseline_declined_at is not None and chosen.tell_team is False
    assert "Two short questionnaires about how you are" not in client.get("/").get_data(as_text=True)
    assert answers_of(relative) == []
    # Declining is not final: the questionnaire still opens, and the answers count as the baseline.
    assert answer(client, "phq9", phq9(3)).status_code == 302
    assert [(a.time_point, a.in_window) for a in answers_of(relative)] == [("baseline", True)]


@pytest.mark.dates
def test_the_baseline_is_kept_with_its_time_point_window_total_and_band(client, relative):
    response = post(
        client, "/measures/start", {"action": "start", "tell_team": "y"}, token_from="/measures/start"
    )
    assert response.headers["Location"].endswith("/measures/phq9")
    assert db.session.get(MeasurePreference, relative.id).tell_team is True

    page = client.get("/measures/phq9").get_data(as_text=True)
    assert "Little interest or pleasure in doing things" in page
    assert "Nearly every day" in page
    assert "educational grant from Pfizer" in page

    response = answer(client, "phq9", phq9(7, difficulty="1"))
    assert response.headers["Location"].endswith("/measures/phq9/result")
    [saved] = answers_of(relative)
    assert (saved.instrument, saved.time_point, saved.in_window, saved.days_since_registration) == (
        "phq9",
        "baseline",
        True,
        0,
    )
    assert (saved.total, saved.band, saved.safety_answer) == (7, "mild", False)
    assert saved.answers["difficulty"] == 1

    result = client.get("/measures/phq9/result").get_data(as_text=True)
    assert "score is 7 out of 27" in result
    assert "mild band" in result
    assert 'id="crisis-help"' not in result
    assert 'href="/measures/gad7"' in result  # the other questionnaire is next

    assert answer(client, "gad7", gad7(12)).status_code == 302
    assert [(a.instrument, a.total, a.band) for a in answers_of(relative)][-1] == ("gad7", 12, "moderate")
    assert "Two short questionnaires" not in client.get("/").get_data(as_text=True)
    assert staff_notices(relative) == []


def test_a_missing_answer_is_named_next_to_its_question_and_the_other_answers_are_kept(client, relative):
    answers = phq9(5)
    del answers["tired"]
    response = answer(client, "phq9", answers)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(
        r'id="tired-error">\s*<span[^>]*>Error: </span>\s*Choose an answer for this question', html
    )
    assert 'href="#tired-1"' in html
    assert re.search(r'name="interest" type="radio" value="3" checked', html)
    assert answers_of(relative) == []


@pytest.mark.parametrize("bad", ["4", "-1", "x"])
def test_an_answer_off_the_scale_is_refused(client, relative, bad):
    response = answer(client, "phq9", {**phq9(2), "down": bad})
    assert response.status_code == 400
    assert answers_of(relative) == []


def test_the_check_in_and_unknown_questionnaires_have_no_questionnaire_page(client, relative):
    assert client.get("/measures/wellbeing").status_code == 404
    assert client.get("/measures/nothing").status_code == 404


# Item 9 and high scores ------------------------------------------------------------------------


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_item_9_shows_the_crisis_card_and_tells_the_team_only_that_and_when(client, relative, outbox, item9):
    relative.team.crisis_phone = "0300 123 4567"
    db.session.commit()
    post(client, "/measures/start", {"action": "start", "tell_team": "y"}, token_from="/measures/start")
    answer(client, "phq9", phq9(6, item9))
    [saved] = answers_of(relative)
    assert saved.safety_answer and saved.team_told

    html = client.get("/measures/phq9/result").get_data(as_text=True)
    assert 'id="crisis-help"' in html
    assert 'href="tel:03001234567"' in html and 'href="tel:116123"' in html and 'href="tel:999"' in html
    assert "we have let your team know" in html

    [notice] = staff_notices(relative)
    assert notice.urgent and notice.team_id == relative.team_id
    [note] = db.session.scalars(select(Message).where(Message.conversation_id == notice.id))
    assert note.kind == "note"
    assert "safety answer" in notice.subject
    assert "agreed that the team would be told" in note.body
    for word in ("Several days", "More than half", "Nearly every day", "out of 27"):
        assert word not in note.body
    # The relative never sees the staff-only notice among their messages.
    assert "safety answer" not in client.get("/messages").get_data(as_text=True)


def test_item_9_without_consent_shows_the_crisis_card_and_tells_nobody(client, relative, outbox):
    post(client, "/measures/start", {"action": "start"}, token_from="/measures/start")
    answer(client, "phq9", phq9(0, 1))
    [saved] = answers_of(relative)
    assert saved.safety_answer and not saved.team_told
    html = client.get("/measures/phq9/result").get_data(as_text=True)
    assert 'id="crisis-help"' in html
    assert "Your team has not been told" in html
    assert staff_notices(relative) == []
    assert outbox == []


def test_not_at_all_to_item_9_shows_no_crisis_card(client, relative):
    answer(client, "phq9", phq9(18, 0))
    html = client.get("/measures/phq9/result").get_data(as_text=True)
    assert 'id="crisis-help"' not in html


@pytest.mark.parametrize(("key", "answers", "high"), [
    ("phq9", phq9(19), False), ("phq9", phq9(20), True), ("phq9", phq9(24), True),
    ("gad7", gad7(14), False), ("gad7", gad7(15), True), ("gad7", gad7(21), True),
])  # fmt: skip
def test_a_high_score_shows_a_kind_page_pointing_to_the_gp_and_the_team(client, relative, key, answers, high):
    answer(client, key, answers)
    html = client.get(f"/measures/{key}/result").get_data(as_text=True)
    assert ("Please talk to someone about how you are" in html) is high
    assert ('href="https://www.nhs.uk/nhs-services/gps/"' in html) is high
    assert ('href="/messages/new"' in html) is high


# The relative's own view -----------------------------------------------------------------------


@pytest.mark.dates
def test_at_12_weeks_home_says_they_are_due_and_the_answers_count_for_that_time_point(client, relative):
    registered_days_ago(relative, 84)
    home = client.get("/").get_data(as_text=True)
    assert "Your questionnaires are due" in home
    assert "12 weeks questionnaires" in home
    closes = today() + timedelta(days=14)
    assert f"until {closes.day} {closes:%B %Y}" in home
    answer(client, "phq9", phq9(4))
    answer(client, "gad7", gad7(3))
    assert [(a.time_point, a.in_window, a.days_since_registration) for a in answers_of(relative)] == [
        ("week12", True, 84),
        ("week12", True, 84),
    ]
    assert "Your questionnaires are due" not in client.get("/").get_data(as_text=True)


@pytest.mark.dates
def test_outside_a_window_home_says_nothing_is_due(client, relative):
    registered_days_ago(relative, 40)
    assert "questionnaires" not in client.get("/").get_data(as_text=True)
    page = client.get("/measures").get_data(as_text=True)
    opens = today() + timedelta(days=30)
    assert f"Your 12 weeks questionnaires will be ready on {opens.day} {opens:%B %Y}" in page


def test_the_scores_page_draws_a_chart_with_a_table_of_every_score_and_its_band(client, relative):
    registered_days_ago(relative, 90)
    relative_id = relative.id
    first = now() - timedelta(days=89)
    db.session.add_all(
        [
            MeasureAnswer(user_id=relative_id, instrument="phq9", time_point="baseline", in_window=True,
                          days_since_registration=1, completed_at=first, answers={}, total=16, band="moderately_severe"),
            MeasureAnswer(user_id=relative_id, instrument="gad7", time_point="baseline", in_window=True,
                          days_since_registration=1, completed_at=first, answers={}, total=11, band="moderate"),
        ]
    )  # fmt: skip
    db.session.commit()
    answer(client, "phq9", phq9(8))
    html = client.get("/measures").get_data(as_text=True)
    assert html.count('<svg role="img"') == 2
    assert html.count("<circle") == 3
    assert "<polyline" in html
    phq_table = html.split("Your PHQ-9 scores</caption>")[1].split("</table>")[0]
    assert "16 out of 27" in phq_table and "Moderately severe" in phq_table
    assert "8 out of 27" in phq_table and "Mild" in phq_table
    assert "When you joined" in phq_table and "12 weeks" in phq_table
    assert "A score is not a diagnosis" in html
    assert "Only you can see this page" in html


def test_welsh_readers_get_the_english_questions_with_a_note_in_welsh(client, relative):
    relative.language = "cy"
    db.session.commit()
    html = client.get("/measures/phq9").get_data(as_text=True)
    assert '<span translate="no" lang="en">Little interest or pleasure in doing things</span>' in html
    assert "fersiwn Gymraeg" in html and "Saesneg" in html


# Sharing a summary -----------------------------------------------------------------------------


def test_the_summary_is_shown_exactly_before_it_is_sent_and_the_team_reads_it(
    app, client, relative, create_user, login
):
    answer(client, "phq9", phq9(11))
    answer(client, "gad7", gad7(6))
    form = {"questions": "Will the medication make him sleepy?\nWho do I call at night?"}

    preview = post(client, "/measures/share", {**form, "action": "preview"}, token_from="/measures/share")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "exactly what your team will get" in html
    assert "PHQ-9: 11 out of 27 (moderate)" in html
    assert "GAD-7: 6 out of 21 (mild)" in html
    assert "Will the medication make him sleepy?" in html
    assert db.session.scalar(select(Conversation).where(Conversation.relative_id == relative.id)) is None

    sent = post(client, "/measures/share", {**form, "action": "send"}, token_from="/measures/share")
    assert sent.status_code == 302
    db.session.expire_all()
    [conversation] = db.session.scalars(select(Conversation).where(Conversation.relative_id == relative.id))
    assert not conversation.staff_only and conversation.team_id == relative.team_id
    [message] = db.session.scalars(select(Message).where(Message.conversation_id == conversation.id))
    assert "PHQ-9: 11 out of 27 (moderate)" in message.body
    assert "Who do I call at night?" in message.body
    assert "I have not finished any modules yet." in message.body
    for words in ("Little interest", "Feeling down", "Several days", "Nearly every day"):
        assert words not in message.body  # the item answers are never in it

    supporter = create_user(R.SUPPORTER, team=relative.team)
    staff = login(supporter, the_client=app.test_client())
    page = staff.get(f"/inbox/{conversation.id}").get_data(as_text=True)
    assert "PHQ-9: 11 out of 27 (moderate)" in page
    assert "Who do I call at night?" in page


def test_too_long_questions_are_refused_and_kept(client, relative):
    long = "Why? " * 450
    response = post(
        client, "/measures/share", {"questions": long, "action": "preview"}, token_from="/measures/share"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your questions must be 2,000 characters or fewer" in html
    assert "Why? Why?" in html


# Nobody else reaches a relative's answers ------------------------------------------------------

RELATIVE_PAGES = [
    "/measures",
    "/measures/start",
    "/measures/phq9",
    "/measures/phq9/result",
    "/measures/share",
]


@pytest.mark.parametrize("role", [R.CLINICIAN, R.SUPPORTER, R.MODERATOR, R.SITE_LEAD, R.RESEARCHER, R.ADMIN])
def test_staff_cannot_open_or_post_to_any_questionnaire_page(app, client, create_user, login, role):
    relative = create_user(R.RELATIVE)
    relative_client = login(relative, the_client=app.test_client())
    answer(relative_client, "phq9", phq9(13))
    staff = (
        create_user(role, team=relative.team) if role not in (R.ADMIN, R.RESEARCHER) else create_user(role)
    )
    login(staff)
    for path in RELATIVE_PAGES:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "13 out of 27" not in response.get_data(as_text=True)
    assert post(client, "/measures/phq9", phq9(1)).status_code == 403
    assert post(client, "/measures/share", {"action": "send"}).status_code == 403
    assert len(answers_of(relative)) == 1


def test_one_relative_never_sees_another_s_scores(app, create_user, login):
    first, second = create_user(R.RELATIVE), create_user(R.RELATIVE)
    first_client = login(first, the_client=app.test_client())
    second_client = login(second, the_client=app.test_client())
    answer(first_client, "phq9", phq9(17))
    assert "17 out of 27" in first_client.get("/measures").get_data(as_text=True)
    assert "17 out of 27" not in second_client.get("/measures").get_data(as_text=True)
    assert second_client.get("/measures/phq9/result").headers["Location"].endswith("/measures/phq9")


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/measures")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_a_missing_csrf_token_is_refused(client, relative):
    assert client.post("/measures/phq9", data=phq9(2)).status_code == 400
    assert answers_of(relative) == []


def test_with_no_team_to_tell_the_answers_are_kept_and_the_crisis_card_still_shows(
    client, create_user, login
):
    loner = create_user(R.RELATIVE, no_team=True)
    login(loner)
    post(client, "/measures/start", {"action": "start", "tell_team": "y"}, token_from="/measures/start")
    assert answer(client, "phq9", phq9(0, 2)).status_code == 302
    [saved] = answers_of(loner)
    assert saved.safety_answer and not saved.team_told
    html = client.get("/measures/phq9/result").get_data(as_text=True)
    assert 'id="crisis-help"' in html and "Your team has not been told" in html
    response = post(
        client, "/measures/share", {"questions": "Hello", "action": "send"}, token_from="/measures/share"
    )
    assert response.status_code == 400
    assert "no supporter team to write to" in response.get_data(as_text=True)


# Events, the data download and erasure ---------------------------------------------------------


def test_answering_records_an_event_with_the_answer_set_id_only(client, relative):
    from react_toolkit.usage.models import UsageEvent

    answer(client, "phq9", phq9(9))
    [saved] = answers_of(relative)
    [event] = db.session.scalars(select(UsageEvent).where(UsageEvent.name == "outcomes.measure.completed"))
    assert (event.user_id, event.object_type, event.object_id) == (relative.id, "measure", str(saved.id))
    assert event.route == "/measures/<instrument>"


def test_the_data_download_holds_the_answers_and_erasure_removes_them(client, relative):
    import json

    from react_toolkit.auth.erasure import erase_account
    from react_toolkit.outcomes.models import MeasureReminder

    post(client, "/measures/start", {"action": "start", "tell_team": "y"}, token_from="/measures/start")
    answer(client, "phq9", phq9(12))
    db.session.add(MeasureReminder(user_id=relative.id, time_point="week12"))
    db.session.commit()
    data = json.loads(client.get("/account/data").get_data(as_text=True))
    [row] = data["questionnaires"]["answers"]
    assert (row["questionnaire"], row["time_point"], row["total"], row["band"]) == (
        "phq9",
        "baseline",
        12,
        "moderate",
    )
    assert data["questionnaires"]["choices"]["tell_team_of_safety_answer"] is True
    assert data["questionnaires"]["reminders"][0]["time_point"] == "week12"

    erase_account(relative)
    db.session.commit()
    assert answers_of(relative) == []
    assert db.session.get(MeasurePreference, relative.id) is None
    assert db.session.scalars(select(MeasureReminder)).all() == []
