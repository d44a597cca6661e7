"""The mail module: real SMTP on loopback, the outbox fallback, and header safety."""

import logging
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from donation_drive.outreach.mail import MailError, MailServerUnavailable, build_message, deliver
from smtp_sink import SmtpSink, closed_port, smtp_server  # noqa: F401

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def send_mail(*args, **kwargs) -> None:
    """What the outbox does with a message: built when queued, delivered from its bytes."""
    deliver(build_message(*args, **kwargs).as_bytes())


def test_message_arrives_with_text_html_and_attachment(app, smtp_server: SmtpSink):
    with app.app_context():
        send_mail("Ana Friend <ana@example.org>", "7 for Jack: you are invited",
                  "Join us, Ana.", "<p>Join us, <b>Ana</b>.</p>",
                  attachments=[("donation.ics", "text/calendar", ICS)])
    assert smtp_server.recipients() == ["ana@example.org"]
    [message] = smtp_server.messages
    assert message["Subject"] == "7 for Jack: you are invited"
    assert message["To"].addresses[0].display_name == "Ana Friend"
    assert smtp_server.text_of(message).strip() == "Join us, Ana."
    assert "<b>Ana</b>" in smtp_server.html_of(message)
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "donation.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_payload(decode=True) == ICS
    assert "List-Unsubscribe" not in message


def test_unsubscribe_headers_allow_one_click(app, smtp_server: SmtpSink):
    with app.app_context():
        send_mail("ana@example.org", "Reminder", "text", "<p>html</p>",
                  unsubscribe_url="https://drive.test/unsubscribe/abc")
    [message] = smtp_server.messages
    assert message["List-Unsubscribe"] == "<https://drive.test/unsubscribe/abc>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


#: As long as a real unsubscribe link can get: past the 78 characters at which headers are folded.
LONG_UNSUBSCRIBE_URL = "https://blood-donation-drives.example.org/unsubscribe/" + "Ab3_-" * 30


def _raw_header_lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\r\n\r\n" if b"\r\n" in raw else b"\n\n", 1)[0].splitlines()


def test_unsubscribe_header_is_one_plain_line_in_the_message_bytes(app):
    with app.app_context():
        raw = build_message("ana@example.org", "Reminder", "text", "<p>html</p>",
                            unsubscribe_url=LONG_UNSUBSCRIBE_URL).as_bytes()
    lines = _raw_header_lines(raw)
    at = lines.index(f"List-Unsubscribe: <{LONG_UNSUBSCRIBE_URL}>".encode())
    assert lines[at + 1] == b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"
    assert b"=?utf-8?" not in raw


def test_unsubscribe_header_arrives_as_one_plain_line_over_smtp(app, smtp_server: SmtpSink):
    with app.app_context():
        send_mail("ana@example.org", "Reminder", "text", "<p>html</p>", unsubscribe_url=LONG_UNSUBSCRIBE_URL)
    [envelope] = smtp_server.envelopes
    lines = _raw_header_lines(envelope.original_content)
    at = lines.index(f"List-Unsubscribe: <{LONG_UNSUBSCRIBE_URL}>".encode())
    assert lines[at + 1] == b"List-Unsubscribe-Post: List-Unsubscribe=One-Click"
    [message] = smtp_server.messages
    assert message["List-Unsubscribe"] == f"<{LONG_UNSUBSCRIBE_URL}>"


@pytest.mark.parametrize("to", [
    "ana@example.org\r\nBcc: victim@example.org",
    "Ana\r\nBcc: victim@example.org <ana@example.org>",
    "not an address",
    "ana@example.org, bob@example.org",
])
def test_bad_recipient_is_refused_and_nothing_is_sent(app, smtp_server: SmtpSink, to):
    with app.app_context(), pytest.raises(MailError):
        send_mail(to, "Hello", "text", "<p>html</p>")
    assert smtp_server.envelopes == []


def test_line_breaks_in_subject_are_folded_into_one_line(app, smtp_server: SmtpSink):
    with app.app_context():
        send_mail("ana@example.org", "7 for Jack\r\nBcc: victim@example.org", "t", "<p>h</p>")
    [message] = smtp_server.messages
    assert message["Subject"] == "7 for Jack Bcc: victim@example.org"
    assert message["Bcc"] is None
    assert smtp_server.recipients() == ["ana@example.org"]


def test_refused_message_raises_mail_error(app, smtp_server: SmtpSink):
    smtp_server.refusing = True
    with app.app_context(), pytest.raises(MailError) as raised:
        send_mail("ana@example.org", "Hello", "text", "<p>html</p>")
    assert not isinstance(raised.value, MailServerUnavailable)  # this message, not the server


def test_mail_server_down_raises_mail_server_unavailable(app):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_TIMEOUT=2)
    with app.app_context(), pytest.raises(MailServerUnavailable):
        send_mail("ana@example.org", "Hello", "text", "<p>html</p>")


def test_without_mail_server_messages_go_to_the_outbox(app, caplog):
    with app.app_context(), caplog.at_level(logging.INFO, logger="donation_drive.outreach.mail"):
        send_mail("ana@example.org", "7 for Jack", "Plain words", "<p>Rich words</p>")
    files = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    assert len(files) == 1
    message = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"] == "ana@example.org"
    assert message.get_body(preferencelist=("plain",)).get_content().strip() == "Plain words"
    assert message.get_body(preferencelist=("html",)).get_content().strip() == "<p>Rich words</p>"
    [record] = [r for r in caplog.records if r.name == "donation_drive.outreach.mail"]
    assert "ana@example.org" not in record.getMessage()
    assert "outbox" in record.getMessage()


def test_the_outbox_command_shows_the_newest_messages_with_whole_links(app):
    runner = app.test_cli_runner()
    assert "No messages in" in runner.invoke(args=["outbox"]).output
    link = "http://drive.test/auth/confirm/" + "a" * 150
    with app.app_context():
        send_mail("ana@example.org", "First", "An older message", "<p>old</p>")
        send_mail("ben@example.org", "Confirm your email", f"Open it:\n\n{link}\n", "<p>new</p>")
    shown = runner.invoke(args=["outbox", "--last", "1"]).output
    assert "To: ben@example.org" in shown and "Subject: Confirm your email" in shown
    assert link in shown.splitlines(), "the link is on one line, as it can be copied"
    assert "ana@example.org" not in shown
    assert "An older message" in runner.invoke(args=["outbox"]).output


def test_the_outbox_command_shows_a_message_without_plain_text(app):
    outbox = Path(app.instance_path) / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / "by-hand.eml").write_bytes(
        b"To: ana@example.org\r\nSubject: Only HTML\r\nContent-Type: text/html\r\n\r\n<p>Rich words</p>\r\n"
    )
    result = app.test_cli_runner().invoke(args=["outbox"])
    assert result.exit_code == 0, result.output
    assert "Subject: Only HTML" in result.output
    assert "(This message has no plain-text part.)" in result.output


def test_mail_settings_come_from_the_environment(monkeypatch, tmp_path):
    from donation_drive import create_app

    monkeypatch.setenv("MAIL_SERVER", "smtp.example.org")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "true")
    monkeypatch.setenv("MAIL_FROM", "Drives <drives@example.org>")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    assert app.config["MAIL_SERVER"] == "smtp.example.org"
    assert app.config["MAIL_PORT"] == 587
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["MAIL_FROM"] == "Drives <drives@example.org>"
