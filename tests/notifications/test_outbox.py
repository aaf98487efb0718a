"""The outbox and its worker: nothing waits on a mail server, and each notice goes exactly once."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import func, select

from react_toolkit.extensions import db
from react_toolkit.forum.models import PUBLISHED, Post, ThreadReader
from react_toolkit.mail import Mail
from react_toolkit.notifications import services, worker
from react_toolkit.notifications.backends import PermanentError
from react_toolkit.notifications.models import FAILED, PENDING, SENT, Notice
from tests.conftest import post
from tests.forum.helpers import RELAXED, make_thread, reply_to

pytestmark = pytest.mark.forum_config(**RELAXED)


class DownServer:
    """A mail server that refuses every connection."""

    def __init__(self) -> None:
        self.tries = 0

    def send(self, mail: Mail) -> None:
        self.tries += 1
        raise ConnectionRefusedError("mail server down")


class Recorder:
    """A mail server that records what it accepted; it can die (a crash) on the nth message."""

    def __init__(self, crash_on: int | None = None, pause: float = 0.0) -> None:
        self.accepted: list[Mail] = []
        self.crash_on = crash_on
        self.pause = pause
        self.lock = threading.Lock()

    def send(self, mail: Mail) -> None:
        if self.crash_on is not None and len(self.accepted) + 1 == self.crash_on:
            raise SystemExit("worker killed")  # BaseException: the worker does not catch it
        if self.pause:
            time.sleep(self.pause)
        with self.lock:
            self.accepted.append(mail)


def _followers(thread, count: int, create_user) -> list:
    people = [create_user() for _ in range(count)]
    db.session.add_all(
        ThreadReader(user_id=p.id, thread_id=thread.id, following=True, email=True) for p in people
    )
    db.session.commit()
    return people


def test_a_reply_while_the_mail_server_is_down_is_saved_and_its_notice_goes_when_it_is_back(
    app, people, categories, create_user, clock
):
    thread = make_thread(people["other"], categories["introductions"], "Followed", "Opening words.")
    followers = _followers(thread, 3, create_user)
    down = DownServer()
    app.extensions["mail"] = down

    response = reply_to(people["author_client"], thread.id, "A reply while the server is down.")

    assert response.status_code == 302
    assert down.tries == 0  # the request never reached the mail server
    saved = db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id.desc()))
    assert saved.status == PUBLISHED and saved.body == "A reply while the server is down."
    # One job for the reply, whatever the number of followers.
    assert db.session.scalar(select(func.count(Notice.id))) == 1

    tally = worker.deliver_due()
    assert tally.sent == 0 and tally.retried == 3 and down.tries == 3
    waiting = db.session.scalars(select(Notice).where(Notice.channel == "email")).all()
    assert {n.status for n in waiting} == {PENDING} and {n.attempts for n in waiting} == {1}
    assert all(n.last_error == "ConnectionRefusedError" for n in waiting)
    # Not tried again before the back-off ends.
    assert worker.deliver_due().retried == 0 and down.tries == 3

    back = Recorder()
    app.extensions["mail"] = back
    clock.advance(seconds=app.config["OUTBOX_RETRY_SECONDS"] + 1)
    assert worker.deliver_due().sent == 3
    assert sorted(m.to for m in back.accepted) == sorted(f.email for f in followers)
    assert all("A reply while" not in m.body for m in back.accepted)
    assert worker.deliver_due().sent == 0


def test_a_reply_costs_one_row_with_many_followers(app, people, categories, create_user, outbox):
    thread = make_thread(people["other"], categories["introductions"], "Busy", "Opening words.")
    _followers(thread, 40, create_user)
    reply_to(people["author_client"], thread.id, "Hello all.")
    rows = db.session.scalars(select(Notice)).all()
    assert [(n.channel, n.kind) for n in rows] == [("fanout", "forum.reply")]
    assert rows[0].payload == {"thread_id": thread.id, "post_id": rows[0].payload["post_id"]}
    assert len(outbox) == 40


def test_a_worker_killed_mid_batch_and_started_again_sends_each_notice_once(
    app, people, categories, create_user, clock
):
    thread = make_thread(people["other"], categories["introductions"], "Crash", "Opening words.")
    followers = _followers(thread, 6, create_user)
    reply_to(people["author_client"], thread.id, "Hello.")
    dying = Recorder(crash_on=4)
    app.extensions["mail"] = dying
    with pytest.raises(SystemExit):
        worker.deliver_due("first")
    db.session.rollback()
    assert len(dying.accepted) == 3
    assert (
        db.session.scalar(select(func.count()).where(Notice.status == SENT, Notice.channel == "email")) == 3
    )

    second = Recorder()
    app.extensions["mail"] = second
    # The dead worker's claims hold until their lease ends; then the rest go, once.
    assert worker.deliver_due("second").sent == 0
    clock.advance(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)
    assert worker.deliver_due("second").sent == 3
    sent_to = Counter(m.to for m in dying.accepted + second.accepted)
    assert sent_to == Counter(f.email for f in followers)
    assert db.session.scalar(select(func.count()).where(Notice.status != SENT)) == 0


def test_two_workers_at_once_send_each_notice_once(app, people, categories, create_user):
    app.config["OUTBOX_BATCH"] = 3
    thread = make_thread(people["other"], categories["introductions"], "Two workers", "Opening words.")
    followers = _followers(thread, 24, create_user)
    reply_to(people["author_client"], thread.id, "Hello.")
    worker.deliver_due()  # expands the job into 24 notices (and sends them to the memory backend)
    db.session.execute(Notice.__table__.update().where(Notice.channel == "email").values(status=PENDING))
    db.session.commit()
    shared = Recorder(pause=0.005)
    app.extensions["mail"] = shared
    errors: list[BaseException] = []

    def run(name: str) -> None:
        try:
            with app.app_context():
                worker.deliver_due(name)
                db.session.remove()
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("one", "two")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert Counter(m.to for m in shared.accepted) == Counter(f.email for f in followers)
    claimed_by = set(db.session.scalars(select(Notice.claimed_by).where(Notice.channel == "email")))
    assert claimed_by <= {"one", "two"}


def test_a_notice_fails_after_its_last_try_and_an_admin_sees_it_and_can_send_it_again(
    app, create_user, login, clock
):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    person = create_user()
    services.enqueue("account.password_reset", user=person, subject="Reset", body="A link")
    db.session.commit()
    app.extensions["mail"] = DownServer()
    for _round in range(3):
        worker.deliver_due()
        clock.advance(hours=7)
    notice = db.session.scalar(select(Notice))
    assert notice.status == FAILED and notice.attempts == 3

    admin = login(create_user("admin"))
    page = admin.get("/notifications/failed")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "account.password_reset" in text and "ConnectionRefusedError" in text
    assert person.email not in text and "A link" not in text
    assert (
        login(create_user("supporter"), the_client=app.test_client()).get("/notifications/failed").status_code
        == 403
    )

    app.extensions["mail"] = Recorder()
    assert post(admin, f"/notifications/failed/{notice.id}/retry", {}).status_code == 302
    assert worker.deliver_due().sent == 1


def test_a_refused_notice_fails_at_once(app, create_user):
    class Refusing:
        def send(self, mail: Mail) -> None:
            raise PermanentError("Notify answered 400")

    person = create_user()
    services.enqueue("account.password_reset", user=person, subject="Reset", body="A link")
    db.session.commit()
    app.extensions["mail"] = Refusing()
    assert worker.deliver_due().failed == 1
    assert db.session.scalar(select(Notice.status)) == FAILED


def test_deliver_once_command_sends_what_is_due(app, create_user, outbox):
    person = create_user()
    services.enqueue("account.password_reset", user=person, subject="Reset", body="A link")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["react", "deliver", "--once"])
    assert result.exit_code == 0 and "Notices sent: 1." in result.output
    assert [m.to for m in app.extensions["mail"].outbox] == [person.email]
