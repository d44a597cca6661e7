"""Email invitations: sent through a real SMTP server, tracked sent → opened → joined."""

import re

import pytest

import factories
from donation_drive.accounts import operations as accounts
from donation_drive.core.extensions import db as _db
from donation_drive.drives import operations as drives
from donation_drive.models import Invitation, OutboxMessage, OutboxStatus, Participant
from donation_drive.outreach import invitations
from smtp_sink import SmtpSink, closed_port, smtp_server  # noqa: F401
from support import csrf_token

LINK = re.compile(r"http://drive\.test(/i/[\w-]+)")


@pytest.fixture
def drive_page(app, browser, smtp_server) -> str:
    """The organiser page of Sam's "7 for Jack" (made directly), Sam logged in; mail goes to `smtp_server`."""
    with app.app_context():
        factories.drive(factories.organiser())
        _db.session.commit()
    assert browser.login().status_code == 302
    return "/drives/7-for-jack"


def invited(app, addresses: str) -> None:
    """Sam has already invited `addresses`: the operation the form calls, mailing through the same server."""
    with app.app_context():
        outcome = invitations.invite(drives.public_drive("7-for-jack"), accounts.user_by_email("sam@example.org"),
                                     addresses, "")
        assert outcome.sent, outcome
        _db.session.commit()


def send(browser, drive_page: str, addresses: str, message: str = ""):
    return browser.submit(drive_page, {"addresses": addresses, "message": message},
                          action=f"{drive_page}/invitations")


def personal_links(smtp_server: SmtpSink) -> list[str]:
    return [LINK.search(smtp_server.text_of(m)).group(1) for m in smtp_server.messages]


def statuses(db) -> dict[str, str]:
    db.session.expire_all()
    return {i.email: i.status.value for i in db.session.scalars(db.select(Invitation))}


def test_invitations_arrive_and_move_from_sent_to_opened_to_joined(browser, smtp_server, db, drive_page):
    response = send(browser, drive_page, "Ana Smith <ana@example.org>, bob@example.org\n\n"
                    "ANA@example.org\nnot-an-address", message="Jack would have loved this.")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sent 2 invitations" in page
    assert "not-an-address" in page and "could not be read" in page
    assert sorted(smtp_server.recipients()) == ["ana@example.org", "bob@example.org"]
    ana_mail = next(m for m in smtp_server.messages if "ana@" in str(m["To"]))
    assert "7 for Jack" in ana_mail["Subject"]
    assert "Jack would have loved this." in smtp_server.text_of(ana_mail)
    assert "Hello Ana Smith" in smtp_server.text_of(ana_mail)
    assert ana_mail["List-Unsubscribe"].startswith("<http://drive.test/unsubscribe/")
    assert statuses(db) == {"ana@example.org": "sent", "bob@example.org": "sent"}

    browser.logout()
    ana_link = LINK.search(smtp_server.text_of(ana_mail)).group(1)
    opened = browser.get(ana_link)
    assert opened.status_code == 200
    assert 'value="Ana Smith"' in opened.get_data(as_text=True)  # prefilled, still editable
    assert statuses(db)["ana@example.org"] == "opened"

    welcome = browser.submit(ana_link, {"name": "Ana Smith", "email": "ana@example.org", "units": "1",
                                        "donation_type": "whole_blood", "planned_on": ""})
    assert welcome.status_code == 302 and "/welcome" in welcome.headers["Location"]
    assert statuses(db)["ana@example.org"] == "joined"
    invitation = db.session.scalar(db.select(Invitation).where(Invitation.email == "ana@example.org"))
    assert invitation.participant.name == "Ana Smith"


def test_forwarded_link_signs_up_the_second_person_as_themselves(app, browser, smtp_server, db, drive_page):
    invited(app, "Ana <ana@example.org>")
    [link] = personal_links(smtp_server)
    browser.logout()
    page = browser.get(link).get_data(as_text=True)
    assert "ana@example.org" not in page  # the invitee's address is never shown to whoever holds the link
    browser.submit(link, {"name": "Carol", "email": "carol@example.org", "units": "1",
                          "donation_type": "whole_blood", "planned_on": ""})
    [participant] = db.session.scalars(db.select(Participant))
    assert (participant.name, participant.email) == ("Carol", "carol@example.org")


def test_only_invalid_addresses_are_refused_and_nothing_is_stored(browser, smtp_server, db, drive_page):
    response = send(browser, drive_page, "nobody, also@@wrong")
    assert response.status_code == 422
    assert "None of these could be read as an email address: nobody, also@@wrong" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Invitation)).all() == []
    assert smtp_server.envelopes == []


@pytest.mark.parametrize("addresses", ["", "   "])
def test_empty_list_is_refused(browser, smtp_server, db, drive_page, addresses):
    response = send(browser, drive_page, addresses)
    assert response.status_code == 422
    assert "Please paste at least one email address." in response.get_data(as_text=True)


def test_header_injection_in_a_name_is_refused(browser, smtp_server, db, drive_page):
    response = send(browser, drive_page, "Eve\rBcc: victim@example.org <eve@example.org>, ok@example.org")
    assert response.status_code == 200
    assert smtp_server.recipients() == ["ok@example.org"]
    assert "victim" not in str(smtp_server.messages[0])


def test_huge_list_is_refused_with_a_clear_message(browser, smtp_server, db, drive_page):
    addresses = "\n".join(f"friend{n}@example.org" for n in range(invitations.ADDRESS_LIST_MAX_ENTRIES + 1))
    response = send(browser, drive_page, addresses)
    assert response.status_code == 422
    assert f"Please paste at most {invitations.ADDRESS_LIST_MAX_ENTRIES} at a time" in response.get_data(as_text=True)
    assert smtp_server.envelopes == []


def test_daily_cap_is_stated_and_enforced(browser, smtp_server, db, drive_page, monkeypatch):
    monkeypatch.setattr(invitations, "INVITATIONS_PER_DAY", 2)
    assert "2 invitations a day" in browser.get(f"{drive_page}/people").get_data(as_text=True)
    response = send(browser, drive_page, "a@example.org, b@example.org, c@example.org")
    page = response.get_data(as_text=True)
    assert "used its 2 invitations for today: c@example.org" in page
    assert sorted(smtp_server.recipients()) == ["a@example.org", "b@example.org"]


def test_already_invited_addresses_are_not_mailed_twice(app, browser, smtp_server, db, drive_page):
    invited(app, "a@example.org")
    page = send(browser, drive_page, "a@example.org").get_data(as_text=True)
    assert "Already invited, so not sent again: a@example.org" in page
    assert smtp_server.recipients() == ["a@example.org"]


def test_a_refused_invitation_is_marked_failed_and_it_can_be_retried(app, browser, smtp_server, db, drive_page):
    smtp_server.refusing = True
    send(browser, drive_page, "a@example.org")
    assert statuses(db) == {"a@example.org": "failed"}
    assert "failed" in browser.get(f"{drive_page}/invitations").get_data(as_text=True)
    [invitation] = db.session.scalars(db.select(Invitation))

    smtp_server.refusing = False
    response = browser.submit(f"{drive_page}/invitations", {},
                              action=f"{drive_page}/invitations/{invitation.id}/resend")
    assert response.status_code == 302
    assert statuses(db) == {"a@example.org": "sent"}
    assert smtp_server.recipients() == ["a@example.org"]


def test_mail_server_down_keeps_the_invitations_queued_without_trying_each(app, browser, db, drive_page):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port(), MAIL_TIMEOUT=2)
    response = send(browser, drive_page, "a@example.org, b@example.org, c@example.org")
    assert response.status_code == 200
    assert statuses(db) == {"a@example.org": "sent", "b@example.org": "sent", "c@example.org": "sent"}
    queued = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.status for m in queued] == [OutboxStatus.QUEUED] * 3
    # The first failure ends the round: the other two wait without each waiting on a timeout.
    assert [m.attempts for m in queued] == [1, 0, 0]
    assert queued[0].last_error.startswith("The mail server is not available")


def test_resend_gives_a_new_link_and_the_old_one_stops(app, browser, smtp_server, db, drive_page):
    invited(app, "a@example.org")
    invitation = db.session.scalar(db.select(Invitation))
    browser.submit(f"{drive_page}/invitations", {}, action=f"{drive_page}/invitations/{invitation.id}/resend")
    old, new = personal_links(smtp_server)
    assert old != new
    assert browser.get(old).status_code == 404
    assert browser.get(new).status_code == 200


def test_revoked_invitation_link_joins_nobody(app, browser, smtp_server, db, drive_page):
    invited(app, "a@example.org")
    invitation = db.session.scalar(db.select(Invitation))
    browser.submit(f"{drive_page}/invitations", {}, action=f"{drive_page}/invitations/{invitation.id}/revoke")
    assert statuses(db) == {"a@example.org": "revoked"}
    [link] = personal_links(smtp_server)
    response = browser.get(link)
    assert response.status_code == 410
    assert "withdrawn this invitation" in response.get_data(as_text=True)
    token = csrf_token(browser.get(drive_page).get_data(as_text=True))
    assert browser.client.post(link, data={"csrf_token": token, "name": "X"}).status_code == 410
    assert db.session.scalars(db.select(Participant)).all() == []


def test_unknown_invitation_link_is_404(client):
    response = client.get("/i/not-a-real-token")
    assert response.status_code == 404
    assert "This invitation link isn&#39;t valid" in response.get_data(as_text=True)


def test_strangers_cannot_see_or_use_a_drives_invitations(app, browser, smtp_server, db, drive_page):
    invited(app, "a@example.org")
    invitation = db.session.scalar(db.select(Invitation))
    with app.app_context():
        factories.organiser("Stranger", "stranger@example.org")
        _db.session.commit()
    browser.logout()
    assert browser.login("stranger@example.org").status_code == 302
    assert browser.get(f"{drive_page}/invitations").status_code == 404
    page = browser.get("/drives/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for url in (f"{drive_page}/invitations", f"{drive_page}/invitations/{invitation.id}/resend",
                f"{drive_page}/invitations/{invitation.id}/revoke"):
        response = browser.client.post(url, data={"csrf_token": token, "addresses": "x@example.org"})
        assert response.status_code == 404, url
    assert statuses(db) == {"a@example.org": "sent"}
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 1


def test_logged_out_visitor_is_sent_to_log_in(client):
    response = client.get("/drives/7-for-jack/invitations")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_unsubscribed_address_gets_no_invitation(app, browser, smtp_server, db, drive_page):
    invited(app, "a@example.org")
    unsubscribe = smtp_server.messages[0]["List-Unsubscribe"].strip("<>").replace("http://drive.test", "")
    assert browser.client.post(unsubscribe, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    page = send(browser, drive_page, "b@example.org, a@example.org").get_data(as_text=True)
    assert "Already invited" in page
    invitation = db.session.scalar(db.select(Invitation))
    response = browser.submit(f"{drive_page}/invitations", {}, action=f"{drive_page}/invitations/{invitation.id}/resend")
    assert response.status_code == 409
    assert smtp_server.recipients() == ["a@example.org", "b@example.org"]


def test_address_list_reading():
    read = invitations.read_address_list(
        '"Smith, Ana" <Ana@Example.org>\nbob@example.org, carol@example.org;x\n bob@example.org '
    )
    assert [(i.name, i.email) for i in read.invitees] == [("Smith, Ana", "ana@example.org"),
                                                         ("", "bob@example.org")]
    assert read.invalid == ["carol@example.org;x"]


def test_closed_drive_sends_no_invitations(browser, smtp_server, db, drive_page):
    browser.submit(drive_page, {}, action=f"{drive_page}/close")
    assert "no invitations can be sent" in browser.get(f"{drive_page}/people").get_data(as_text=True)
    response = send(browser, drive_page, "a@example.org")
    assert response.status_code == 422
    assert "This drive is closed" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Invitation)).all() == []
    assert smtp_server.envelopes == []


def test_too_long_personal_message_is_refused(browser, smtp_server, db, drive_page):
    response = send(browser, drive_page, "a@example.org", message="x" * (invitations.MESSAGE_MAX + 1))
    assert response.status_code == 422
    assert "Please keep the message under" in response.get_data(as_text=True)
    assert db.session.scalars(db.select(Invitation)).all() == []
