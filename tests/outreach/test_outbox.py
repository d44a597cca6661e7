"""The outbox: mail written with its data, delivered after the commit, through every fault a
mail server or a worker meets. A real SMTP server on loopback (tests/smtp_sink.py) misbehaves
on cue; "later" is reached by moving the outbox's clock columns, never by waiting."""

import signal
import threading
from dataclasses import dataclass
from datetime import timedelta

import pytest
import sqlalchemy as sa

from donation_drive import create_app, worker
from donation_drive.core.database import writing
from donation_drive.core.extensions import db as _db
from donation_drive.models import Invitation, InvitationStatus, OutboxMessage, OutboxStatus
from donation_drive.outreach import mail, outbox
from donation_drive.outreach.delivery import ThreadDelivery, WorkerDelivery
from donation_drive.outreach.outbox import RETRY_AFTER
from smtp_sink import SmtpSink, closed_port, smtp_server  # noqa: F401
from support import Browser, base_config, start_flask
from test_faults import CuttableProxy
from test_journeys import create_drive, invite_path, sign_up


def queue(count: int) -> None:
    with writing():
        for n in range(count):
            message = mail.build_message(f"friend{n}@example.org", f"Hello {n}", "text", "<p>html</p>")
            assert outbox.put(f"test:{n}", "test", message)
        _db.session.commit()


@dataclass(frozen=True)
class Row:
    kind: str
    status: OutboxStatus
    attempts: int
    holds_message: bool


def rows() -> list[Row]:
    """The outbox as it stands; the reading transaction ends, as a deliverer begins its own."""
    found = [Row(m.kind, m.status, m.attempts, m.message is not None)
             for m in _db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))]
    _db.session.commit()
    return found


def later(by: timedelta) -> None:
    """Move the outbox's clock: what was due `by` from now is due now."""
    for message in _db.session.scalars(sa.select(OutboxMessage)):
        message.next_attempt_at -= by
        if message.claimed_until is not None:
            message.claimed_until -= by
    _db.session.commit()


@pytest.fixture
def held(app, monkeypatch):
    """An app whose commits only queue: the test says when the outbox is delivered."""
    outbox_held = HeldDelivery()
    monkeypatch.setitem(app.extensions, "outbox_delivery", outbox_held)
    return outbox_held


class HeldDelivery:
    def __init__(self) -> None:
        self.woken = 0

    def wake(self) -> None:
        self.woken += 1

    def start(self) -> None:
        """Nothing to start."""


def test_mail_queued_in_a_transaction_that_rolls_back_is_never_sent(app, smtp_server, held):
    with app.app_context(), writing():  # a transaction as a request or the worker has one
        assert outbox.put("test:0", "test", mail.build_message("ana@example.org", "Hi", "t", "<p>h</p>"))
        _db.session.rollback()
        assert rows() == []
        assert outbox.deliver_due().sent == 0
    assert held.woken == 0
    assert smtp_server.envelopes == []


def test_mail_committed_before_the_process_died_is_sent_by_the_next_round(app, smtp_server, held):
    with app.app_context():
        queue(1)
    assert held.woken == 1  # the commit asked for delivery; suppose the process died right then
    with app.app_context():
        assert [row.status for row in rows()] == [OutboxStatus.QUEUED]
        assert outbox.deliver_due().sent == 1
        assert rows() == [Row("test", OutboxStatus.SENT, 1, holds_message=False)]  # no private link kept
    assert smtp_server.recipients() == ["friend0@example.org"]


def test_a_mail_server_down_for_over_an_hour_loses_nothing_and_sends_once(app, smtp_server, held):
    port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=closed_port(), MAIL_TIMEOUT=2)
    with app.app_context():
        queue(3)
        waited = timedelta()
        for delay in RETRY_AFTER[:8]:  # 30 s, 1, 2, 5, 10, 20, 30 min, 1 h: about two hours
            report = outbox.deliver_due()
            assert report.server_down and report.sent == 0
            assert report.retrying == 1, "the first failure ends the round: no waiting on each timeout"
            later(delay)
            waited += delay
        assert waited > timedelta(hours=1)
        assert {row.status for row in rows()} == {OutboxStatus.QUEUED}
        app.config.update(MAIL_PORT=port)
        later(timedelta(hours=4))
        assert outbox.deliver_due().sent == 3
        assert outbox.deliver_due().sent == 0
    assert sorted(smtp_server.recipients()) == ["friend0@example.org", "friend1@example.org", "friend2@example.org"]


def _invite(browser: Browser, drive_page: str, addresses: str) -> None:
    page = browser.get(f"{drive_page}/invitations")
    assert page.status_code == 200
    response = browser.submit(f"{drive_page}/invitations", {"addresses": addresses, "message": ""})
    assert response.status_code in (200, 302), response.status_code


@pytest.fixture
def drive_page(browser: Browser) -> str:
    browser.register()
    return create_drive(browser)


def test_an_invitation_that_keeps_failing_is_given_up_and_shown_failed(app, browser, smtp_server, db, drive_page,
                                                                       held):
    app.config.update(MAIL_PORT=closed_port(), MAIL_TIMEOUT=2)
    _invite(browser, drive_page, "ana@example.org")
    for delay in RETRY_AFTER:
        outbox.deliver_due()
        later(delay)
    report = outbox.deliver_due()
    assert report.failed == 1
    db.session.expire_all()
    [invitation] = db.session.scalars(sa.select(Invitation))
    assert invitation.status is InvitationStatus.FAILED
    assert invitation.failure.startswith("The mail server is not available")
    db.session.commit()
    assert "failed" in browser.get(f"{drive_page}/invitations").get_data(as_text=True)
    assert [row.status for row in rows() if row.kind == "invitation"] == [OutboxStatus.FAILED]


def test_one_refused_recipient_fails_alone(app, browser, smtp_server, db, drive_page):
    smtp_server.clear()
    smtp_server.refused_recipients = {"nobody@example.org"}
    _invite(browser, drive_page, "ana@example.org, nobody@example.org, ben@example.org")
    assert sorted(smtp_server.recipients()) == ["ana@example.org", "ben@example.org"]
    statuses = {i.email: i.status for i in db.session.scalars(sa.select(Invitation))}
    assert statuses == {"ana@example.org": InvitationStatus.SENT, "nobody@example.org": InvitationStatus.FAILED,
                        "ben@example.org": InvitationStatus.SENT}


def test_a_connection_dropped_mid_message_is_retried_and_the_message_arrives_once(app, smtp_server, held):
    smtp_server.drops = 1
    with app.app_context():
        queue(2)
        first = outbox.deliver_due()
        assert first.server_down and first.sent == 0
        later(RETRY_AFTER[0])
        assert outbox.deliver_due().sent == 2
    assert sorted(smtp_server.recipients()) == ["friend0@example.org", "friend1@example.org"]


def test_two_deliverers_at_once_send_each_message_once(app, smtp_server, held):
    with app.app_context():
        queue(12)
    start = threading.Barrier(2)
    sent, errors = [], []

    def deliver() -> None:
        try:
            with app.app_context():
                start.wait()
                sent.append(outbox.deliver_due().sent)
        except Exception as error:  # reported below: a thread cannot fail the test
            errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent) == 12
    assert sorted(smtp_server.recipients()) == sorted(f"friend{n}@example.org" for n in range(12))


def test_a_deliverer_killed_mid_message_leaves_it_to_the_next_once_its_claim_ends(app, smtp_server, held, tmp_path):
    with app.app_context():
        queue(1)
    smtp_server.released.clear()
    smtp_server.receiving.clear()
    log = tmp_path / "deliverer.log"
    deliverer = start_flask(app, log, "outbox-deliver")
    try:
        assert smtp_server.receiving.wait(timeout=60), f"the deliverer never reached DATA; it wrote:\n{log.read_text()}"
        deliverer.send_signal(signal.SIGKILL)
        deliverer.wait(timeout=30)
    finally:
        smtp_server.released.set()
    with app.app_context():
        assert [row.status for row in rows()] == [OutboxStatus.SENDING]
        assert outbox.deliver_due().sent == 0, "still claimed by the killed deliverer"
        later(outbox.CLAIM_FOR)
        assert outbox.deliver_due().sent == 1
    # The killed deliverer never finished DATA, so the server has exactly one message.
    assert smtp_server.recipients() == ["friend0@example.org"]


def test_a_sign_up_does_not_wait_on_a_slow_mail_server(app, smtp_server, browser, drive_page, monkeypatch):
    invite = invite_path(browser, drive_page)
    browser.logout()
    smtp_server.clear()
    thread = ThreadDelivery(app)
    monkeypatch.setitem(app.extensions, "outbox_delivery", thread)
    smtp_server.delay = 5.0  # five seconds before answering RCPT and DATA
    smtp_server.released.clear()
    try:
        sign_up(browser, invite, "Ana", email="ana@example.org")
        # The page has answered while the message has not even got through the server's DATA.
        assert smtp_server.envelopes == []
    finally:
        smtp_server.released.set()
    smtp_server.wait_for(1)
    thread.stop()
    assert smtp_server.recipients() == ["ana@example.org"]


def test_the_database_going_away_during_delivery_loses_nothing(app, database_url, tmp_path, smtp_server):
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    url = sa.make_url(database_url)
    proxy = CuttableProxy(url.port or 5432)
    through = url.set(host="127.0.0.1", port=proxy.port).update_query_dict({"connect_timeout": "2"})
    served = create_app({**base_config(through.render_as_string(hide_password=False), tmp_path / "instance"),
                         "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": app.config["MAIL_PORT"]})
    served.extensions["outbox_delivery"] = HeldDelivery()
    try:
        with served.app_context():
            queue(2)
        proxy.cut()
        with served.app_context(), pytest.raises(sa.exc.OperationalError):
            outbox.deliver_due()
        proxy.restore()
        with served.app_context():
            assert outbox.deliver_due().sent == 2
    finally:
        proxy.close()
        with served.app_context():
            _db.engine.dispose()
    assert sorted(smtp_server.recipients()) == ["friend0@example.org", "friend1@example.org"]


def test_the_worker_delivers_what_a_request_queued(app, smtp_server, browser, drive_page, monkeypatch, tmp_path):
    invite = invite_path(browser, drive_page)
    browser.logout()
    smtp_server.clear()
    # As in production: the commit nudges the worker through its queue (a SQLite file in instance/).
    monkeypatch.setitem(app.extensions, "outbox_delivery", WorkerDelivery(worker.nudge(app)))
    sign_up(browser, invite, "Ana", email="ana@example.org")
    assert smtp_server.envelopes == []
    log = tmp_path / "worker.log"
    worker_process = start_flask(app, log, "worker", "--threads", "1", MAIL_DELIVERY="worker")
    try:
        smtp_server.wait_for(1, timeout=90, meanwhile=log)
    finally:
        worker_process.send_signal(signal.SIGINT)
        worker_process.wait(timeout=60)
    # Ana's confirmation; the organiser's note about her may have gone out with it, or not yet.
    assert "ana@example.org" in smtp_server.recipients()
    assert set(smtp_server.recipients()) <= {"ana@example.org", "sam@example.org"}
    with app.app_context():
        assert outbox.state().waiting == 0
