"""Journeys 1–5 of PRODUCT.md in production mode: gunicorn with TLS, https links, SERVER_NAME set.

Pages whose URL holds a secret (the private page, the emailed confirmation and reset links) send
`Referrer-Policy: no-referrer`, so their forms reach the server with no Referer; every one of
them must still work over HTTPS. The organiser works on a desktop, the friends on their phones.
"""

import re
from datetime import timedelta

from playwright.sync_api import BrowserContext, Page, expect

from donation_drive.core.rules import today
from livesite import SCREENS, ContextFactory
from support import text_of
from test_journeys_later import (
    anyone_sees_the_memorial,
    decide,
    organiser_closes_with_a_message,
    organiser_posts_a_thank_you,
)
from test_journeys_phone import (
    FRIENDS,
    anyone_sees_the_target_reached,
    friend_reports_a_donation,
    friend_signs_up,
    organiser_creates_7_for_jack,
    organiser_logs_units_for_the_group,
)
from tls_server import TlsServer

PHONE = SCREENS["phone"]
NEW_PASSWORD = "seven bags given back"


def assert_served_securely(page: Page, url: str) -> None:
    """HSTS on the answer, and every cookie the browser holds sent over HTTPS only."""
    response = page.goto(url)
    assert response.headers["strict-transport-security"].startswith("max-age=31536000"), response.headers
    cookies = page.context.cookies()
    assert cookies and all(cookie["secure"] for cookie in cookies), cookies


def private_page(context: BrowserContext, private_link: str, greeting: str) -> Page:
    page = context.new_page()
    page.goto(private_link)
    expect(page.get_by_role("heading", name=greeting, level=1)).to_be_visible()
    return page


def organiser_proposes_a_visit(page: Page, organiser_page: str) -> None:
    page.goto(organiser_page)
    page.get_by_role("navigation", name="Organiser pages").get_by_role("link", name="People").click()
    page.get_by_role("link", name="Propose a group visit").click()
    page.get_by_label("Date of the visit").fill((today() + timedelta(days=5)).isoformat())
    page.get_by_label("Time").fill("09:30")
    page.get_by_label("Donation centre").fill("Leeds Donor Centre")
    page.get_by_label("Places available").fill("3")
    page.get_by_role("button", name="Propose the visit").click()
    expect(page.get_by_text("The group visit is proposed.")).to_be_visible()


def friend_changes_the_pledge_and_joins_the_visit(page: Page) -> None:
    page.get_by_text("Change my pledge").click()
    page.get_by_label("Units you'll give").fill("2")
    page.get_by_role("button", name="Save my pledge").click()
    expect(page.get_by_text("Your pledge is updated.")).to_be_visible()
    expect(page.get_by_role("region", name="Your pledge")).to_contain_text("2 units of whole blood")
    page.get_by_role("link", name=re.compile("Leeds Donor Centre")).click()
    page.get_by_role("button", name="Take a place").click()
    expect(page.get_by_text("See you there — thank you for going together.")).to_be_visible()


def friend_withdraws_and_deletes_their_data(page: Page) -> None:
    page.get_by_text("Can't donate after all?").click()
    page.get_by_role("button", name="Withdraw my pledge").click()
    expect(page.get_by_text("Your pledge is withdrawn. Thank you for thinking of it.")).to_be_visible()
    page.get_by_role("link", name="Delete my details").click()
    page.get_by_role("button", name="Delete my details").click()
    expect(page.get_by_text("Your details are deleted and your private link no longer works.")).to_be_visible()


def organiser_thanks_everyone_and_closes(page: Page, organiser_page: str) -> None:
    """Journey 5."""
    page.goto(organiser_page)
    page.get_by_role("navigation", name="Organiser pages").get_by_role("link", name="Donations").click()
    decide(page, "Amira Haddad", "Confirm")
    organiser_posts_a_thank_you(page)
    organiser_closes_with_a_message(page)


def organiser_resets_the_password(page: Page, server: TlsServer) -> None:
    page.get_by_role("button", name="Log out").click()
    page.goto(server.url + "/auth/login")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email").fill("sam@example.org")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    # The worker beside gunicorn delivers it (tls_server.py), as in production.
    message = server.mailbox.wait_for_message(lambda m: "new Donation Drive password" in m["Subject"])
    link = re.search(rf"{re.escape(server.url)}/auth/reset/[\w-]+", text_of(message))
    assert link, text_of(message)
    page.goto(link.group(0))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    page.get_by_label("Email").fill("sam@example.org")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name="My drives")).to_be_visible()


def test_journeys_1_to_5_over_https_under_gunicorn(tls_server: TlsServer, new_tls_context: ContextFactory):
    organiser = new_tls_context(**SCREENS["desktop"]).new_page()
    invite, public = organiser_creates_7_for_jack(organiser, tls_server)
    assert invite.startswith("https://") and public.startswith("https://")
    organiser_page = organiser.url
    assert_served_securely(organiser, organiser_page)
    organiser_proposes_a_visit(organiser, organiser_page)

    phones = {name: new_tls_context(**PHONE) for name, _shown in FRIENDS}
    links = {name: friend_signs_up(phones[name], invite, name, shown) for name, shown in FRIENDS}
    for name, _shown in FRIENDS[:2]:
        friend_reports_a_donation(phones[name], links[name], name)
    amira = private_page(phones["Amira Haddad"], links["Amira Haddad"], "Thank you, Amira Haddad")
    assert_served_securely(amira, links["Amira Haddad"])
    chloe = private_page(phones["Chloe Martin"], links["Chloe Martin"], "Hello, Chloe Martin")
    friend_changes_the_pledge_and_joins_the_visit(chloe)

    organiser_logs_units_for_the_group(organiser, organiser_page, 5)
    anyone_sees_the_target_reached(new_tls_context(**PHONE).new_page(), public)

    chloe.goto(links["Chloe Martin"])
    chloe.on("dialog", lambda dialog: dialog.accept())
    friend_withdraws_and_deletes_their_data(chloe)

    organiser_thanks_everyone_and_closes(organiser, organiser_page)
    anyone_sees_the_memorial(new_tls_context(**PHONE).new_page(), public)

    organiser_resets_the_password(organiser, tls_server)
