"""Journeys 1–4 of PRODUCT.md in a real browser, asserting what each person sees.

An organiser registers and creates "7 for Jack"; three friends sign up from the invite link on
their phones; two report a donation from their private link; the organiser logs five units for
the group; anyone then sees "7 of 7 units — target reached" and the board of seven drops. Run on
a phone (390×844, touch) with JavaScript, on the same phone without it, and on a 1280×800 desktop.
Steps find things by role, label and text, as a person does, so a page's layout may change under them.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from donation_drive.core.rules import today
from livesite import SCREENS, ContextFactory, LiveServer, emailed_confirmation_url

PASSWORD = "seven bags for seven used"
FRIENDS = [("Amira Haddad", True), ("Ben Okafor", True), ("Chloe Martin", False)]

MODES = {
    "phone": SCREENS["phone"],
    "phone-no-js": {**SCREENS["phone"], "java_script_enabled": False},
    "desktop": SCREENS["desktop"],
}


def organiser_creates_7_for_jack(page: Page, server: LiveServer) -> tuple[str, str]:
    """Journey 1. Returns the invite link and the public link the organiser page shows.

    "Start a drive" on the home page leads through registering and the emailed link to the
    new-drive form itself.
    """
    base_url = server.url
    page.goto(base_url + "/")
    page.get_by_role("main").get_by_role("link", name="Start a drive").click()
    expect(page.get_by_role("heading", name="Create an organiser account")).to_be_visible()
    page.get_by_label("Name").fill("Sam Organiser")
    page.get_by_label("Email").fill("sam@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    expect(page.get_by_text("We sent a link to sam@example.org.")).to_be_visible()
    expect(page.get_by_role("button", name="Send the link again")).to_be_visible()
    page.goto(emailed_confirmation_url(base_url, server.app.instance_path, "sam@example.org",
                                       getattr(server, "mailbox", None)))
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Confirm and open my account").click()
    expect(page.get_by_text("Welcome, Sam Organiser. Your account is ready.")).to_be_visible()

    expect(page.get_by_role("heading", name="Start a drive", level=1)).to_be_visible()
    assert page.url == base_url + "/drives/new", page.url
    page.get_by_label("Title").fill("7 for Jack")
    page.get_by_label("In memory of someone").check()
    page.get_by_label("Name of the person or cause").fill("Jack")
    page.get_by_label("Story").fill("Jack's mum needed seven bags of blood. We give seven back.")
    page.get_by_label("Target units").fill("7")
    page.get_by_label("Start date").fill(today().isoformat())
    page.get_by_label("End date").fill((today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Create the drive").click()

    expect(page.get_by_role("heading", name="7 for Jack", level=1)).to_be_visible()
    expect(page.get_by_text("Your drive is ready. Share the invite link with your friends.")).to_be_visible()
    expect(page.get_by_text("0 of 7 units")).to_be_visible()
    sharing = page.get_by_role("region", name="Share the invite")
    expect(sharing).to_be_visible()
    invite = sharing.get_by_role("link", name=re.compile(r"\bjoin\b")).get_attribute("href")
    public = page.get_by_role("link", name="Open the progress page").get_attribute("href")
    assert invite.startswith(base_url + "/join/"), invite
    assert public == base_url + "/d/7-for-jack"
    return invite, public


def friend_signs_up(context: BrowserContext, invite: str, name: str, shown: bool) -> str:
    """Journey 2. Returns the private link the confirmation shows."""
    page = context.new_page()
    page.goto(invite)
    expect(page.get_by_role("heading", name="7 for Jack")).to_be_visible()
    expect(page.get_by_text("Jack's mum needed seven bags of blood.")).to_be_visible()
    expect(page.get_by_text("In memory of Jack")).to_be_visible()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email").fill(f"{name.split()[0].lower()}@example.org")
    expect(page.get_by_text("Sam invited you")).to_be_visible()
    page.locator("summary", has_text="More: when and what you'll give").click()
    page.get_by_label("Units you'll give").fill("1")
    page.get_by_label("Donation type").select_option(label="Whole blood")
    expect(page.get_by_role("option", name="Power Red")).to_have_count(0)
    planned = today() + timedelta(days=4)
    page.get_by_label("Planned date").fill(planned.isoformat())
    if shown:
        page.get_by_label("Show my name").check()
    page.get_by_role("button", name="Sign me up").click()

    expect(page.get_by_role("heading", name=f"Thank you, {name}. You're signed up.")).to_be_visible()
    private_link = page.get_by_label("Your private link", exact=True).input_value()
    assert "/p/" in private_link and len(private_link.rsplit("/", 1)[1]) >= 32
    expect(page.get_by_text("This link is your only way back to your pledge")).to_be_visible()
    calendar = page.get_by_role("link", name="Download a calendar file")
    expect(calendar).to_be_visible()
    with page.expect_download() as download_info:
        calendar.click()
    with open(download_info.value.path(), encoding="utf-8") as ics:
        assert ics.read().startswith("BEGIN:VCALENDAR")
    page.close()
    return private_link


def friend_reports_a_donation(context: BrowserContext, private_link: str, name: str) -> None:
    """Journey 3, the friend's way: "I donated 1 unit on <date>"."""
    page = context.new_page()
    page.goto(private_link)
    expect(page.get_by_role("heading", name=f"Hello, {name}")).to_be_visible()
    page.get_by_label("Units", exact=True).fill("1")
    page.get_by_label("Date donated").fill(today().isoformat())
    page.get_by_role("button", name="Report my donation").click()
    expect(page.get_by_text("Thank you for donating. Your units now count towards the drive.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Thank you, {name}", level=1)).to_be_visible()
    expect(page.get_by_text("You gave 1 unit of whole blood on")).to_be_visible()
    expect(page.get_by_text("Report my donation")).to_be_hidden()  # "report another" is tucked away
    # A friend's page offers nothing meant for organisers.
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)
    page.close()


def organiser_logs_units_for_the_group(page: Page, organiser_page: str, units: int) -> None:
    """Journey 3, the organiser's way: "5 bags donated today"."""
    page.goto(organiser_page)
    page.get_by_role("link", name="Log units given").click()
    page.get_by_label("For").select_option(label="The group (nobody in particular)")
    page.get_by_label("Units", exact=True).fill(str(units))
    page.get_by_label("Date donated").fill(today().isoformat())
    page.get_by_role("button", name="Log units").click()
    expect(page.get_by_text(f"Logged {units} units.")).to_be_visible()


def anyone_sees_the_target_reached(page: Page, public: str) -> None:
    """Journey 4."""
    page.goto(public)
    expect(page.get_by_text("In memory of Jack")).to_be_visible()
    expect(page.get_by_role("heading", name="7 for Jack", level=1)).to_be_visible()
    expect(page.get_by_text("7 of 7 units — target reached")).to_be_visible()
    # The board: one drop per unit of the target, each filled and named as its donor chose.
    board = page.get_by_role("list", name=re.compile(r"^7 of 7 units"))
    expect(board.get_by_role("listitem")).to_have_count(7)
    expect(board).to_contain_text("Amira")
    people = page.get_by_role("region", name="Who took part")
    expect(people).to_contain_text("Amira")
    expect(people).to_contain_text("Ben")
    expect(page.get_by_text("Chloe")).to_have_count(0)
    expect(page.get_by_text("and 1 person not named here.")).to_be_visible()
    expect(page.get_by_role("link", name="Join this drive")).to_be_visible()


@pytest.mark.parametrize("mode", MODES, ids=list(MODES))
def test_journeys_1_to_4_reach_7_of_7(live_server: LiveServer, new_context: ContextFactory, mode: str):
    options = MODES[mode]
    organiser = new_context(**options).new_page()
    invite, public = organiser_creates_7_for_jack(organiser, live_server)
    organiser_page = organiser.url

    private_links = {}
    for name, shown in FRIENDS:
        private_links[name] = friend_signs_up(new_context(**options), invite, name, shown)
    for name, _shown in FRIENDS[:2]:
        friend_reports_a_donation(new_context(**options), private_links[name], name)

    organiser_logs_units_for_the_group(organiser, organiser_page, 5)
    expect(organiser.get_by_text("7 of 7 units")).to_be_visible()

    anyone_sees_the_target_reached(new_context(**options).new_page(), public)
