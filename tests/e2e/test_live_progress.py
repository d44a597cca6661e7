"""Live progress in a real browser: the count and "Who took part" move without a reload,
politely announced, and an unchanged drive costs a 304 with no body."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from donation_drive import donations, drives
from donation_drive.extensions import db
from donation_drive.models import Dedication, DonationType, User, Visibility
from donation_drive.rules import today

from livesite import ContextFactory, LiveServer, Seeded, seed


@pytest.fixture
def demo(live_server: LiveServer) -> Iterator[Seeded]:
    yield seed(live_server.app, live_server.url)


def log_units(server: LiveServer, slug: str, units: int) -> None:
    """An organiser logs units elsewhere (another browser, the API): the page must follow."""
    with server.app.test_request_context():
        drive = drives.public_drive(slug)
        owner = db.session.scalar(db.select(User).join(User.organised).limit(1))
        donations.log_donation(drive, owner, units, DonationType.WHOLE_BLOOD, today())
        db.session.commit()
        db.session.remove()


def poll_now(page: Page) -> None:
    # Coming back to the tab makes the script look at once instead of after its delay.
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def friend_joins_and_reports(context: BrowserContext, invite: str, name: str, shown: bool) -> None:
    """Someone else, in their own browser: signs up from the invite link and reports 1 unit."""
    page = context.new_page()
    page.goto(invite)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Units pledged").fill("1")
    page.get_by_label("Donation type").select_option(label="Whole blood")
    if shown:
        page.get_by_label("Show my name").check()
        page.get_by_label("Full name").check()
    page.get_by_role("button", name="Sign me up").click()
    page.goto(page.get_by_label("Your private link", exact=True).input_value())
    page.get_by_label("Units", exact=True).fill("1")
    page.get_by_label("Date donated").fill(today().isoformat())
    page.get_by_role("button", name="Report my donation").click()
    expect(page.get_by_text("Thank you for donating.")).to_be_visible()
    page.close()


#: Markup in a name: the list must show it as these very characters, never run or draw it.
XSS_NAME = '"><img src=x onerror=alert(1)> Zed'


def test_the_count_moves_and_is_announced_without_a_reload(demo: Seeded, live_server: LiveServer,
                                                           new_context: ContextFactory):
    page = new_context().new_page()
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if "/api/v1/drives/" in r.url else None)
    page.goto(f"{demo.url}/d/{demo.open_slug}")
    count = page.locator(".progress__number")
    expect(count).to_have_text("4 of 7 units")

    with page.expect_response(lambda r: "/api/v1/drives/" in r.url):
        poll_now(page)
    with page.expect_response(lambda r: "/api/v1/drives/" in r.url):
        poll_now(page)
    assert statuses[-1] == 304, statuses  # nothing changed: the ETag came back, no body

    log_units(live_server, demo.open_slug, 3)
    with page.expect_response(lambda r: "/api/v1/drives/" in r.url and r.status == 200):
        poll_now(page)
    expect(count).to_have_text("7 of 7 units")
    expect(page.locator(".progress__badge")).to_have_text("— target reached")
    expect(page.locator("[data-live-announcer]")).to_have_text("Updated: 7 of 7 units — target reached.")
    assert page.locator("[data-live-announcer]").get_attribute("aria-live") == "polite"
    assert page.locator("progress.progress__bar").get_attribute("value") is not None
    assert page.evaluate("document.querySelector('progress.progress__bar').value") == 7


def test_who_took_part_follows_new_donors_without_a_reload_names_as_text(
        demo: Seeded, new_context: ContextFactory):
    page = new_context().new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{demo.url}/d/{demo.open_slug}")
    page.evaluate("window.notReloaded = true")
    names = page.locator("[data-live-names] ul.names > li")
    others = page.locator("[data-live-others]")
    expect(names).to_have_text(["Amira", "Ben", "Dev"])
    expect(others).to_have_text("and 2 people who chose not to be named.")
    invite = f"{demo.url}/join/{demo.invite_code}"

    friend_joins_and_reports(new_context(), invite, XSS_NAME, shown=True)
    with page.expect_response(lambda r: "/api/v1/drives/" in r.url and r.status == 200):
        poll_now(page)
    expect(page.locator(".progress__number")).to_have_text("5 of 7 units")
    expect(names).to_have_text(["Amira", "Ben", "Dev", XSS_NAME])
    expect(page.locator("[data-live-announcer]")).to_have_text(
        f"Updated: 5 of 7 units. Who took part now includes {XSS_NAME}.")
    assert page.locator("[data-live-names] img, [data-live-names] script").count() == 0

    # Someone who stays anonymous is counted, never named.
    friend_joins_and_reports(new_context(), invite, "Quinn Hidden", shown=False)
    with page.expect_response(lambda r: "/api/v1/drives/" in r.url and r.status == 200):
        poll_now(page)
    expect(page.locator(".progress__number")).to_have_text("6 of 7 units")
    expect(others).to_have_text("and 3 people who chose not to be named.")
    expect(names).to_have_count(4)
    expect(page.locator("[data-live-announcer]")).to_have_text("Updated: 6 of 7 units.")
    assert "Quinn" not in page.content()
    assert page.evaluate("window.notReloaded") is True and dialogs == []


def test_the_first_name_on_the_list_appears_live(demo: Seeded, live_server: LiveServer,
                                                  new_context: ContextFactory):
    """A drive nobody has joined yet: the list, and its sentence, are made by the script."""
    with live_server.app.test_request_context():
        owner = db.session.scalar(db.select(User).join(User.organised).limit(1))
        empty = drives.create_drive(owner, drives.DriveDetails(
            title="Nobody yet", dedication=Dedication.CAUSE, honoree="Leeds", story="", target_units=3,
            starts_on=today(), ends_on=today(), place="", visibility=Visibility.UNLISTED))
        slug, code = empty.slug, empty.invite_code
        db.session.commit()
        db.session.remove()
    page = new_context().new_page()
    page.goto(f"{demo.url}/d/{slug}")
    expect(page.locator("[data-live-others]")).to_have_text("Nobody has signed up yet.")
    expect(page.locator("ul.names")).to_have_count(0)

    friend_joins_and_reports(new_context(), f"{demo.url}/join/{code}", "Rosa Lind", shown=True)
    with page.expect_response(lambda r: "/api/v1/drives/" in r.url and r.status == 200):
        poll_now(page)
    expect(page.locator("[data-live-names] ul.names > li")).to_have_text(["Rosa Lind"])
    expect(page.locator("[data-live-others]")).to_have_count(0)
    expect(page.locator("[data-live-announcer]")).to_have_text(
        "Updated: 1 of 3 units. Who took part now includes Rosa Lind.")


def _set_hidden(page: Page, hidden: bool) -> None:
    page.evaluate("""(hidden) => {
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
        document.dispatchEvent(new Event('visibilitychange'));
    }""", hidden)


def test_polling_backs_off_and_stops_while_the_tab_is_hidden(demo: Seeded, new_context: ContextFactory):
    page = new_context().new_page()
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "/api/v1/drives/" in r.url else None)
    page.clock.install()
    page.goto(f"{demo.url}/d/{demo.open_slug}")
    page.clock.run_for(16_000)  # first poll after 15 s
    page.wait_for_timeout(300)
    assert len(polls) == 1
    page.clock.run_for(16_000)  # unchanged: the next wait is 22.5 s, not 15 s
    page.wait_for_timeout(300)
    assert len(polls) == 1
    page.clock.run_for(8_000)
    page.wait_for_timeout(300)
    assert len(polls) == 2

    _set_hidden(page, True)
    page.clock.run_for(600_000)  # ten minutes in a background tab: not one request
    page.wait_for_timeout(300)
    assert len(polls) == 2
    _set_hidden(page, False)  # back on the tab: it looks at once
    page.wait_for_timeout(500)
    assert len(polls) == 3


def test_the_page_is_complete_without_javascript(demo: Seeded, new_context: ContextFactory):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo.url}/d/{demo.open_slug}")
    expect(page.locator(".progress__number")).to_have_text("4 of 7 units")
