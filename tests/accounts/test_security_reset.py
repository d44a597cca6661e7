"""Password reset by an emailed link: single use, expiring, hashed, and silent about who exists."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest

from donation_drive.models import PasswordReset
from support import Browser, outbox

NEW_PASSWORD = "seven bags for seven used"


def ask_for_reset(browser, email: str = "sam@example.org"):
    return browser.submit("/auth/reset/", {"email": email})


def reset_link(app) -> str:
    [message] = [m for m in outbox(app) if "new Donation Drive password" in m["Subject"]][-1:]
    return re.search(r"http://drive\.test(/auth/reset/[\w-]+)", message.get_body(("plain",)).get_content()).group(1)


def choose(browser, link: str, password: str = NEW_PASSWORD):
    return browser.submit(link, {"password": password})


def test_forgotten_password_is_reset_by_an_emailed_link(app, browser, db):
    browser.register()
    browser.logout()
    assert 'href="/auth/reset/"' in browser.get("/auth/login").get_data(as_text=True)
    response = ask_for_reset(browser)
    assert response.headers["Location"] == "/auth/check-email"
    link = reset_link(app)
    token = link.rsplit("/", 1)[1]
    reset = db.session.scalar(db.select(PasswordReset))
    assert reset.token_hash == hashlib.sha256(token.encode()).hexdigest()
    page = browser.get(link)
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert choose(browser, link).headers["Location"] == "/auth/login"
    assert browser.login().status_code == 422  # the old password no longer works
    assert browser.login(password=NEW_PASSWORD).status_code == 302


def test_a_reset_link_works_only_once(app, browser, unchanged):
    browser.register()
    browser.logout()
    ask_for_reset(browser)
    link = reset_link(app)
    assert choose(browser, link).status_code == 302
    with unchanged():
        again = browser.get(link)
    assert again.status_code == 410
    assert "expired or was already used" in again.get_data(as_text=True)


def test_an_expired_link_is_refused(app, browser, db, unchanged):
    browser.register()
    browser.logout()
    ask_for_reset(browser)
    link = reset_link(app)
    reset = db.session.scalar(db.select(PasswordReset))
    reset.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    assert browser.get(link).status_code == 410
    with unchanged():
        refused = browser.post(link, {"password": NEW_PASSWORD})
    assert refused.status_code == 410
    assert "expired or was already used" in refused.get_data(as_text=True)
    assert browser.login(password=NEW_PASSWORD).status_code == 422


def test_an_unknown_email_gets_the_same_answer_and_no_mail(app, browser, unchanged):
    browser.register()
    browser.logout()
    mail_before = len(outbox(app))  # Sam's account confirmation
    with unchanged():
        response = ask_for_reset(browser, "nobody@example.org")
    assert response.headers["Location"] == "/auth/check-email"
    assert len(outbox(app)) == mail_before


def test_a_known_and_an_unknown_address_see_the_same_reset_answer(browser):
    browser.register()
    browser.logout()
    known, unknown = ask_for_reset(browser, "sam@example.org"), ask_for_reset(browser, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert browser.get(known.headers["Location"]).get_data() == browser.get(unknown.headers["Location"]).get_data()


def test_a_common_new_password_is_refused_and_the_link_still_works(app, browser):
    browser.register()
    browser.logout()
    ask_for_reset(browser)
    link = reset_link(app)
    refused = choose(browser, link, "password1234")
    assert refused.status_code == 422
    assert "most common" in refused.get_data(as_text=True)
    assert choose(browser, link).status_code == 302


def test_using_a_link_voids_the_others_and_ends_every_session(app, browser, client):
    browser.register()
    other_device = Browser(app.test_client())
    other_device.login()
    assert other_device.get("/drives/").status_code == 200
    ask_for_reset(browser)
    first = reset_link(app)
    ask_for_reset(browser)
    second = reset_link(app)
    assert choose(browser, second).status_code == 302
    assert browser.get(first).status_code == 410
    assert other_device.get("/drives/").status_code == 302


@pytest.mark.parametrize("token, status", [
    ("x", 410), ("a" * 5000, 410),
    ("%00", 404), ("..%2f..%2fetc", 404),  # no route holds a NUL or a slash in a token
])
def test_a_made_up_or_absurd_token_is_refused_plainly(client, token, status):
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == status
    if status == 410:
        assert "expired or was already used" in response.get_data(as_text=True)
