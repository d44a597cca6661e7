"""Journeys 5 and 6 of PRODUCT.md in a real browser, on a phone and on a desktop.

5: the organiser checks reported donations, confirms one and rejects one, thanks everyone in an
update and closes the drive, whose page stays as a memorial.
6: a friend who donated passes the challenge on with a drive of their own, and the first
drive's page shows the ripple.
Both start from the demo drive: 5 friends, 3 reported donations and 1 unit the organiser logged.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from livesite import DESKTOP, PHONE, ContextFactory, LiveServer, Seeded, emailed_confirmation_url, seed
from page_list import ORGANISER, log_in

VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}


@pytest.fixture
def demo(live_server: LiveServer) -> Iterator[Seeded]:
    yield seed(live_server.app, live_server.url)


def decide(page: Page, who: str, decision: str) -> None:
    """Press Confirm or Reject on the card of `who`'s reported donation."""
    card = page.locator("#donations").get_by_role("listitem").filter(has_text=who)
    card.get_by_role("button", name=decision, exact=True).click()
    expect(page.get_by_text(f"Donation {decision.lower()}ed.")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_journey_5_confirm_reject_thank_and_close(demo: Seeded, new_context: ContextFactory, viewport: str):
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "are you sure?" before closing
    log_in(page, demo, ORGANISER)
    page.goto(f"{demo.url}/drives/{demo.open_slug}")
    expect(page.get_by_text("4 of 7 units")).to_be_visible()
    page.get_by_role("link", name="3 donations to check").click()

    decide(page, "Amira Haddad", "Confirm")
    decide(page, "Chloe Martin", "Reject")
    checked = page.locator("#checked")
    expect(checked.get_by_role("listitem").filter(has_text="Amira Haddad")).to_contain_text("Confirmed")
    expect(checked.get_by_role("listitem").filter(has_text="Chloe Martin")).to_contain_text("Rejected")
    expect(page.get_by_text("3 of 7 units")).to_be_visible()

    tabs = page.get_by_role("navigation", name="Organiser pages")
    tabs.get_by_role("link", name="Updates").click()
    page.get_by_label("Update", exact=True).fill("Thank you, everyone. Jack would have been proud.")
    page.get_by_role("button", name="Post the update").click()
    expect(page.locator("#updates")).to_contain_text("Thank you, everyone. Jack would have been proud.")

    tabs.get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Close the drive").click()
    expect(page.get_by_text("The drive is closed. Its page stays up as a memorial.")).to_be_visible()

    visitor = new_context(viewport=VIEWPORTS[viewport]).new_page()
    visitor.goto(f"{demo.url}/d/{demo.open_slug}")
    expect(visitor.locator(".progress__count")).to_have_text("3 of 7 units")
    expect(visitor.get_by_text("This drive is closed. Its page stays here in memory.")).to_be_visible()
    expect(visitor.get_by_text("Thank you, everyone. Jack would have been proud.")).to_be_visible()
    expect(visitor.get_by_role("link", name="Join this drive")).to_have_count(0)
    visitor.goto(f"{demo.url}/join/{demo.invite_code}")
    expect(visitor.get_by_text("no longer takes sign-ups")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_journey_6_a_friend_passes_it_on(demo: Seeded, new_context: ContextFactory, viewport: str):
    friend = new_context(viewport=VIEWPORTS[viewport]).new_page()
    friend.goto(f"{demo.url}/p/{demo.private_token}")
    friend.get_by_role("link", name="Start your own drive inspired by 7 for Jack").click()
    expect(friend.get_by_text("Create an account to start your own drive, inspired by 7 for Jack.")).to_be_visible()
    friend.get_by_label("Name").fill("Amira Haddad")
    friend.get_by_label("Email").fill("amira@example.org")
    friend.get_by_label("Password").fill("passing it on to York")
    friend.get_by_role("button", name="Create account").click()
    expect(friend.get_by_role("heading", name="Check your email")).to_be_visible()
    friend.goto(emailed_confirmation_url(demo.url, demo.instance_path, "amira@example.org"))
    friend.get_by_label("Password", exact=True).fill("passing it on to York")
    friend.get_by_role("button", name="Confirm and open my account").click()

    expect(friend.get_by_label("Title")).to_have_value("Inspired by 7 for Jack")
    friend.get_by_label("Title").fill("York gives for Jack")
    friend.get_by_label("Place").fill("York")
    # Unlisted is the default; a drive passed on to strangers is listed, so Jack's page can show it.
    friend.get_by_label("Anyone. The page is also listed on this site's home page, for anyone to find.").check()
    friend.get_by_role("button", name="Create the drive").click()
    expect(friend.get_by_role("heading", name="York gives for Jack", level=1)).to_be_visible()
    friend.get_by_role("link", name="Log units given").click()
    friend.get_by_label("Units", exact=True).fill("2")
    friend.get_by_role("button", name="Log units").click()
    expect(friend.get_by_text("Logged 2 units.")).to_be_visible()

    anyone = new_context(viewport=VIEWPORTS[viewport]).new_page()
    anyone.goto(f"{demo.url}/d/{demo.open_slug}")
    ripple = anyone.get_by_role("region", name="The ripple")
    expect(ripple).to_contain_text("1 drive started because of this one.")
    expect(ripple).to_contain_text("they have given 6 units of blood")
    ripple.get_by_role("link", name="York gives for Jack").click()
    expect(anyone.get_by_text("This drive was inspired by 7 for Jack.")).to_be_visible()
