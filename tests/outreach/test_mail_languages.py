"""Mail arrives in its reader's language: a friend's in the language of the page they signed up
on, even when the worker writes it days later; anyone whose language is unknown gets the drive's;
an organiser's account mail is in the language they were reading. Delivered to a real SMTP server."""

import re
from datetime import timedelta
from email import message_from_string
from email.header import decode_header, make_header
from email.policy import compat32
from html import unescape

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.models import Drive, Participant, User
from donation_drive.outreach import invitations, reminders
from donation_drive.outreach.mail import build_message
from smtp_sink import SmtpSink, smtp_server  # noqa: F401
from support import Browser
from test_journeys import new_drive_form, sign_up
from test_reminders import noon_zone, run_cron
from translated import say


@pytest.fixture
def jack(app, smtp_server) -> str:
    """"7 for Jack", written in English (its organiser's language), in a zone where it is about noon."""
    with app.app_context():
        drive = factories.drive(factories.organiser())
        drive.timezone = noon_zone()
        _db.session.commit()
        return drive.invite_code


def in_language(client, language: str) -> Browser:
    client.set_cookie("language", language, domain="drive.test")
    return Browser(client)


def message_to(smtp_server: SmtpSink, address: str, subject_start: str):
    found = [m for m in smtp_server.messages
             if m["To"].addresses[0].addr_spec == address and str(m["Subject"]).startswith(subject_start)]
    assert len(found) == 1, [str(m["Subject"]) for m in smtp_server.messages]
    return found[0]


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


@pytest.mark.parametrize("language", ["es", "fr", "pt_BR", "ar"])
def test_a_friend_who_signed_up_in_their_language_is_written_to_in_it(app, client, smtp_server, db, jack, language):
    sign_up(in_language(client, language), f"/join/{jack}", "Ana", email="ana@example.org",
            planned_on=(today() + timedelta(days=1)).isoformat())
    assert db.session.scalar(db.select(Participant.language)) == language
    confirmation = message_to(smtp_server, "ana@example.org", say(language, "You're signed up"))
    subject = say(language, "You're signed up")
    assert str(confirmation["Subject"]) == f"{subject} — 7 for Jack"
    assert f'lang="{language.replace("_", "-")}"' in html_of(confirmation)

    client.set_cookie("language", "en", domain="drive.test")  # what the friend reads later changes nothing of it
    run_cron(app)
    reminder = message_to(smtp_server, "ana@example.org", say(language, "Your donation is coming up"))
    assert smtp_server.text_of(reminder)
    # The organiser's note about the sign-up is in the drive's language: English.
    message_to(smtp_server, "sam@example.org", "Ana signed up")


def test_a_friend_whose_language_is_unknown_gets_the_drive_s(app, smtp_server, db, jack):
    with app.app_context():
        drive = _db.session.scalar(_db.select(Drive).where(Drive.invite_code == jack))
        drive.language = "fr"
        friend, token = factories.participant(drive, "Ben", email="ben@example.org")
        assert friend.language is None
        assert reminders.confirm_sign_up(friend, token)
        _db.session.commit()
    message_to(smtp_server, "ben@example.org", say("fr", "You're signed up"))


def test_an_invitation_is_written_in_the_drive_s_language(app, smtp_server, db, jack):
    with app.app_context():
        drive = _db.session.scalar(_db.select(Drive).where(Drive.invite_code == jack))
        drive.language = "pt_BR"
        sam = _db.session.scalar(_db.select(User).where(User.email == "sam@example.org"))
        invitations.invite(drive, sam, "Chloe <chloe@example.org>", "")
        _db.session.commit()
    invitation = message_to(smtp_server, "chloe@example.org",
                            say("pt_BR", "%(name)s invites you to give blood", name="Sam Organiser"))
    assert 'lang="pt-BR"' in html_of(invitation)


@pytest.mark.parametrize("language", ["ar", "es"])
def test_an_organiser_s_account_mail_is_in_the_language_they_were_reading(app, client, smtp_server, language):
    browser = in_language(client, language)
    browser.mailbox = smtp_server
    browser.submit("/auth/register", {"name": "Sam Organiser", "email": "sam2@example.org",
                                      "password": "a long enough password"})
    message_to(smtp_server, "sam2@example.org",
               say(language, "Confirm your email to open your Donation Drive account"))


def selected_language(page: str) -> str:
    return re.search(r'<option selected value="(\w+)">', page.split('name="language"', 1)[1]).group(1)


def test_a_drive_takes_its_organiser_s_language_and_the_edit_form_changes_it(client, smtp_server, db):
    browser = in_language(client, "es")
    browser.mailbox = smtp_server
    browser.register(email="sara@example.org")
    assert selected_language(browser.get("/drives/new").get_data(as_text=True)) == "es"
    assert browser.submit("/drives/new", new_drive_form()).status_code == 302
    assert db.session.scalar(db.select(Drive.language)) == "es"
    assert selected_language(browser.get("/drives/7-for-jack/edit").get_data(as_text=True)) == "es"
    assert browser.submit("/drives/7-for-jack/edit", new_drive_form(language="ar")).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Drive.language)) == "ar"


@pytest.mark.parametrize("code", ["de", "xx", "", "ar' OR 1=1", "pt-PT"])
def test_a_language_not_offered_is_refused_on_the_drive_form_and_nothing_changes(client, smtp_server, db, unchanged,
                                                                                 code):
    browser = in_language(client, "fr")
    browser.mailbox = smtp_server
    browser.register(email="sara@example.org")
    assert browser.submit("/drives/new", new_drive_form()).status_code == 302
    with unchanged():
        refused = browser.submit("/drives/7-for-jack/edit", new_drive_form(title="Changed", language=code))
    assert refused.status_code == 422
    assert say("fr", "Please choose one of the languages in the list.") in unescape(refused.get_data(as_text=True))


def test_a_friend_invited_by_email_keeps_the_language_they_signed_up_in(app, client, smtp_server, db, jack):
    with app.app_context():
        drive = _db.session.scalar(_db.select(Drive).where(Drive.invite_code == jack))
        sam = _db.session.scalar(_db.select(User).where(User.email == "sam@example.org"))
        invitations.invite(drive, sam, "Dana <dana@example.org>", "")
        _db.session.commit()
    link = re.search(r"http://drive\.test(/i/[\w-]+)", smtp_server.text_of(smtp_server.messages[0])).group(1)
    browser = in_language(client, "pt_BR")
    welcome = browser.submit(link, {"name": "Dana", "email": "dana@example.org", "units": "1",
                                    "donation_type": "whole_blood", "planned_on": ""})
    assert welcome.status_code == 302
    assert db.session.scalar(db.select(Participant.language).where(Participant.name == "Dana")) == "pt_BR"


@pytest.mark.parametrize(("subject", "to"), [
    ("أكِّد بريدك الإلكتروني لفتح حسابك على Donation Drive — 7 for Jack",
     "أمينة حداد بنت محمد بن عبد الله الحسيني <amina@example.org>"),
    ("Confirme seu e-mail para abrir sua conta no Donation Drive — 7 for Jack",
     "Tomás Ruiz Aláez de la Fuente Ñandú Martínez <tomas@example.org>"),
])
def test_a_long_subject_and_name_beyond_ascii_keep_every_space(app, subject, to):
    """Python's standard folding lost a space between encoded words ("الإلكترونيلفتح"): what a
    mail client decodes (RFC 2047) must be what was written."""
    with app.app_context():
        raw = build_message(to, subject, "text", "<p>html</p>").as_string()
    headers = message_from_string(raw, policy=compat32)
    assert str(make_header(decode_header(headers["Subject"]))) == subject
    assert str(make_header(decode_header(headers["To"]))) == to
    assert max(len(line) for line in raw.splitlines()) <= 998
