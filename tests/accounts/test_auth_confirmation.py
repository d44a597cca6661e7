"""A new organiser account opens only from the link emailed to its address.

So the registration form answers a new address and a taken one alike (nobody learns who has
an account), and nobody can open an account with somebody else's address. Mail goes to a real
SMTP server on loopback.
"""

import re

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from donation_drive.accounts import confirmations as email_confirmations
from donation_drive.models import User
from smtp_sink import SmtpSink, smtp_server  # noqa: F401
from support import confirmation_path, csrf_token

PASSWORD = "a long enough password"
NEW = {"name": "Ann Newcomer", "email": "ann@example.org", "password": PASSWORD}


def register(browser, **fields):
    return browser.submit("/auth/register", {**NEW, **fields})


def link_for(smtp_server: SmtpSink, address: str) -> str:
    link = confirmation_path(smtp_server.messages, address)
    assert link, f"no confirmation link was sent to {address}"
    return link


def account(db, email: str = "ann@example.org") -> User | None:
    db.session.expire_all()
    return db.session.scalar(db.select(User).where(User.email == email))


def without_tokens(html: str) -> str:
    return re.sub(r'value="[^"]{30,}"', 'value=""', html)


def test_a_new_address_and_a_taken_one_get_the_same_answer(app, browser, smtp_server):
    browser.register()  # sam@example.org, confirmed
    browser.logout()
    new = register(browser)
    taken = register(browser, email="sam@example.org")
    assert new.status_code == taken.status_code == 302
    assert new.headers["Location"] == taken.headers["Location"] == "/auth/check-email"
    page = browser.get("/auth/check-email").get_data(as_text=True)
    assert "Check your email" in page and "already exists" not in page and "taken" not in page
    # Only the inboxes tell the difference.
    to_ann, to_sam = smtp_server.messages[-2:]
    assert to_ann["To"] == "ann@example.org" and "/auth/confirm/" in SmtpSink.text_of(to_ann)
    assert to_sam["To"] == "sam@example.org" and "You already have an account" in SmtpSink.text_of(to_sam)


def test_a_new_account_waits_for_its_email_to_be_confirmed(browser, db, smtp_server):
    register(browser)
    assert account(db).email_confirmed_at is None
    assert browser.get("/drives/").status_code == 302  # not logged in
    refused = browser.login(email="ann@example.org")
    assert refused.status_code == 422
    assert "Please confirm your email address first" in refused.get_data(as_text=True)
    assert len(smtp_server.messages) == 2, "logging in sends a fresh link"
    assert browser.get("/drives/").status_code == 302


def test_the_wrong_password_on_an_unconfirmed_account_says_only_that_nothing_matches(browser, smtp_server):
    register(browser)
    wrong = browser.login(email="ann@example.org", password="not the password at all")
    unknown = browser.login(email="nobody@example.org", password="not the password at all")
    assert wrong.status_code == unknown.status_code == 422
    assert without_tokens(wrong.get_data(as_text=True)).replace("ann@example.org", "E") == \
        without_tokens(unknown.get_data(as_text=True)).replace("nobody@example.org", "E")
    assert len(smtp_server.messages) == 1


def test_the_emailed_link_opens_the_account_once(browser, db, smtp_server):
    register(browser)
    link = link_for(smtp_server, "ann@example.org")
    page = browser.get(link)
    assert page.status_code == 200
    assert "Confirm and open my account" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert account(db).email_confirmed_at is None, "opening the link alone (a mail scanner) opens nothing"

    opened = browser.confirm(link)
    assert opened.status_code == 302 and opened.headers["Location"] == "/drives/"
    assert "Welcome, Ann Newcomer. Your account is ready." in browser.get("/drives/").get_data(as_text=True)
    assert account(db).email_confirmed_at is not None

    browser.logout()
    used = browser.get(link)
    assert used.status_code == 410
    assert "log in with your email and password" in used.get_data(as_text=True)
    assert browser.login(email="ann@example.org").status_code == 302


def test_registering_an_unconfirmed_address_again_voids_the_first_link(browser, db, smtp_server):
    """Mallory registers Ann's address first; Ann's own registration must win, never Mallory's."""
    register(browser, name="Mallory", password="mallory's own password")
    mallorys_link = link_for(smtp_server, "ann@example.org")
    register(browser)
    anns_link = link_for(smtp_server, "ann@example.org")
    assert anns_link != mallorys_link
    assert browser.get(mallorys_link).status_code == 410
    assert browser.confirm(anns_link).status_code == 302
    browser.logout()
    assert browser.login(email="ann@example.org", password="mallory's own password").status_code == 422
    assert browser.login(email="ann@example.org").status_code == 302
    assert account(db).name == "Ann Newcomer"
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


@pytest.mark.parametrize("token", ["forged", "eyJ1c2VyIjoxfQ.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb", "x" * 400])
def test_a_forged_link_is_refused(browser, smtp_server, unchanged, token):
    register(browser)
    with unchanged():
        assert browser.get(f"/auth/confirm/{token}").status_code == 410
        assert browser.post(f"/auth/confirm/{token}", {}).status_code == 410


def test_an_expired_link_is_refused(browser, db, smtp_server, unchanged, monkeypatch):
    register(browser)
    link = link_for(smtp_server, "ann@example.org")
    monkeypatch.setattr(email_confirmations, "LIFETIME_SECONDS", -1)
    with unchanged():
        assert browser.get(link).status_code == 410


def test_pressing_the_button_needs_the_csrf_token(browser, db, smtp_server, unchanged):
    register(browser)
    link = link_for(smtp_server, "ann@example.org")
    with unchanged():
        response = browser.client.post(link, data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert account(db).email_confirmed_at is None


@pytest.mark.parametrize(
    ("next_path", "lands_on"),
    [("/drives/new", "/drives/new"), ("https://evil.example/", "/drives/"), ("//evil.example", "/drives/")],
)
def test_where_registration_started_is_where_the_link_leads(browser, smtp_server, next_path, lands_on):
    browser.submit(f"/auth/register?next={next_path}", NEW)
    opened = browser.confirm(link_for(smtp_server, "ann@example.org"))
    assert opened.headers["Location"] == lands_on


def test_a_password_reset_link_also_confirms_the_address(browser, db, smtp_server):
    register(browser)
    browser.submit("/auth/reset/", {"email": "ann@example.org"})
    reset_link = re.search(r"https?://[^/\s]+(/auth/reset/[\w-]+)", SmtpSink.text_of(smtp_server.messages[-1]))
    page = browser.get(reset_link.group(1))
    browser.client.post(reset_link.group(1), data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "password": "a brand new passphrase"})
    assert account(db).email_confirmed_at is not None
    assert browser.login(email="ann@example.org", password="a brand new passphrase").status_code == 302


@pytest.mark.own_app  # migrates its database down and up again
def test_accounts_from_before_the_upgrade_count_as_confirmed(app, db):
    """The migration must not lock out organisers who were already using the app."""
    with app.app_context():
        downgrade(revision="afbd88e737d1")
        with db.engine.begin() as connection:
            connection.execute(sa.text(
                "INSERT INTO \"user\" (email, name, password_hash, created_at, session_nonce) "
                "VALUES ('old@example.org', 'Old Hand', 'x', '2026-01-02 03:04:05', 'n')"))
        upgrade()
    old = account(db, "old@example.org")
    assert old.email_confirmed_at is not None
    assert old.email_confirmed_at.replace(tzinfo=None) == old.created_at.replace(tzinfo=None)


def test_the_address_owner_confirming_without_the_password_gets_no_session(browser, db, smtp_server):
    """Mallory registers Ann's address and waits: Ann's click must not log her into Mallory's account."""
    register(browser, name="Mallory", password="mallory's own password")
    link = link_for(smtp_server, "ann@example.org")
    anns_browser_click = browser.submit(link, {"password": ""})
    assert anns_browser_click.status_code == 422
    assert "Please enter your password." in anns_browser_click.get_data(as_text=True)
    wrong = browser.confirm(link, password="a long enough password")
    assert wrong.status_code == 422
    assert "the password chosen for this account" in wrong.get_data(as_text=True)
    assert account(db).email_confirmed_at is None
    assert browser.get("/drives/").status_code == 302, "no session was opened"


def test_the_address_owner_can_set_a_new_password_and_the_registrants_stops_working(browser, db, smtp_server):
    register(browser, name="Mallory", password="mallory's own password")
    link = link_for(smtp_server, "ann@example.org")
    chosen = browser.submit(link, {"new-password": "ann's very own passphrase"}, prefix="new")
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/drives/"
    assert account(db).email_confirmed_at is not None
    browser.logout()
    assert browser.login(email="ann@example.org", password="mallory's own password").status_code == 422
    assert browser.login(email="ann@example.org", password="ann's very own passphrase").status_code == 302
    assert browser.get(link).status_code == 410, "the link was used"


def test_a_weak_new_password_on_the_confirmation_page_changes_nothing(browser, db, smtp_server, unchanged):
    register(browser)
    link = link_for(smtp_server, "ann@example.org")
    with unchanged():
        refused = browser.submit(link, {"new-password": "short"}, prefix="new")
    assert refused.status_code == 422
    assert "Please use 12 to" in refused.get_data(as_text=True)
