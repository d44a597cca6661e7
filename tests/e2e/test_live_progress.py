"""Live progress in a real browser: the parts of the page that move (the count, stages, milestones,
"Who took part", the share message, the ripple) are swapped in from the server's own HTML without a
reload, the new count politely announced, and an unchanged drive costs a 304 with no body."""

import re
import secrets
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import quote

import pytest
from playwright.sync_api import BrowserContext, Frame, Page, Response, expect
from sqlalchemy import insert

from donation_drive.core.extensions import db
from donation_drive.core.rules import today
from donation_drive.core.templating import long_date
from donation_drive.counting import ripple
from donation_drive.donations import operations as donations
from donation_drive.drives import operations as drives, people
from donation_drive.models import Dedication, Donation, DonationStatus, DonationType, Participant, User, Visibility
from livesite import PHONE, ContextFactory, LiveServer, Seeded, seed


@pytest.fixture
def demo(live_server: LiveServer) -> Iterator[Seeded]:
    yield seed(live_server.app, live_server.url)


def live_look(response: Response) -> bool:
    """A look the script takes for news: a drive's live parts (/d/<slug>/live or /d/<slug>/embed/live)."""
    return response.url.endswith("/live")


def news(response: Response) -> bool:
    """A look that brought the live parts anew (not a 304)."""
    return live_look(response) and response.status == 200


def log_units(server: LiveServer, slug: str, units: int) -> None:
    """An organiser logs units elsewhere (another browser, the API): the page must follow."""
    with server.app.test_request_context():
        drive = drives.public_drive(slug)
        owner = db.session.scalar(db.select(User).join(User.organised).limit(1))
        donations.log_donation(drive, owner, units, DonationType.WHOLE_BLOOD, today())
        db.session.commit()
        db.session.remove()


def open_live_page(page: Page, url: str) -> None:
    """Open a progress page whose clock stands still: its timer never fires by itself, so the
    page looks for news only when the test calls poll_now (a slow machine cannot slip a timed
    look in between, nor have one in flight when the test asks)."""
    page.clock.install()
    page.goto(url)


def poll_now(page: Page | Frame) -> None:
    """Make the script look for news now, once its last look is over.

    Coming back to the tab makes it look at once instead of after its delay. It ignores that
    while a look is in flight, and the test sees a look's response before the script has
    finished with it, so wait for "waiting" (answered, the next look scheduled) first.
    """
    expect(page.locator("[data-live-progress]")).to_have_attribute("data-live-state", "waiting")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")


def friend_joins_and_reports(context: BrowserContext, invite: str, name: str, shown: bool) -> None:
    """Someone else, in their own browser: signs up from the invite link and reports 1 unit."""
    page = context.new_page()
    page.goto(invite)
    page.get_by_label("Name", exact=True).fill(name)
    page.locator("summary", has_text="More: when and what you'll give").click()
    page.get_by_label("Units you'll give").fill("1")
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
NAMES = '[data-live-part="names"]'


def test_the_count_moves_and_is_announced_without_a_reload(demo: Seeded, live_server: LiveServer,
                                                           new_context: ContextFactory):
    page = new_context(viewport=PHONE).new_page()
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if live_look(r) else None)
    open_live_page(page, f"{demo.url}/d/{demo.open_slug}")
    count = page.locator(".progress__number")
    expect(count).to_have_text("4 of 7 units")

    with page.expect_response(live_look):
        poll_now(page)
    with page.expect_response(live_look):
        poll_now(page)
    assert statuses[-1] == 304, statuses  # nothing changed: the ETag came back, no body
    page.evaluate("window.notReloaded = true")

    log_units(live_server, demo.open_slug, 3)
    with page.expect_response(news):
        poll_now(page)
    expect(count).to_have_text("7 of 7 units")
    expect(page.locator(".progress__badge")).to_have_text("— target reached")
    expect(page.locator("[data-live-announcer]")).to_have_text("Updated: 7 of 7 units — target reached.")
    assert page.locator("[data-live-announcer]").get_attribute("aria-live") == "polite"
    expect(page.locator(".board__mark--filled")).to_have_count(7)  # the units board, one drop per unit
    assert page.evaluate("window.notReloaded") is True


def test_who_took_part_follows_new_donors_without_a_reload_names_as_text(
        demo: Seeded, new_context: ContextFactory):
    page = new_context().new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_live_page(page, f"{demo.url}/d/{demo.open_slug}")
    page.evaluate("window.notReloaded = true")
    names = page.locator(f"{NAMES} ul.names > li")
    others = page.locator("[data-live-others]")
    expect(names).to_have_text(["Amira", "Ben", "Dev"])
    expect(others).to_have_text("and 2 people not named here.")
    invite = f"{demo.url}/join/{demo.invite_code}"

    friend_joins_and_reports(new_context(), invite, XSS_NAME, shown=True)
    with page.expect_response(news):
        poll_now(page)
    expect(page.locator(".progress__number")).to_have_text("5 of 7 units")
    expect(names).to_have_text(["Amira", "Ben", "Dev", XSS_NAME])
    expect(page.locator("[data-live-announcer]")).to_have_text("Updated: 5 of 7 units.")
    assert page.locator(f"{NAMES} img, {NAMES} script").count() == 0

    # Someone who stays anonymous is counted, never named.
    friend_joins_and_reports(new_context(), invite, "Quinn Hidden", shown=False)
    with page.expect_response(news):
        poll_now(page)
    expect(page.locator(".progress__number")).to_have_text("6 of 7 units")
    expect(others).to_have_text("and 3 people not named here.")
    expect(names).to_have_count(4)
    expect(page.locator("[data-live-announcer]")).to_have_text("Updated: 6 of 7 units.")
    assert "Quinn" not in page.content()
    assert page.evaluate("window.notReloaded") is True and dialogs == []


def test_the_first_name_on_the_list_appears_live(demo: Seeded, live_server: LiveServer,
                                                  new_context: ContextFactory):
    """A drive nobody has joined yet: the list arrives, and its sentence goes, without a reload."""
    with live_server.app.test_request_context():
        owner = db.session.scalar(db.select(User).join(User.organised).limit(1))
        empty = drives.create_drive(owner, drives.DriveDetails(
            title="Nobody yet", dedication=Dedication.CAUSE, honoree="Leeds", story="", target_units=3,
            starts_on=today(), ends_on=today(), place="", visibility=Visibility.UNLISTED))
        slug, code = empty.slug, empty.invite_code
        db.session.commit()
        db.session.remove()
    page = new_context().new_page()
    open_live_page(page, f"{demo.url}/d/{slug}")
    expect(page.locator("[data-live-others]")).to_have_text("Nobody has signed up yet.")
    expect(page.locator("ul.names")).to_have_count(0)

    friend_joins_and_reports(new_context(), f"{demo.url}/join/{code}", "Rosa Lind", shown=True)
    with page.expect_response(news):
        poll_now(page)
    expect(page.locator(f"{NAMES} ul.names > li")).to_have_text(["Rosa Lind"])
    expect(page.locator("[data-live-others]")).to_have_count(0)
    expect(page.locator("[data-live-announcer]")).to_have_text("Updated: 1 of 3 units.")


def _owner() -> User:
    return db.session.scalar(db.select(User).join(User.organised).limit(1))


def inspire_a_drive(server: LiveServer, slug: str) -> None:
    """Someone starts a drive inspired by this one, so its page shows the ripple's total."""
    with server.app.test_request_context():
        original = drives.public_drive(slug)
        inspired = drives.create_drive(_owner(), drives.DriveDetails(
            title="Inspired by Jack", dedication=Dedication.CAUSE, honoree="Leeds", story="", target_units=5,
            starts_on=today(), ends_on=today() + timedelta(days=9), place="", visibility=Visibility.PUBLIC))
        ripple.start_inspired_drive(inspired, original)
        db.session.commit()
        db.session.remove()


def organiser_sets_stages(server: LiveServer, slug: str, booked: str, deferred: str) -> None:
    """The organiser notes one friend's appointment and another's deferral, in their own browser."""
    with server.app.test_request_context():
        drive = drives.public_drive(slug)
        friends = db.session.scalars(db.select(Participant).where(Participant.drive_id == drive.id))
        by_name = {friend.name: friend for friend in friends}
        people.set_stage(drive, drive.organisers[0].user, by_name[booked], "booked", booked_on=today() + timedelta(days=2), booked_place="Leeds")
        people.set_stage(drive, drive.organisers[0].user, by_name[deferred], "deferred", deferred_on=today())
        db.session.commit()
        db.session.remove()


#: Everything the page says (the live region aside, which only speaks), and the figures it keeps
#: in attributes: the units board (or its bar), the dates, the share message.
SNAPSHOT = """() => {
    document.querySelector('[data-live-announcer]').textContent = '';
    const share = document.querySelector('.share');
    const bar = document.querySelector('progress.board__bar');
    return {
        text: document.body.innerText.replace(/\\s+/g, ' ').trim(),
        board: [...document.querySelectorAll('.board__mark')].map(mark => mark.className + ' ' + mark.textContent),
        bar: bar ? [bar.value, bar.max] : null,
        dates: [...document.querySelectorAll('time')].map(time => time.dateTime),
        share: [share.dataset.shareText, ...[...share.querySelectorAll('a[href]')].map(link => link.href)],
    };
}"""


def assert_same_as_a_fresh_page(page: Page) -> None:
    """Every figure the live page shows is what the server now renders."""
    live = page.evaluate(SNAPSHOT)
    page.reload()
    assert page.evaluate(SNAPSHOT) == live


def test_every_part_that_moves_follows_a_new_donation(demo: Seeded, live_server: LiveServer,
                                                     new_context: ContextFactory):
    log_units(live_server, demo.open_slug, 1)
    page = new_context().new_page()
    open_live_page(page, f"{demo.url}/d/{demo.open_slug}")
    page.evaluate("window.notReloaded = true")
    stages = page.locator("ul.stages > li")
    milestones = page.locator('[data-live-part="milestones"] li')
    ripple_says = page.locator(".ripple")
    share = page.locator(".share")
    whatsapp = page.locator(".share__link--whatsapp")
    copy_link = page.get_by_role("button", name="Copy link")
    day = long_date(today())
    expect(page.locator(".progress__number")).to_have_text("5 of 7 units")
    expect(stages).to_have_text(["5 units donated", "5 units pledged"])  # nobody booked: no "0 people booked"
    expect(page.locator(".stages__thanks")).to_have_count(0)
    expect(milestones).to_have_text([f"A quarter of the way — {day}", f"Halfway — {day}"])
    expect(ripple_says).to_have_count(0)
    expect(page.locator("[data-live-others]")).to_have_text("and 2 people not named here.")
    expect(copy_link).to_be_visible()  # share.js's own button, where the page may use the clipboard

    # While the page is open: a friend who stays anonymous joins and reports a unit, the organiser
    # notes an appointment and a deferral, and someone passes the challenge on. Meanwhile a
    # keyboard user is on the WhatsApp link, whose message says the count.
    friend_joins_and_reports(new_context(), f"{demo.url}/join/{demo.invite_code}", "Quinn Hidden", shown=False)
    organiser_sets_stages(live_server, demo.open_slug, booked="Dev Patel", deferred="Erin Walsh")
    inspire_a_drive(live_server, demo.open_slug)
    whatsapp.focus()
    with page.expect_response(news):
        poll_now(page)
    expect(page.locator(".progress__number")).to_have_text("6 of 7 units")
    expect(page.locator(".board__mark--filled")).to_have_count(6)  # no percentage of seven, "pledged" once
    expect(stages).to_have_text(["6 units donated", "1 person booked", "6 units pledged"])
    expect(page.locator(".stages__thanks")).to_have_text(
        "Thank you to the 1 person who went to donate and was deferred: trying counts too.")
    expect(milestones).to_have_text([f"A quarter of the way — {day}", f"Halfway — {day}",
                                     f"Three quarters of the way — {day}"])
    expect(ripple_says).to_contain_text(
        "1 drive started because of this one. Together with it, they have given 6 units of blood.")
    expect(page.locator("[data-live-others]")).to_have_text("and 3 people not named here.")
    message = "\u20687 for Jack\u2069 — In memory of \u2068Jack\u2069: 6 of 7 units. Join the blood-donation drive:"
    expect(share).to_have_attribute("data-share-text", message)
    expect(whatsapp).to_have_attribute(
        "href", "https://wa.me/?text=" + quote(f"{message} {demo.url}/d/{demo.open_slug}", safe=""))
    expect(whatsapp).to_be_focused()  # the new link, in the old one's place
    expect(copy_link).to_be_visible()

    # The target is reached: the badge, the last milestone and the share message say so too.
    log_units(live_server, demo.open_slug, 1)
    with page.expect_response(news):
        poll_now(page)
    expect(stages.first).to_have_text("7 units donated")
    expect(milestones.last).to_have_text(f"Target reached — {day}")
    expect(ripple_says).to_contain_text("they have given 7 units of blood.")
    reached = quote(": 7 of 7 units — target reached.", safe="")
    expect(whatsapp).to_have_attribute("href", re.compile(re.escape(reached)))
    assert page.evaluate("window.notReloaded") is True
    assert_same_as_a_fresh_page(page)


def reject_every_donation(server: LiveServer, slug: str) -> None:
    with server.app.test_request_context():
        drive = drives.public_drive(slug)
        for donation in db.session.scalars(db.select(Donation).where(Donation.drive_id == drive.id)):
            donations.set_donation_status(donation, drive.organisers[0].user, DonationStatus.REJECTED)
        db.session.commit()
        db.session.remove()


def test_the_first_milestone_appears_live_and_goes_if_taken_back(demo: Seeded, live_server: LiveServer,
                                                                 new_context: ContextFactory):
    with live_server.app.test_request_context():
        drive = drives.create_drive(_owner(), drives.DriveDetails(
            title="Forty bags", dedication=Dedication.CAUSE, honoree="Leeds", story="", target_units=40,
            starts_on=today(), ends_on=today(), place="", visibility=Visibility.UNLISTED))
        slug = drive.slug
        db.session.commit()
        db.session.remove()
    page = new_context().new_page()
    open_live_page(page, f"{demo.url}/d/{slug}")
    heading = page.get_by_role("heading", name="Milestones")
    expect(heading).to_have_count(0)

    log_units(live_server, slug, 10)
    with page.expect_response(news):
        poll_now(page)
    expect(heading).to_be_visible()
    expect(page.locator('[data-live-part="milestones"] li')).to_have_text([f"A quarter of the way — {long_date(today())}"])
    assert_same_as_a_fresh_page(page)

    reject_every_donation(live_server, slug)
    with page.expect_response(news):
        poll_now(page)
    expect(page.locator(".progress__number")).to_have_text("0 of 40 units")
    expect(heading).to_have_count(0)
    assert_same_as_a_fresh_page(page)


def test_a_big_drive_counts_the_unlisted_apart_from_the_anonymous(demo: Seeded, live_server: LiveServer,
                                                                  new_context: ContextFactory):
    """150 friends agreed to be named and 2 did not: the page lists 100 names and counts the rest."""
    with live_server.app.test_request_context():
        drive = drives.create_drive(_owner(), drives.DriveDetails(
            title="A big drive", dedication=Dedication.CAUSE, honoree="Leeds", story="", target_units=500,
            starts_on=today(), ends_on=today(), place="", visibility=Visibility.UNLISTED))
        salt = secrets.token_hex(4)
        db.session.execute(insert(Participant), [
            {"drive_id": drive.id, "name": f"Friend{n:03d}", "show_name": n >= 2, "units_pledged": 1,
             "donation_type": DonationType.WHOLE_BLOOD, "private_link_hash": f"{salt}{n:056d}"}
            for n in range(152)
        ])
        slug, code = drive.slug, drive.invite_code
        db.session.commit()
        db.session.remove()
    page = new_context().new_page()
    open_live_page(page, f"{demo.url}/d/{slug}")
    names = page.locator(f"{NAMES} ul.names > li")
    others = page.locator("[data-live-others]")
    expect(names).to_have_count(100)
    expect(others).to_have_text("and 50 more, plus 2 people not named here.")

    friend_joins_and_reports(new_context(), f"{demo.url}/join/{code}", "Rosa Lind", shown=True)
    with page.expect_response(news):
        poll_now(page)
    expect(page.locator(".progress__number")).to_have_text("1 of 500 units")
    expect(others).to_have_text("and 51 more, plus 2 people not named here.")
    expect(names).to_have_count(100)
    expect(names.first).to_have_text("Friend002")
    assert_same_as_a_fresh_page(page)


def _set_hidden(page: Page, hidden: bool) -> None:
    page.evaluate("""(hidden) => {
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => hidden});
        document.dispatchEvent(new Event('visibilitychange'));
    }""", hidden)


def test_polling_backs_off_and_stops_while_the_tab_is_hidden(demo: Seeded, new_context: ContextFactory):
    page = new_context().new_page()
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if r.url.endswith("/live") else None)
    open_live_page(page, f"{demo.url}/d/{demo.open_slug}")
    live = page.locator("[data-live-progress]")
    expect(live).to_have_attribute("data-live-state", "waiting")
    # A timer that fires starts its poll at once ("polling"); "waiting" again means it was
    # answered and the next one is scheduled. A timer that did not fire left "waiting" as it was.
    page.clock.run_for(16_000)  # first poll after 15 s
    expect(live).to_have_attribute("data-live-state", "waiting")
    assert len(polls) == 1
    page.clock.run_for(16_000)  # unchanged: the next wait is 22.5 s, not 15 s
    assert live.get_attribute("data-live-state") == "waiting" and len(polls) == 1
    page.clock.run_for(8_000)
    expect(live).to_have_attribute("data-live-state", "waiting")
    assert len(polls) == 2

    _set_hidden(page, True)
    expect(live).to_have_attribute("data-live-state", "paused")
    page.clock.run_for(600_000)  # ten minutes in a background tab: not one request
    assert live.get_attribute("data-live-state") == "paused" and len(polls) == 2
    _set_hidden(page, False)  # back on the tab: it looks at once
    expect(live).to_have_attribute("data-live-state", "waiting")
    assert len(polls) == 3


def test_the_embed_on_another_site_follows_the_count(demo: Seeded, live_server: LiveServer,
                                                     new_context: ContextFactory):
    """A blog frames the widget: its count moves too, from the embed's own live part."""
    # Another origin (localhost, not 127.0.0.1) stands for the blog. The widget's server is on this
    # machine, which Chromium lets a page frame only with the local-network-access permission.
    page = new_context(viewport=PHONE, permissions=["local-network-access"]).new_page()
    blog = demo.url.replace("127.0.0.1", "localhost") + "/our-blog"
    page.route(blog, lambda route: route.fulfill(content_type="text/html", body=(
        '<!doctype html><html lang="en"><title>Our drive</title>'
        f'<iframe title="7 for Jack" src="{demo.url}/d/{demo.open_slug}/embed"></iframe></html>')))
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if live_look(r) else None)
    open_live_page(page, blog)
    embed = page.frame(url=f"{demo.url}/d/{demo.open_slug}/embed")
    assert embed is not None
    count = embed.locator(".progress__number")
    expect(count).to_have_text("4 of 7 units")

    with page.expect_response(live_look):
        poll_now(embed)
    with page.expect_response(live_look):
        poll_now(embed)
    assert statuses[-1] == 304, statuses

    log_units(live_server, demo.open_slug, 3)
    with page.expect_response(news):
        poll_now(embed)
    expect(count).to_have_text("7 of 7 units")
    expect(embed.locator(".progress__badge")).to_have_text("— target reached")
    expect(embed.locator("[data-live-announcer]")).to_have_text("Updated: 7 of 7 units — target reached.")
    expect(embed.locator("#embed-progress")).to_have_attribute("value", "7")


def test_the_page_is_complete_without_javascript(demo: Seeded, new_context: ContextFactory):
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo.url}/d/{demo.open_slug}")
    expect(page.locator(".progress__number")).to_have_text("4 of 7 units")
