"""Registration keeps intent: "Start a drive", register, confirm, and you are on the new-drive form.

The check-email page names the address the link went to and can send it again (without
telling anyone whether the address already had an account); a link that no longer works
offers to log in, and still leads where the visitor was going.
"""

import html
import re
from urllib.parse import quote

import pytest

from donation_drive.accounts import confirmations as email_confirmations
from donation_drive.models import User
from support import Browser, confirmation_path

PASSWORD = "a long enough password"
ANN = {"name": "Ann Newcomer", "email": "ann@example.org", "password": PASSWORD}
NEW_DRIVE_FORM = "/drives/new"


def link_to(page, text: str) -> str:
    """The address of the link reading `text` in the page's main content, as a browser follows it."""
    main = page.get_data(as_text=True).split("<main", 1)[1]
    found = re.search(r'<a [^>]*href="([^"]+)"[^>]*>' + re.escape(text) + "</a>", main)
    assert found, f"no link reading {text!r} in the page"
    return html.unescape(found.group(1))


def start_a_drive(browser: Browser) -> str:
    """A logged-out visitor presses "Start a drive" on the home page: the page it leads to."""
    return link_to(browser.get("/"), "Start a drive")


def register_from_home(browser: Browser, **fields) -> None:
    registered = browser.submit(start_a_drive(browser), {**ANN, **fields})
    assert registered.status_code == 302 and registered.headers["Location"] == "/auth/check-email"


def emailed_link(browser: Browser, address: str = "ann@example.org") -> str:
    link = confirmation_path(browser.messages(), address)
    assert link, f"no confirmation link was sent to {address}"
    return link


def another_browser(browser: Browser) -> Browser:
    return Browser(browser.client.application.test_client())


def check_email_page(browser: Browser) -> str:
    page = browser.get("/auth/check-email")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def resend(browser: Browser):
    """Press "Send the link again" on the check-email page."""
    return browser.submit("/auth/check-email", {})


def without_tokens(page: str) -> str:
    return re.sub(r'value="[^"]{30,}"', 'value=""', page)


# Intent: where the visitor was going survives registering, the emailed link and logging in.

def test_start_a_drive_then_register_and_confirm_lands_on_the_new_drive_form(browser):
    assert start_a_drive(browser) == "/auth/register?next=/drives/new"
    register_from_home(browser)
    opened = browser.confirm(emailed_link(browser))
    assert opened.status_code == 302 and opened.headers["Location"] == NEW_DRIVE_FORM
    form = browser.get(NEW_DRIVE_FORM).get_data(as_text=True)
    assert "<h1>Start a drive</h1>" in form
    assert "Welcome, Ann Newcomer. Your account is ready." in form


def test_start_a_drive_when_logged_in_goes_straight_to_the_form(browser):
    browser.register()
    assert start_a_drive(browser) == NEW_DRIVE_FORM


def test_logging_in_instead_of_registering_keeps_where_you_were_going(browser):
    browser.register()
    browser.logout()
    login_page = link_to(browser.get(start_a_drive(browser)), "Log in")
    logged_in = browser.submit(login_page, {"email": "sam@example.org", "password": PASSWORD})
    assert logged_in.status_code == 302 and logged_in.headers["Location"] == NEW_DRIVE_FORM


def test_the_new_link_sent_on_logging_in_unconfirmed_still_leads_to_the_form(browser):
    register_from_home(browser)
    login_page = link_to(browser.get("/auth/check-email"), "Log in")
    refused = browser.submit(login_page, {"email": "ann@example.org", "password": PASSWORD})
    assert refused.status_code == 422
    assert len(browser.messages()) == 2, "logging in unconfirmed sends a fresh link"
    assert browser.confirm(emailed_link(browser)).headers["Location"] == NEW_DRIVE_FORM


@pytest.mark.parametrize("forged", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "/\t/evil.example",
    "javascript:alert(1)", "drives/new",
])
def test_a_forged_next_is_never_followed(browser, forged):
    """Not on registering, not from the link, not from the pages on the way, not on logging in."""
    register_page = f"/auth/register?next={quote(forged, safe='')}"
    assert link_to(browser.get(register_page), "Log in") == "/auth/login"
    registered = browser.submit(register_page, ANN)
    assert registered.headers["Location"] == "/auth/check-email"
    assert link_to(browser.get("/auth/check-email"), "Log in") == "/auth/login"
    assert browser.confirm(emailed_link(browser)).headers["Location"] == "/drives/"
    browser.logout()
    login_page = f"/auth/login?next={quote(forged, safe='')}"
    assert link_to(browser.get(login_page), "Create an account") == "/auth/register"
    logged_in = browser.submit(login_page, {"email": "ann@example.org", "password": PASSWORD})
    assert logged_in.headers["Location"] == "/drives/"


# The check-email page: the address, and "Send the link again".

def test_the_check_email_page_names_the_address_and_offers_to_send_again(browser):
    registered = browser.submit("/auth/register", {**ANN, "email": "  Ann@Example.ORG "})
    assert "ann@example.org" not in registered.headers["Location"].lower(), "never in the URL"
    page = check_email_page(browser)
    assert "We sent a link to <strong>ann@example.org</strong>." in page
    assert 'action="/auth/check-email"' in page and "Send the link again</button>" in page


def test_send_the_link_again_mails_a_link_that_still_leads_to_the_form(browser, db):
    register_from_home(browser)
    sent_again = resend(browser)
    assert sent_again.status_code == 302 and sent_again.headers["Location"] == "/auth/check-email"
    assert "We&#39;ve sent the link again to ann@example.org." in check_email_page(browser)
    messages = browser.messages()
    assert len(messages) == 2 and messages[-1]["To"] == "ann@example.org"
    assert emailed_link(browser), "the new message carries the link too"
    opened = browser.confirm(emailed_link(browser))
    assert opened.headers["Location"] == NEW_DRIVE_FORM
    assert db.session.scalar(db.select(User).where(User.email == "ann@example.org")).email_confirmed_at


def test_a_new_address_and_a_taken_one_get_the_same_check_email_page_and_resend(browser):
    browser.register()  # sam@example.org, confirmed
    browser.logout()
    newcomer, mallory = another_browser(browser), another_browser(browser)
    newcomer.submit("/auth/register", ANN)
    mallory.submit("/auth/register", {**ANN, "name": "Mallory", "email": "sam@example.org"})
    mail_before = len(browser.messages())

    new_answer, taken_answer = resend(newcomer), resend(mallory)
    assert new_answer.status_code == taken_answer.status_code == 302
    assert new_answer.headers["Location"] == taken_answer.headers["Location"] == "/auth/check-email"
    new_page = without_tokens(check_email_page(newcomer)).replace("ann@example.org", "ADDRESS")
    taken_page = without_tokens(check_email_page(mallory)).replace("sam@example.org", "ADDRESS")
    assert new_page == taken_page
    # Only the inboxes tell the difference: the confirmed account's owner gets nothing more.
    sent = browser.messages()[mail_before:]
    assert [message["To"] for message in sent] == ["ann@example.org"]


def test_resending_after_the_account_was_opened_sends_nothing_but_answers_the_same(browser):
    register_from_home(browser)
    another_browser(browser).confirm(emailed_link(browser))  # opened from the phone's mail app
    mail_before = len(browser.messages())
    answer = resend(browser)
    assert answer.status_code == 302 and answer.headers["Location"] == "/auth/check-email"
    assert "We&#39;ve sent the link again to ann@example.org." in check_email_page(browser)
    assert len(browser.messages()) == mail_before


def test_resending_without_a_registration_in_this_browser_is_refused_clearly(browser, unchanged):
    page = check_email_page(browser)
    assert "Send the link again" not in page and "We sent a link to" not in page
    with unchanged():
        refused = browser.post("/auth/check-email", {})
    assert refused.status_code == 400
    assert "We don&#39;t know which address to send the link to" in refused.get_data(as_text=True)
    assert browser.messages() == []


def test_resending_needs_the_csrf_token(browser):
    browser.submit("/auth/register", ANN)
    refused = browser.client.post("/auth/check-email", data={"csrf_token": "forged"})
    assert refused.status_code == 400
    assert len(browser.messages()) == 1


def test_resending_again_and_again_meets_the_limit_and_sends_nothing_more(browser):
    browser.submit("/auth/register", ANN)
    for _ in range(3):
        assert resend(browser).status_code == 302
    assert len(browser.messages()) == 4
    refused = resend(browser)
    assert refused.status_code == 429
    assert "You&#39;ve tried this too many times" in refused.get_data(as_text=True)
    assert int(refused.headers["Retry-After"]) > 0
    assert len(browser.messages()) == 4


def test_logging_in_or_asking_for_a_password_reset_forgets_the_address(browser):
    browser.register()
    browser.logout()
    browser.submit("/auth/register", ANN)
    browser.submit("/auth/reset/", {"email": "sam@example.org"})
    assert "ann@example.org" not in check_email_page(browser)
    browser.submit("/auth/register", ANN)
    browser.login()
    assert "ann@example.org" not in check_email_page(browser)


# A link that no longer works offers "Log in", and keeps where the visitor was going.

def test_a_used_link_offers_to_log_in_and_carry_on_to_the_form(browser):
    register_from_home(browser)
    link = emailed_link(browser)
    browser.confirm(link)
    browser.logout()
    used = browser.get(link)
    assert used.status_code == 410
    page = used.get_data(as_text=True)
    assert "This link no longer works" in page and "Go to the home page" not in page
    assert 'class="button button--primary" href="/auth/login?next=/drives/new">Log in</a>' in page
    logged_in = browser.submit(link_to(used, "Log in"), {"email": "ann@example.org", "password": PASSWORD})
    assert logged_in.headers["Location"] == NEW_DRIVE_FORM


def test_an_expired_link_offers_to_log_in_and_carry_on_to_the_form(browser, monkeypatch):
    register_from_home(browser)
    link = emailed_link(browser)
    monkeypatch.setattr(email_confirmations, "LIFETIME_SECONDS", -1)
    expired = browser.get(link)
    assert expired.status_code == 410
    assert link_to(expired, "Log in") == "/auth/login?next=/drives/new"


@pytest.mark.parametrize("token", ["forged", "eyJuZXh0IjoiL2RyaXZlcy9uZXcifQ.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"])
def test_a_forged_link_offers_a_plain_log_in(browser, token):
    refused = browser.get(f"/auth/confirm/{token}")
    assert refused.status_code == 410
    assert link_to(refused, "Log in") == "/auth/login"


def test_an_old_link_that_leads_off_the_site_offers_a_plain_log_in(app, browser, db, monkeypatch):
    """Links sent before next paths were checked on the way in are checked on the way out."""
    browser.submit("/auth/register", ANN)
    ann = db.session.scalar(db.select(User).where(User.email == "ann@example.org"))
    with app.test_request_context():
        token = email_confirmations.confirmation_token(ann, "https://evil.example/")
    monkeypatch.setattr(email_confirmations, "LIFETIME_SECONDS", -1)
    expired = browser.get(f"/auth/confirm/{token}")
    assert link_to(expired, "Log in") == "/auth/login"
