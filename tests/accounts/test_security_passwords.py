"""Passwords: long enough, not common, no low maximum; no form tells who has an account."""

import re

import pytest

from donation_drive.accounts import passwords
from donation_drive.models import User
from support import outbox

PASSWORD = "a long enough password"


def without_csrf(html: str) -> str:
    """The page with its signed tokens (CSRF, form time) blanked: they differ on every request."""
    return re.sub(r'value="[^"]{30,}"', 'value=""', html)


@pytest.mark.parametrize(
    "password",
    ["password1234", "PassWord1234", "123123123123", "qwertyuiop123", "aaaaaaaaaaaa", "abababababab",
     "donationdrive2026", "sam@example.org"],
)
def test_common_or_personal_passwords_are_refused_and_nothing_is_stored(browser, unchanged, password):
    with unchanged():
        response = browser.submit(
            "/auth/register", {"name": "Sam", "email": "sam@example.org", "password": password}
        )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "most common and easy to guess" in page or "your name or email" in page


def test_short_password_is_refused(browser, unchanged):
    with unchanged():
        response = browser.submit("/auth/register", {"name": "Sam", "email": "s@example.org", "password": "x" * 11})
    assert response.status_code == 422
    assert "12 to 256" in response.get_data(as_text=True)


@pytest.mark.parametrize("length", [64, 256])
def test_long_passphrases_are_welcome(browser, length):
    passphrase = ("correct horse battery staple " * 10)[:length]
    assert browser.register(password=passphrase).status_code == 302
    browser.logout()
    assert browser.login(password=passphrase).status_code == 302


def test_the_common_list_is_loaded_and_checked_without_regard_to_case():
    assert len(passwords.common_passwords()) > 100
    assert passwords.is_common("QWERTYUIOP")
    assert not passwords.is_common("seven bags for jack")


def test_login_says_the_same_for_an_unknown_email_and_a_wrong_password(browser):
    browser.register()
    browser.logout()
    wrong_password = browser.login(password="not the password at all")
    unknown_email = browser.login(email="nobody@example.org", password="not the password at all")
    assert wrong_password.status_code == unknown_email.status_code == 422
    wrong_page = without_csrf(wrong_password.get_data(as_text=True)).replace("sam@example.org", "EMAIL")
    unknown_page = without_csrf(unknown_email.get_data(as_text=True)).replace("nobody@example.org", "EMAIL")
    assert wrong_page == unknown_page


def test_registering_a_taken_email_reveals_nothing_and_tells_the_owner(app, browser, db, unchanged):
    browser.register()
    browser.logout()
    with unchanged():
        response = browser.register(name="Mallory", password="mallory's own password")
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/check-email"
    page = browser.get("/auth/check-email").get_data(as_text=True)
    assert "Check your email" in page
    assert "already exists" not in page and "is taken" not in page
    notice = outbox(app)[-1]
    assert notice["To"] == "sam@example.org"
    assert "You already have an account" in notice.get_body(("plain",)).get_content()
    # The owner's password still works; the newcomer's does not.
    assert browser.login(password="mallory's own password").status_code == 422
    assert browser.login().status_code == 302
    assert db.session.scalar(db.select(db.func.count(User.id))) == 1
