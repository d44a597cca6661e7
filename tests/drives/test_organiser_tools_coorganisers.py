"""Co-organisers: invited by the owner, accepted by logging in or registering; permission
boundaries between owner, co-organiser, participant and stranger."""

import re

from donation_drive.core.rules import today
from donation_drive.models import CoOrganiserInvitation, Drive, DriveOrganiser, OrganiserRole
from support import csrf_token, outbox, text_of
from test_journeys import create_drive, invite_path, sign_up


def invite(browser, page: str, email: str):
    return browser.submit(page, {"invite-email": email}, action=f"{page}/co-organisers", prefix="invite")


def acceptance_path(response) -> str:
    match = re.search(r'value="http://drive\.test(/drives/co-organise/[\w-]+)"', response.get_data(as_text=True))
    assert match, "no acceptance link shown"
    return match.group(1)


def owner_and_co_organiser(browser) -> str:
    """Sam owns "7 for Jack"; Robin co-organises it (logged in as Robin at the end)."""
    browser.register()
    page = create_drive(browser)
    link = acceptance_path(invite(browser, page, "robin@example.org"))
    browser.logout()
    browser.client.get(link)
    registered = browser.register(name="Robin Helper", email="robin@example.org", next=link)
    assert registered.headers["Location"] == link, "the emailed confirmation leads back to the invitation"
    accepted = browser.submit(link, {})
    assert accepted.status_code == 302 and accepted.headers["Location"].startswith(page)
    return page


def post_with_token(browser, url: str, data: dict | None = None):
    token = csrf_token(browser.get("/drives/").get_data(as_text=True))
    return browser.client.post(url, data={"csrf_token": token, **(data or {})})


def test_invitation_is_emailed_and_accepting_by_registering_makes_a_co_organiser(app, browser, db):
    page = owner_and_co_organiser(browser)
    organisers = browser.get(f"{page}/advanced").get_data(as_text=True)
    assert "Robin Helper" in organisers and "(co-organiser)" in organisers
    assert "<bdi>Robin Helper</bdi> accepted the invitation" in browser.get(f"{page}/settings").get_data(as_text=True)
    [invitation] = [m for m in outbox(app) if "/drives/co-organise/" in text_of(m)]
    assert invitation["To"] == "robin@example.org"
    assert db.session.scalar(db.select(db.func.count(CoOrganiserInvitation.id))) == 0


def test_existing_user_accepts_by_logging_in(browser):
    browser.register(name="Robin Helper", email="robin@example.org")
    browser.logout()
    browser.register()
    page = create_drive(browser)
    link = acceptance_path(invite(browser, page, "robin@example.org"))
    browser.logout()
    to_login = browser.get(link)
    assert to_login.status_code == 302 and "/auth/login" in to_login.headers["Location"]
    logged_in = browser.submit(to_login.headers["Location"], {"email": "robin@example.org",
                                                              "password": "a long enough password"})
    assert logged_in.headers["Location"] == link
    assert browser.submit(link, {}).status_code == 302
    assert browser.get(page).status_code == 200


def test_co_organiser_can_manage_but_not_remove_the_owner_or_invite(browser, db, unchanged):
    page = owner_and_co_organiser(browser)
    logged = browser.submit(page, {"participant_id": "0", "units": "2", "donation_type": "whole_blood",
                                   "donated_on": today().isoformat()}, action=f"{page}/donations")
    assert logged.status_code == 302
    owner_row = db.session.scalar(db.select(DriveOrganiser).where(DriveOrganiser.role == OrganiserRole.OWNER))
    html = browser.get(f"{page}/advanced").get_data(as_text=True)
    assert "Invite a co-organiser" not in html
    with unchanged():
        removed = post_with_token(browser, f"{page}/co-organisers/{owner_row.id}/remove")
        invited = post_with_token(browser, f"{page}/co-organisers", {"invite-email": "x@example.org"})
    for response in (removed, invited):
        assert response.status_code == 403
        assert "Only the drive&#39;s owner can do that" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Drive.id))) == 1


def test_owner_removes_a_co_organiser_who_then_loses_access(browser, db):
    page = owner_and_co_organiser(browser)
    browser.logout()
    browser.login()
    robin = db.session.scalar(db.select(DriveOrganiser).where(DriveOrganiser.role == OrganiserRole.CO_ORGANISER))
    assert browser.submit(page, {}, action=f"{page}/co-organisers/{robin.id}/remove").status_code == 302
    assert "removed Robin Helper as co-organiser" in browser.get(f"{page}/settings").get_data(as_text=True)
    browser.logout()
    browser.login(email="robin@example.org")
    assert browser.get(page).status_code == 404


def test_owner_cannot_be_removed_even_by_the_owner(browser, db, unchanged):
    browser.register()
    page = create_drive(browser)
    owner_id = db.session.scalar(db.select(DriveOrganiser.id))
    db.session.rollback()  # end this read before the snapshot opens its own transaction
    with unchanged():
        response = post_with_token(browser, f"{page}/co-organisers/{owner_id}/remove")
    assert response.status_code == 409
    assert "The owner can&#39;t be removed" in response.get_data(as_text=True)


def test_invitation_for_another_address_is_refused(browser, db, unchanged):
    browser.register()
    page = create_drive(browser)
    link = acceptance_path(invite(browser, page, "robin@example.org"))
    browser.logout()
    browser.register(name="Mallory", email="mallory@example.org")
    assert "sent to robin@example.org" in browser.get(link).get_data(as_text=True)
    with unchanged():
        response = post_with_token(browser, link)
    assert response.status_code == 403
    assert "This invitation was sent to robin@example.org" in response.get_data(as_text=True)
    assert browser.get(page).status_code == 404


def test_bad_or_used_invitation_links_are_refused(browser, unchanged):
    page = owner_and_co_organiser(browser)
    with unchanged():
        assert browser.get("/drives/co-organise/not-a-real-token").status_code == 404
    assert page


def test_reinviting_replaces_the_link_and_bad_emails_are_refused(browser, db, unchanged):
    browser.register()
    page = create_drive(browser)
    first = acceptance_path(invite(browser, page, "robin@example.org"))
    second = acceptance_path(invite(browser, page, "robin@example.org"))
    assert first != second
    assert browser.get(first).status_code == 404
    assert browser.get(second).status_code == 200
    with unchanged():
        bad = invite(browser, page, "not an email")
        own = invite(browser, page, "sam@example.org")
    assert bad.status_code == 422
    assert own.status_code == 422 and "already organises this drive" in own.get_data(as_text=True)


def test_participant_and_stranger_reach_no_organiser_tool(browser, client, db, unchanged):
    browser.register()
    page = create_drive(browser)
    invite_link = invite_path(browser, page)
    browser.logout()
    private = sign_up(browser, invite_link, "Alex")
    # A participant has no account: organiser pages send them to log in.
    assert client.get(page).status_code == 302
    with unchanged():
        sent = browser.post(f"{page}/co-organisers", {"invite-email": "lee@example.org"})
    assert sent.status_code == 302 and sent.headers["Location"].startswith("/auth/login")
    browser.register(name="Stranger", email="stranger@example.org")
    with unchanged():
        for url in (f"{page}/co-organisers", f"{page}/co-organisers/1/remove", f"{page}/updates"):
            assert post_with_token(browser, url).status_code == 404
    assert client.get(private).status_code == 200


def _co_organiser_mail(app) -> list:
    return [m for m in outbox(app) if "/drives/co-organise/" in text_of(m)]


def test_co_organiser_invitations_are_limited_per_hour_and_no_mail_goes_past_it(app, browser, db, unchanged):
    from donation_drive.drives import coorganisers
    browser.register()
    page = create_drive(browser)
    for number in range(coorganisers.INVITES_PER_HOUR):
        assert invite(browser, page, f"helper{number}@example.org").status_code == 200
    mails = len(_co_organiser_mail(app))
    assert mails == coorganisers.INVITES_PER_HOUR
    with unchanged():
        refused = invite(browser, page, "one-too-many@example.org")
    assert refused.status_code == 422
    assert f"sent its {coorganisers.INVITES_PER_HOUR} co-organiser invitations for this hour" in \
        refused.get_data(as_text=True)
    assert len(_co_organiser_mail(app)) == mails


def test_an_address_that_unsubscribed_gets_no_co_organiser_email(app, browser, db):
    from donation_drive.outreach import mailings
    browser.register()
    page = create_drive(browser)
    drive = db.session.scalar(db.select(Drive))
    with app.app_context():
        mailings.unsubscribe(drive.id, mailings.email_hash("robin@example.org"))
        db.session.commit()
    answer = invite(browser, page, "Robin@Example.org")
    assert answer.status_code == 200
    assert "asked not to get email about this drive" in answer.get_data(as_text=True)
    assert acceptance_path(answer), "the owner can still pass the link on in person"
    assert _co_organiser_mail(app) == []


def test_the_owners_name_and_the_title_cannot_write_the_subject(app, browser):
    browser.register(name="URGENT your bank account is locked, call now")
    page = create_drive(browser, title="Claim your prize at evil.example")
    invite(browser, page, "robin@example.org")
    [mail] = _co_organiser_mail(app)
    assert mail["Subject"] == "You're invited to co-organise a blood-donation drive"
    assert mail["List-Unsubscribe"], "the invitation can be unsubscribed from"
