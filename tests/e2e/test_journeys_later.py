"""Journeys 5 and 6 of PRODUCT.md in a real browser, on a phone (390×844, touch) and on a
1280×800 desktop.

5: the organiser checks reported donations, confirms one and rejects one, thanks everyone in an
update and closes the drive with a closing message, after a preview; its page becomes a memorial.
6: a friend who donated passes the challenge on with a drive of their own, and the first
drive's page shows the ripple.
Both start from the demo drive: 5 friends, 3 reported donations and 1 unit the organiser logged.
"""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from livesite import SCREENS, ContextFactory, LiveServer, Seeded, emailed_confirmation_url, seed
from page_list import ORGANISER, log_in

THANK_YOU = "Thank you, everyone. Jack would have been proud."
CLOSING_MESSAGE = "Seven of you gave blood for Jack. We will remember it every year."


@pytest.fixture
def demo(live_server: LiveServer) -> Iterator[Seeded]:
    yield seed(live_server.app, live_server.url)


def decide(page: Page, who: str, decision: str) -> None:
    """Press Confirm or Reject on the card of `who`'s reported donation."""
    card = page.get_by_role("region", name="To check").get_by_role("listitem").filter(has_text=who)
    card.get_by_role("button", name=decision, exact=True).click()
    expect(page.get_by_text(f"Donation {decision.lower()}ed.")).to_be_visible()


def organiser_posts_a_thank_you(page: Page) -> None:
    page.get_by_role("navigation", name="Organiser pages").get_by_role("link", name="Updates").click()
    page.get_by_label("Update", exact=True).fill(THANK_YOU)
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_role("region", name="Updates")).to_contain_text(THANK_YOU)


def organiser_closes_with_a_message(page: Page) -> None:
    """Settings → "Close the drive…": a closing message, the memorial previewed, then closed."""
    page.get_by_role("navigation", name="Organiser pages").get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Close the drive…").click()
    page.get_by_label("Closing message").fill(CLOSING_MESSAGE)
    page.get_by_role("button", name=re.compile(r"^Preview")).click()
    expect(page.get_by_role("region", name=re.compile(r"^Preview"))).to_contain_text(CLOSING_MESSAGE)
    page.get_by_role("button", name="Close the drive", exact=True).click()
    expect(page.get_by_text("The drive is closed. Its page stays up as a memorial.")).to_be_visible()


def anyone_sees_the_memorial(page: Page, public: str) -> None:
    """A closed drive's page is its memorial: the closing message and the thanks, no way to join."""
    page.goto(public)
    expect(page.get_by_text(CLOSING_MESSAGE)).to_be_visible()
    expect(page.get_by_text(THANK_YOU)).to_be_visible()
    expect(page.get_by_role("link", name="Join this drive")).to_have_count(0)


@pytest.mark.parametrize("screen", SCREENS)
def test_journey_5_confirm_reject_thank_and_close(demo: Seeded, new_context: ContextFactory, screen: str):
    page = new_context(**SCREENS[screen]).new_page()
    log_in(page, demo, ORGANISER)
    page.goto(f"{demo.url}/drives/{demo.open_slug}")
    expect(page.get_by_text("4 of 7 units")).to_be_visible()
    page.get_by_role("link", name="3 donations to check").click()

    decide(page, "Amira Haddad", "Confirm")
    decide(page, "Chloe Martin", "Reject")
    checked = page.get_by_role("region", name="Confirmed and rejected")
    expect(checked.get_by_role("listitem").filter(has_text="Amira Haddad")).to_contain_text("Confirmed")
    expect(checked.get_by_role("listitem").filter(has_text="Chloe Martin")).to_contain_text("Rejected")
    expect(page.get_by_text("3 of 7 units")).to_be_visible()

    organiser_posts_a_thank_you(page)
    organiser_closes_with_a_message(page)

    visitor = new_context(**SCREENS[screen]).new_page()
    anyone_sees_the_memorial(visitor, f"{demo.url}/d/{demo.open_slug}")
    expect(visitor.get_by_text("3 of 7 units")).to_have_count(0)  # a memorial shows no shortfall
    visitor.goto(f"{demo.url}/join/{demo.invite_code}")
    expect(visitor.get_by_role("heading", name="This drive has closed")).to_be_visible()
    expect(visitor.get_by_role("link", name="See the memorial")).to_be_visible()


@pytest.mark.parametrize("screen", SCREENS)
def test_journey_6_a_friend_passes_it_on(demo: Seeded, new_context: ContextFactory, screen: str):
    friend = new_context(**SCREENS[screen]).new_page()
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

    anyone = new_context(**SCREENS[screen]).new_page()
    anyone.goto(f"{demo.url}/d/{demo.open_slug}")
    ripple = anyone.get_by_role("region", name="The ripple")
    expect(ripple).to_contain_text("1 drive started because of this one.")
    expect(ripple).to_contain_text("they have given 6 units of blood")
    ripple.get_by_role("link", name="York gives for Jack").click()
    expect(anyone.get_by_text("This drive was inspired by 7 for Jack.")).to_be_visible()
