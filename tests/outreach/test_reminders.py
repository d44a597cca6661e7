"""Confirmation, reminders, follow-ups and organisers' notes — each sent exactly once."""

import re
import subprocess
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest

import factories
from donation_drive.core.config import Defaults
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.drives import operations as drives
from donation_drive.models import Donation, OutboxMessage, OutboxStatus, Participant
from donation_drive.outreach import reminders
from smtp_sink import SmtpSink, closed_port, smtp_server  # noqa: F401
from support import flask_command
from test_journeys import sign_up

REPORT_LINK = re.compile(r"http://drive\.test(/r/[\w.-]+)")


REPO = Path(__file__).resolve().parents[2]


def noon_zone() -> str:
    """A time zone where it is about noon now, on today's UTC date: reminders go out from 09:00
    where the drive is (reminders.SEND_FROM), and the cron run in a subprocess reads the real clock."""
    hours_ahead = 12 - datetime.now(UTC).hour
    return f"Etc/GMT{-hours_ahead:+d}"  # the sign is POSIX's: Etc/GMT-3 is three hours ahead of UTC


@pytest.fixture
def invite(app, smtp_server) -> str:
    """The invite link of "7 for Jack", which Sam (sam@example.org) organises, in a zone where it is
    about noon; mail goes to `smtp_server`."""
    with app.app_context():
        jack = factories.drive(factories.organiser())
        jack.timezone = noon_zone()
        link = f"/join/{jack.invite_code}"
        _db.session.commit()
    return link


def signed_up(app, name: str, email: str, planned_on: date | None = None) -> str:
    """`name` signed up to "7 for Jack" and was sent the confirmation the sign-up form sends; their private page.

    Made directly, for the tests whose subject is what the cron sends afterwards.
    """
    with app.app_context():
        friend, token = factories.participant(drives.public_drive("7-for-jack"), name, email=email,
                                              planned_on=planned_on)
        assert reminders.confirm_sign_up(friend, token)
        _db.session.commit()
    return f"/p/{token}"


def subjects(smtp_server: SmtpSink) -> list[str]:
    return [str(m["Subject"]) for m in smtp_server.messages]


def to_whom(smtp_server: SmtpSink, subject_start: str) -> list[str]:
    return [r for m in smtp_server.messages if str(m["Subject"]).startswith(subject_start)
            for r in [m["To"].addresses[0].addr_spec]]


def run_cron(app) -> str:
    # The cron runs in its own app context and session: end the test's transaction first,
    # or on SQLite it would hold the write lock the cron needs.
    from donation_drive.core.extensions import db

    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def plan(db, name: str, days_from_today: int) -> Participant:
    """Move a participant's planned date (the form rightly refuses past dates)."""
    participant = db.session.scalar(db.select(Participant).where(Participant.name == name))
    participant.planned_on = today() + timedelta(days=days_from_today)
    db.session.commit()
    return participant


def test_sign_up_with_email_sends_confirmation_with_private_link_and_calendar(browser, smtp_server, invite):
    tomorrow = today() + timedelta(days=1)
    private = sign_up(browser, invite, "Ana", email="ana@example.org", planned_on=tomorrow.isoformat())
    [message] = smtp_server.messages
    assert message["Subject"] == "You're signed up — 7 for Jack"
    assert f"http://drive.test{private}" in smtp_server.text_of(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [attachment] = list(message.iter_attachments())
    calendar = icalendar.Calendar.from_ical(attachment.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == tomorrow


def test_sign_up_without_email_sends_nothing(browser, smtp_server, invite):
    sign_up(browser, invite, "Ana")
    assert smtp_server.messages == []


def test_cron_sends_the_reminder_once_and_organiser_hears_of_the_sign_up(app, smtp_server, db, invite):
    signed_up(app, "Ana", "ana@example.org", today() + timedelta(days=1))
    assert "Queued 2 messages; 0 waiting in the outbox." in run_cron(app)
    assert "Queued 0 messages; 0 waiting in the outbox." in run_cron(app)
    assert to_whom(smtp_server, "Your donation is coming up") == ["ana@example.org"]
    assert to_whom(smtp_server, "Ana signed up") == ["sam@example.org"]


def test_two_concurrent_runs_send_each_message_exactly_once(app, smtp_server, db, invite):
    for n in range(4):
        signed_up(app, f"Friend {n}", f"friend{n}@example.org", today() + timedelta(days=1))
    db.session.commit()
    start = threading.Barrier(2)
    counts, errors = [], []

    def run() -> None:
        try:
            with app.app_context():
                start.wait()
                counts.append(reminders.queue_due())
        except Exception as error:  # reported below, a thread cannot fail the test itself
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(counts) == 8  # 4 reminders + 4 "signed up" notes to the organiser
    reminded = to_whom(smtp_server, "Your donation is coming up")
    assert sorted(reminded) == [f"friend{n}@example.org" for n in range(4)]
    assert len(to_whom(smtp_server, "Friend")) == 4


def test_follow_up_links_to_the_report_form_and_a_report_brings_the_next_date(app, browser, smtp_server, db, invite):
    signed_up(app, "Ana", "ana@example.org")
    plan(db, "Ana", -1)
    run_cron(app)
    [follow_up] = [m for m in smtp_server.messages if str(m["Subject"]).startswith("Did you manage to donate?")]
    link = REPORT_LINK.search(smtp_server.text_of(follow_up)).group(1)
    assert browser.get(link).status_code == 200
    response = browser.submit(link, {"units": "1", "donated_on": today().isoformat(), "donation_type": "whole_blood"})
    assert response.status_code == 302
    page = browser.get(link).get_data(as_text=True)
    expected = today() + timedelta(weeks=12)
    assert f"{expected.day} {expected:%B %Y}" in page and "check with your blood service" in page
    assert db.session.scalar(db.select(db.func.count(Donation.id))) == 1

    run_cron(app)
    [thanks] = [m for m in smtp_server.messages if str(m["Subject"]).startswith("Thank you for donating")]
    assert "You may be able to donate again from" in smtp_server.text_of(thanks)
    assert to_whom(smtp_server, "A donation is waiting for your check") == ["sam@example.org"]


def test_bad_report_from_an_email_link_is_refused_and_nothing_is_stored(app, browser, smtp_server, db, invite):
    signed_up(app, "Ana", "ana@example.org")
    plan(db, "Ana", -1)
    run_cron(app)
    [follow_up] = [m for m in smtp_server.messages if str(m["Subject"]).startswith("Did you manage")]
    link = REPORT_LINK.search(smtp_server.text_of(follow_up)).group(1)
    future = (today() + timedelta(days=2)).isoformat()
    for bad in ({"units": "0", "donated_on": today().isoformat()}, {"units": "1", "donated_on": future}):
        response = browser.submit(link, {"donation_type": "whole_blood", **bad})
        assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Donation.id))) == 0
    tampered = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert browser.get(tampered).status_code == 404


def test_no_follow_up_for_someone_who_already_reported(app, smtp_server, db, invite):
    with app.app_context():
        ana, _link = factories.participant(drives.public_drive("7-for-jack"), "Ana", email="ana@example.org")
        factories.reported_donation(ana)
        _db.session.commit()
    plan(db, "Ana", -1)
    run_cron(app)
    assert not to_whom(smtp_server, "Did you manage")


def test_target_reached_tells_the_organiser_once(app, smtp_server, db, invite):
    with app.app_context():
        jack = drives.public_drive("7-for-jack")
        factories.logged_donation(jack, jack.organisers[0].user, units=7)
        _db.session.commit()
    run_cron(app)
    run_cron(app)
    assert to_whom(smtp_server, "Target reached") == ["sam@example.org"]


def test_one_click_unsubscribe_stops_all_mail_about_the_drive(app, browser, smtp_server, db, invite):
    signed_up(app, "Ana", "ana@example.org", today() + timedelta(days=1))
    [confirmation] = smtp_server.messages
    unsubscribe = confirmation["List-Unsubscribe"].strip("<>").replace("http://drive.test", "")
    assert f"http://drive.test{unsubscribe}" in smtp_server.text_of(confirmation)
    page = browser.get(unsubscribe)  # a link scanner's GET unsubscribes nobody
    assert page.status_code == 200 and "Stop email about 7 for Jack?" in page.get_data(as_text=True)
    response = browser.client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "get more email about 7 for Jack" in response.get_data(as_text=True)
    run_cron(app)
    assert to_whom(smtp_server, "Your donation is coming up") == []
    assert to_whom(smtp_server, "Ana signed up") == ["sam@example.org"]  # the organiser still hears


@pytest.mark.parametrize("url", ["/unsubscribe/garbage", "/r/garbage"])
def test_bad_links_from_emails_are_404(client, db, url):
    assert client.get(url).status_code == 404
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0


def test_a_message_the_server_refuses_for_good_is_given_up_not_sent_again(app, smtp_server, db, invite):
    signed_up(app, "Ana", "ana@example.org", today() + timedelta(days=1))
    smtp_server.refusing = True  # 554: this message, for good
    assert "Queued 2 messages; 0 waiting in the outbox." in run_cron(app)
    smtp_server.refusing = False
    assert "Queued 0 messages" in run_cron(app)
    assert to_whom(smtp_server, "Your donation is coming up") == []
    statuses = db.session.scalars(db.select(OutboxMessage.status).where(OutboxMessage.kind != "confirmation"))
    assert list(statuses) == [OutboxStatus.FAILED] * 2


def test_mail_server_down_stops_the_run_and_the_next_run_sends_everything(app, smtp_server, db, invite):
    signed_up(app, "Ana", "ana@example.org", today() + timedelta(days=1))
    port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=closed_port(), MAIL_TIMEOUT=2)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code == 1
    assert "Queued 2 messages; 2 waiting in the outbox." in result.output
    assert "is the mail server available?" in result.output
    app.config.update(MAIL_PORT=port, MAIL_TIMEOUT=Defaults.MAIL_TIMEOUT)  # a busy machine is slow
    # Half a minute later (the first retry's wait), the next run delivers them.
    db.session.execute(db.update(OutboxMessage).values(next_attempt_at=OutboxMessage.next_attempt_at - timedelta(minutes=1)))
    db.session.commit()
    assert "Queued 0 messages; 0 waiting in the outbox." in run_cron(app)
    assert to_whom(smtp_server, "Your donation is coming up") == ["ana@example.org"]


def test_cron_without_a_site_address_says_how_to_fix_it(app):
    app.config["SERVER_NAME"] = None
    result = app.test_cli_runner().invoke(args=["send-reminders"])
    assert result.exit_code != 0
    assert "Set SERVER_NAME or pass --base-url" in result.output


def test_two_cron_runs_started_at_once_both_succeed_and_send_each_message_once(app, smtp_server, db, invite):
    """Two `flask send-reminders` processes at the same moment wait their turn for SQLite's write
    lock instead of one failing with "database is locked"."""
    for n in range(6):
        signed_up(app, f"Friend {n}", f"friend{n}@example.org", today() + timedelta(days=1))
    smtp_server.clear()
    command = flask_command(app, "send-reminders")
    runs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert sorted(to_whom(smtp_server, "Your donation is coming up")) == [f"friend{n}@example.org" for n in range(6)]
    assert len(to_whom(smtp_server, "Friend")) == 6  # each "signed up" note to the organiser, once
