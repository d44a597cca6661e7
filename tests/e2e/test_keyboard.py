"""The core journeys with a keyboard only: Tab to move, typing to fill, Space to tick, Enter to go.

Every stop on the way must show where the focus is.
"""

import re
from datetime import date, timedelta

from playwright.sync_api import Locator, Page, expect

from donation_drive.core.rules import today
from livesite import ContextFactory, LiveServer, emailed_confirmation_url

#: More Tab presses than any page here needs to reach its last control.
MAX_TABS = 80
FOCUS_IS_VISIBLE = """el => {
  const style = getComputedStyle(el);
  return (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
}"""


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until `target` has the focus, checking each stop shows a visible focus ring."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if focused.count():
            assert focused.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on {focused.evaluate('el => el.outerHTML')[:200]}"
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def type_date(page: Page, target: Locator, day: date) -> None:
    """A native date input takes its parts as digits, in the locale's order (en-US: month first)."""
    tab_to(page, target)
    page.keyboard.type(day.strftime("%m%d%Y"))
    expect(target).to_have_value(day.isoformat())


def follow(page: Page, target: Locator) -> None:
    """Tab to a link or submit button and press Enter; wait for the page it leads to."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def tick(page: Page, target: Locator) -> None:
    tab_to(page, target)
    page.keyboard.press("Space")
    expect(target).to_be_checked()


def test_core_journeys_with_the_keyboard_only(live_server: LiveServer, new_context: ContextFactory):
    organiser = new_context(locale="en-US").new_page()
    organiser.goto(live_server.url + "/")
    follow(organiser, organiser.get_by_role("link", name="Start a drive").first)
    type_into(organiser, organiser.get_by_label("Name"), "Sam Organiser")
    type_into(organiser, organiser.get_by_label("Email"), "sam@example.org")
    type_into(organiser, organiser.get_by_label("Password"), "typed without a mouse")
    follow(organiser, organiser.get_by_role("button", name="Create account"))
    expect(organiser.get_by_role("heading", name="Check your email")).to_be_visible()
    organiser.goto(emailed_confirmation_url(live_server.url, live_server.app.instance_path, "sam@example.org"))
    type_into(organiser, organiser.get_by_label("Password", exact=True), "typed without a mouse")
    follow(organiser, organiser.get_by_role("button", name="Confirm and open my account"))
    expect(organiser.get_by_text("Your account is ready.")).to_be_visible()

    follow(organiser, organiser.get_by_role("link", name="New drive").first)
    type_into(organiser, organiser.get_by_label("Title"), "7 for Jack")
    type_into(organiser, organiser.get_by_label("Name of the person or cause"), "Jack")
    type_into(organiser, organiser.get_by_label("Story"), "Seven bags for the seven used.")
    type_into(organiser, organiser.get_by_label("Target units"), "7")
    type_date(organiser, organiser.get_by_label("End date"), today() + timedelta(days=30))
    follow(organiser, organiser.get_by_role("button", name="Create the drive"))
    expect(organiser.get_by_text("0 of 7 units")).to_be_visible()
    invite = organiser.locator("#invite").get_by_role("link", name=re.compile(r"\bjoin\b")).get_attribute("href")

    friend = new_context(locale="en-US").new_page()
    friend.goto(invite)
    type_into(friend, friend.get_by_label("Name", exact=True), "Amira Haddad")
    tick(friend, friend.get_by_label("Show my name"))
    # The planned date is folded under "More": Enter on its summary opens it.
    more = friend.locator("summary", has_text="More: when and what you'll give")
    tab_to(friend, more)
    friend.keyboard.press("Enter")
    type_date(friend, friend.get_by_label("Planned date"), today() + timedelta(days=3))
    follow(friend, friend.get_by_role("button", name="Sign me up"))
    expect(friend.get_by_role("heading", name="Thank you, Amira Haddad. You're signed up.")).to_be_visible()

    follow(friend, friend.get_by_role("link", name="Go to my page"))
    type_into(friend, friend.get_by_label("Units", exact=True), "1")
    follow(friend, friend.get_by_role("button", name="Report my donation"))
    expect(friend.get_by_text("Thank you for donating.")).to_be_visible()

    organiser.reload()
    follow(organiser, organiser.get_by_role("link", name="Log units given"))
    type_into(organiser, organiser.get_by_label("Units", exact=True), "6")
    follow(organiser, organiser.get_by_role("button", name="Log units"))
    expect(organiser.get_by_text("Logged 6 units.")).to_be_visible()

    follow(organiser, organiser.get_by_role("link", name="Overview"))
    follow(organiser, organiser.get_by_role("link", name="Open the progress page"))
    expect(organiser.locator(".progress__count")).to_have_text("7 of 7 units — target reached")
    expect(organiser.get_by_role("region", name="Who took part").get_by_text("Amira")).to_be_visible()


def test_first_error_gets_the_focus(live_server: LiveServer, new_context: ContextFactory):
    """After a refused form, the keyboard starts at the first field that needs fixing."""
    page = new_context().new_page()
    page.goto(live_server.url + "/auth/register")
    page.get_by_label("Email").fill("sam@example.org")
    follow(page, page.get_by_role("button", name="Create account"))
    expect(page.get_by_label("Name")).to_be_focused()
    expect(page.get_by_label("Name")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Email")).to_have_value("sam@example.org")
