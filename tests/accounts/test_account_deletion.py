"""An organiser deletes their account: drives they own pass to a co-organiser or are deleted with
everything in them, drives they co-organise lose them, and nothing of the account works again.

Database reads open an app context of their own (not the `db` fixture) wherever a test follows
a session across requests: a shared app context would keep the logged-in user in `g` and hide
whether the session cookie still works.
"""

import logging
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import sqlalchemy as sa

from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.models import (
    ActivityEntry,
    ApiToken,
    CoOrganiserInvitation,
    Donation,
    Drive,
    DriveOrganiser,
    DriveSettings,
    Invitation,
    Memorial,
    MemorialRound,
    OrganiserRole,
    Participant,
    PasswordReset,
    Update,
    User,
)
from smtp_sink import smtp_server  # noqa: F401
from support import csrf_token
from test_journeys import create_drive, invite_path, report, sign_up
from test_organiser_tools_coorganisers import acceptance_path, invite

PASSWORD = "a long enough password"
SAM = "sam@example.org"
ROBIN = ("Robin Helper", "robin@example.org")
KIM = ("Kim Helper", "kim@example.org")
PLAN_IN_PAGE = re.compile(r'name="plan"[^>]*value="([0-9a-f]*)"|value="([0-9a-f]*)"[^>]*name="plan"')
TOKEN_IN_PAGE = re.compile(r'value="(dd_[\w-]+)"')


# --- Helpers: the journey, and reading what the database holds ---


def plan_of(html: str) -> str:
    match = PLAN_IN_PAGE.search(html)
    assert match, "no plan on the page"
    return match.group(1) or match.group(2)


def delete_account(browser, password: str = PASSWORD, plan: str | None = None, **choices: str):
    """Open the page, type the password and confirm, as the organiser would."""
    page = browser.get("/account/delete")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    form = {"csrf_token": csrf_token(html), "plan": plan if plan is not None else plan_of(html),
            "password": password, **choices}
    return browser.client.post("/account/delete", data=form)


def register_helpers(browser, *people: tuple[str, str]) -> None:
    """Accounts for the co-organisers-to-be, made before any invitation reaches their inbox."""
    for name, email in people:
        browser.register(name=name, email=email)
        browser.logout()


def co_organise(browser, page: str, person: tuple[str, str], owner_email: str = SAM) -> None:
    """The owner (logged in) invites `person`, who accepts; the owner is logged in again after."""
    link = acceptance_path(invite(browser, page, person[1]))
    browser.logout()
    assert browser.login(email=person[1]).status_code == 302
    assert browser.submit(link, {}).status_code == 302
    browser.logout()
    assert browser.login(email=owner_email).status_code == 302


def log_units(browser, page: str, units: int):
    return browser.submit(page, {"participant_id": "0", "units": str(units), "donation_type": "whole_blood",
                                 "donated_on": today().isoformat()}, action=f"{page}/donations")


def units_counted(browser) -> int:
    """What the public count of "7 for Jack" says."""
    return browser.client.get("/api/drives/7-for-jack").get_json()["units_donated"]


def count(app, model, *where) -> int:
    with app.app_context():
        return _db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def scalar(app, statement):
    with app.app_context():
        return _db.session.scalar(statement)


def user_id(app, email: str) -> int:
    return scalar(app, sa.select(User.id).where(User.email == email))


def organisers(app) -> list[tuple[str, OrganiserRole]]:
    """(email, role) of every organiser of every drive, the owner first."""
    with app.app_context():
        rows = _db.session.execute(
            sa.select(User.email, DriveOrganiser.role).join(DriveOrganiser).order_by(DriveOrganiser.role.desc())
        )
        return [tuple(row) for row in rows]


def outbox(app) -> list[EmailMessage]:
    folder = Path(app.instance_path) / "outbox"
    return [message_from_bytes(path.read_bytes(), policy=policy.default) for path in sorted(folder.glob("*.eml"))]


def new_owner_mails(messages: list[EmailMessage]) -> list[EmailMessage]:
    return [message for message in messages if str(message["Subject"]).startswith("You now own")]


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


# --- Drives the owner shares with co-organisers ---


def test_a_co_organised_drive_passes_to_the_co_organiser_who_is_told_and_can_do_all_an_owner_can(app, browser):
    register_helpers(browser, ROBIN)
    browser.register()
    page = create_drive(browser)
    co_organise(browser, page, ROBIN)
    assert log_units(browser, page, 2).status_code == 302

    shown = browser.get("/account/delete").get_data(as_text=True)
    assert "Drives that pass to a co-organiser" in shown
    assert "7 for Jack" in shown and "<bdi>Robin Helper</bdi> becomes its owner" in shown
    assert "Drives that will be deleted" not in shown

    response = delete_account(browser)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    home = browser.get("/").get_data(as_text=True)
    assert "Your account is deleted and you are logged out." in home
    assert "“7 for Jack” now belongs to Robin Helper." in home

    assert count(app, User, User.email == SAM) == 0
    assert organisers(app) == [(ROBIN[1], OrganiserRole.OWNER)]
    # What Sam did stays, without the link to the account: units, and the log under Sam's name.
    assert scalar(app, sa.select(Donation.logged_by_user_id)) is None
    sams_entries = count(app, ActivityEntry, ActivityEntry.user_id.is_(None), ActivityEntry.actor_name == "Sam Organiser")
    assert sams_entries >= 2
    assert units_counted(browser) == 2

    [mail] = new_owner_mails(outbox(app))
    assert ROBIN[1] in str(mail["To"]) and "7 for Jack" in str(mail["Subject"])
    assert "Sam Organiser deleted their Donation Drive account" in text_of(mail)
    assert f"http://drive.test{page}" in text_of(mail)

    assert browser.login(email=ROBIN[1]).status_code == 302
    assert "deleted their account and handed the drive to Robin Helper" in \
        browser.get(f"{page}/settings").get_data(as_text=True)
    assert "Invite a co-organiser" in browser.get(f"{page}/advanced").get_data(as_text=True)  # the owner's only
    assert browser.get(f"{page}/delete").status_code == 200
    invited = invite(browser, page, "kim@example.org")
    assert invited.status_code == 200 and "/drives/co-organise/" in invited.get_data(as_text=True)


def test_the_owner_chooses_which_co_organiser_takes_over(app, browser):
    register_helpers(browser, ROBIN, KIM)
    browser.register()
    page = create_drive(browser)
    co_organise(browser, page, ROBIN)
    co_organise(browser, page, KIM)
    drive_id = scalar(app, sa.select(Drive.id))
    kim_id, robin_id = user_id(app, KIM[1]), user_id(app, ROBIN[1])

    shown = browser.get("/account/delete").get_data(as_text=True)
    assert f'name="new_owner_{drive_id}"' in shown
    assert f'<option selected value="{robin_id}">Robin Helper</option>' in shown  # who helped longest
    assert f'<option value="{kim_id}">Kim Helper</option>' in shown

    response = delete_account(browser, **{f"new_owner_{drive_id}": str(kim_id)})
    assert response.status_code == 302
    assert organisers(app) == [(KIM[1], OrganiserRole.OWNER), (ROBIN[1], OrganiserRole.CO_ORGANISER)]
    [mail] = new_owner_mails(outbox(app))
    assert KIM[1] in str(mail["To"])


def test_a_new_owner_who_is_not_a_co_organiser_of_that_drive_is_refused(app, browser, db, unchanged):
    register_helpers(browser, ROBIN, KIM, ("Mallory", "mallory@example.org"))
    browser.register()
    page = create_drive(browser)
    co_organise(browser, page, ROBIN)
    co_organise(browser, page, KIM)
    drive_id = db.session.scalar(db.select(Drive.id))
    strangers = [db.session.scalar(db.select(User.id).where(User.email == email))
                 for email in ("mallory@example.org", SAM)]
    db.session.rollback()  # end this read before the snapshot opens its own transaction
    for stranger in [*map(str, strangers), "999999", "not a number", ""]:
        with unchanged():
            response = delete_account(browser, **{f"new_owner_{drive_id}": stranger})
        assert response.status_code == 422, stranger
        html = response.get_data(as_text=True)
        assert "Please choose one of this drive&#39;s co-organisers." in html
        assert f'id="new_owner_{drive_id}-error"' in html  # beside the field


# --- Drives the owner organises alone ---


def test_a_drive_organised_alone_goes_with_everything_in_it(app, browser, client):
    browser.register()
    page = create_drive(browser)
    invite_link = invite_path(browser, page)
    browser.submit(page, {"update-body": "Thank you all"}, action=f"{page}/updates", prefix="update")
    browser.submit(page, {"addresses": "Ana <ana@example.org>", "message": ""}, action=f"{page}/invitations")
    invite(browser, page, "pat@example.org")  # a co-organiser invitation never accepted
    browser.submit(page, {}, action=f"{page}/anniversary")  # a memorial of yearly rounds
    browser.submit("/account/tokens", {"name": "Spreadsheet"})
    browser.logout()
    private = sign_up(browser, invite_link, "Alex", email="alex@example.org")
    report(browser, private)
    browser.submit("/auth/reset/", {"email": SAM})
    assert browser.login().status_code == 302
    for model in (Participant, Donation, Invitation, CoOrganiserInvitation, Update, Memorial, ApiToken,
                  PasswordReset):
        assert count(app, model) == 1, model

    shown = browser.get("/account/delete").get_data(as_text=True)
    assert "Drives that will be deleted" in shown and "7 for Jack" in shown
    assert "every participant's name, email and private link" in shown
    assert delete_account(browser).status_code == 302

    for model in (User, Drive, DriveOrganiser, Participant, Donation, Invitation, CoOrganiserInvitation, Update,
                  ActivityEntry, Memorial, MemorialRound, DriveSettings, ApiToken, PasswordReset):
        assert count(app, model) == 0, model
    for gone in ("/d/7-for-jack", private, invite_link, "/memorial/7-for-jack"):
        assert client.get(gone).status_code == 404, gone
    assert new_owner_mails(outbox(app)) == []


# --- Drives the organiser only helps with ---


def test_a_co_organiser_who_deletes_their_account_just_leaves_the_drive(app, browser, client):
    register_helpers(browser, ROBIN)
    browser.register()
    page = create_drive(browser)
    co_organise(browser, page, ROBIN)
    invite_link = invite_path(browser, page)
    browser.logout()
    sign_up(browser, invite_link, "Alex", email="alex@example.org")
    assert browser.login(email=ROBIN[1]).status_code == 302
    assert log_units(browser, page, 3).status_code == 302

    shown = browser.get("/account/delete").get_data(as_text=True)
    assert "Drives you help organise" in shown and "7 for Jack" in shown
    assert "Drives that will be deleted" not in shown and "Drives that pass" not in shown
    assert delete_account(browser).status_code == 302

    assert organisers(app) == [(SAM, OrganiserRole.OWNER)]
    assert count(app, Participant) == 1 and count(app, Drive) == 1
    assert units_counted(browser) == 3
    assert new_owner_mails(outbox(app)) == []
    assert browser.login().status_code == 302
    assert "deleted their account and no longer co-organises" in browser.get(f"{page}/settings").get_data(as_text=True)


def test_a_mixed_plan_is_said_drive_by_drive_and_carried_out(app, browser):
    register_helpers(browser, ROBIN)
    browser.register()
    shared = create_drive(browser)
    co_organise(browser, shared, ROBIN)
    create_drive(browser, title="Just mine")
    browser.logout()
    browser.login(email=ROBIN[1])
    robins = create_drive(browser, title="Robin's drive")
    co_organise(browser, robins, ("Sam Organiser", SAM), owner_email=ROBIN[1])
    browser.logout()
    browser.login()

    shown = browser.get("/account/delete").get_data(as_text=True)
    passes, deleted, helps = (shown.index(heading) for heading in (
        "Drives that pass to a co-organiser", "Drives that will be deleted", "Drives you help organise"))
    assert passes < shown.index("7 for Jack") < deleted < shown.index("Just mine") < helps
    assert shown.index("Robin&#39;s drive") > helps
    assert delete_account(browser).status_code == 302

    with app.app_context():
        titles = dict(_db.session.execute(
            sa.select(Drive.title, DriveOrganiser.role).join(DriveOrganiser)).all())
    assert titles == {"7 for Jack": OrganiserRole.OWNER, "Robin's drive": OrganiserRole.OWNER}
    assert count(app, User) == 1


# --- Refusals ---


def test_a_wrong_or_missing_password_deletes_nothing(browser, db, unchanged):
    browser.register()
    create_drive(browser)
    with unchanged():
        wrong = delete_account(browser, password="not my password at all")
        empty = delete_account(browser, password="")
    assert wrong.status_code == empty.status_code == 422
    html = wrong.get_data(as_text=True)
    assert 'id="password-error"' in html and 'aria-invalid="true"' in html
    assert "That isn&#39;t your password, so nothing was deleted." in html
    assert "Please type your password to confirm." in empty.get_data(as_text=True)
    assert browser.get("/drives/").status_code == 200  # still logged in


def test_a_page_opened_before_the_drives_changed_deletes_nothing(app, browser, db, unchanged):
    register_helpers(browser, ROBIN)
    browser.register()
    page = create_drive(browser)
    stale = plan_of(browser.get("/account/delete").get_data(as_text=True))  # "7 for Jack" would be deleted
    co_organise(browser, page, ROBIN)  # ...but now it would pass to Robin
    with unchanged():
        response = delete_account(browser, plan=stale)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Your drives changed since you opened this page" in html
    assert "<bdi>Robin Helper</bdi> becomes its owner" in html and plan_of(html) != stale


def test_strangers_are_sent_to_log_in(client):
    token = csrf_token(client.get("/auth/login").get_data(as_text=True))
    for response in (client.get("/account/delete"),
                     client.post("/account/delete", data={"csrf_token": token, "password": PASSWORD})):
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")


def test_the_form_needs_its_csrf_token(browser, db, unchanged):
    browser.register()
    html = browser.get("/account/delete").get_data(as_text=True)
    with unchanged():
        response = browser.client.post("/account/delete", data={"plan": plan_of(html), "password": PASSWORD})
    assert response.status_code == 400


# --- Nothing of the account works afterwards ---


def test_the_deleted_account_cannot_log_in_and_its_cookie_and_api_token_stop_working(app, browser, client):
    browser.register()
    created = browser.submit("/account/tokens", {"name": "Spreadsheet"})
    secret = TOKEN_IN_PAGE.search(created.get_data(as_text=True)).group(1)
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/me/drives", headers=bearer).status_code == 200
    stolen = client.get_cookie("session", domain="drive.test").value

    assert delete_account(browser).status_code == 302
    assert browser.get("/drives/").headers["Location"].startswith("/auth/login")
    client.set_cookie("session", stolen, domain="drive.test")
    assert browser.get("/drives/").headers["Location"].startswith("/auth/login")
    assert browser.get("/account/delete").headers["Location"].startswith("/auth/login")
    assert client.get("/api/v1/me/drives", headers=bearer).status_code == 401
    refused = browser.login()
    assert refused.status_code == 422
    assert "don&#39;t match an account" in refused.get_data(as_text=True)


def test_a_new_owner_who_cannot_be_mailed_still_gets_the_drive_and_the_log_names_nobody(
    app, browser, smtp_server, caplog,
):
    register_helpers(browser, ROBIN)
    browser.register()
    page = create_drive(browser)
    co_organise(browser, page, ROBIN)
    smtp_server.refusing = True
    with caplog.at_level(logging.WARNING):
        assert delete_account(browser).status_code == 302
    assert organisers(app) == [(ROBIN[1], OrganiserRole.OWNER)]
    # The app's own log lines; the test's SMTP server logs what it received.
    logged = "\n".join(
        record.getMessage() for record in caplog.records if record.name.startswith("donation_drive")
    )
    assert "(new-owner) given up" in logged
    for personal in (ROBIN[1], ROBIN[0], SAM, "Sam Organiser"):
        assert personal not in logged


@pytest.mark.parametrize("table, column", [
    ("donation", "logged_by_user_id"), ("update", "author_id"), ("activity_entry", "user_id"),
    ("co_organiser_invitation", "invited_by_id"),
])
def test_what_the_account_did_on_a_drive_that_lives_on_keeps_its_data_but_loses_the_link(
    app, browser, table, column,
):
    register_helpers(browser, ROBIN)
    browser.register()
    page = create_drive(browser)
    co_organise(browser, page, ROBIN)
    log_units(browser, page, 1)
    browser.submit(page, {"update-body": "Thank you all"}, action=f"{page}/updates", prefix="update")
    invite(browser, page, "pat@example.org")
    sam = user_id(app, SAM)
    linked = sa.text(f'SELECT count(*) FROM "{table}" WHERE {column} = :user')
    unlinked = sa.text(f'SELECT count(*) FROM "{table}" WHERE {column} IS NULL')
    before = scalar(app, sa.text(f'SELECT count(*) FROM "{table}"'))
    assert scalar(app, linked.bindparams(user=sam)) >= 1

    assert delete_account(browser).status_code == 302
    assert scalar(app, linked.bindparams(user=sam)) == 0
    assert scalar(app, unlinked) >= 1
    assert scalar(app, sa.text(f'SELECT count(*) FROM "{table}"')) >= before


def test_the_privacy_page_says_what_deleting_an_account_keeps(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert 'href="/account/delete"' in page
    assert "Each drive you own passes to a co-organiser" in page
    assert "units you logged still count" in page
