"""The private page follows where the friend is: their plan and how to book it, then a thank-you.

Each test reads the page as a person does, top to bottom: `seen` is its text, in order.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape
from html.parser import HTMLParser

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.core.templating import long_date
from donation_drive.donations import operations as donations
from donation_drive.drives import lifecycle, people
from donation_drive.models import Donation, DonationStatus, DonationType, Drive, Participant, User
from donation_drive.outreach.eligibility import REGIONS
from donation_drive.privacy.sign_in import sign_in_token
from test_journeys import report

PLANNED = timedelta(days=2)


#: Elements inside a run of text; any other tag separates words, as a browser lays it out.
INLINE = {"a", "strong", "em", "span", "time", "abbr", "code", "b", "i"}


class _Text(HTMLParser):
    """The words a page shows, in order; one part for the site header, one for the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: dict[str, list[str]] = {"header": [], "page": []}
        self._skipping = 0
        self._in_header = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self._separate(tag)
        if tag in ("script", "style", "title"):
            self._skipping += 1
        if tag == "header" and ("class", "site-header") in attrs:
            self._in_header = True

    def handle_endtag(self, tag: str) -> None:
        self._separate(tag)
        if tag in ("script", "style", "title"):
            self._skipping -= 1
        if tag == "header" and self._in_header:
            self._in_header = False

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts["header" if self._in_header else "page"].append(data)

    def _separate(self, tag: str) -> None:
        if tag not in INLINE:
            self.parts["header" if self._in_header else "page"].append(" ")


def _read(page_html: str) -> dict[str, str]:
    parser = _Text()
    parser.feed(page_html)
    return {part: re.sub(r"\s+", " ", "".join(words)).strip() for part, words in parser.parts.items()}


def seen(page_html: str) -> str:
    """What a person reads on the page, below the site header."""
    return _read(page_html)["page"]


def header_of(page_html: str) -> str:
    return _read(page_html)["header"]


def assert_in_order(text: str, *phrases: str) -> None:
    at = 0
    for phrase in phrases:
        found = text.find(phrase, at)
        assert found >= 0, f"{phrase!r} not found after {text[max(at - 80, 0):at]!r} in:\n{text}"
        at = found + len(phrase)


@dataclass(frozen=True)
class Friend:
    """Amira, signed up to "7 for Jack" (in Leeds) with her email, to give whole blood in two days."""

    path: str
    participant_id: int
    drive_id: int
    organiser_id: int


@pytest.fixture
def amira(app) -> Friend:
    with app.app_context():
        sam = factories.organiser()
        jack = factories.drive(sam, place="Leeds")
        participant, token = factories.participant(jack, "Amira Haddad", email="amira@example.org",
                                                   planned_on=today() + PLANNED, shown=False)
        _db.session.commit()
        return Friend(f"/p/{token}", participant.id, jack.id, sam.id)


def as_organiser(app, friend: Friend, act) -> None:
    """Something the organiser does to Amira's row (through the operation their page calls)."""
    with app.app_context():
        act(_db.session.get(Drive, friend.drive_id), _db.session.get(User, friend.organiser_id),
            _db.session.get(Participant, friend.participant_id))
        _db.session.commit()


def reject(app, friend: Friend, donated_on: date) -> None:
    """The organiser rejects Amira's latest report of a donation on `donated_on`."""
    def rejecting(_drive, organiser, participant):
        donation = [d for d in participant.donations if d.donated_on == donated_on][-1]
        donations.set_donation_status(donation, organiser, DonationStatus.REJECTED)
    as_organiser(app, friend, rejecting)


# Before donating

def test_before_donating_the_plan_comes_first_then_booking_then_reporting(browser, amira):
    page_html = browser.get(amira.path).get_data(as_text=True)
    assert_in_order(
        seen(page_html),
        "Hello, Amira Haddad",
        "Your pledge", "What 1 unit of whole blood", f"When {long_date(today() + PLANNED)}", "Where Leeds",
        "Add it to your calendar",
        "Book your appointment", "Appointments are made with NHS Blood and Transplant",
        "Book with NHS Blood and Transplant",
        "After you donate", "Report my donation",
        "Can't donate after all?",
    )
    assert '<a class="button button--primary" href="https://www.blood.co.uk/">Book with NHS Blood and Transplant</a>' \
        in page_html
    assert "Thank you" not in seen(page_html)


@pytest.mark.parametrize("region", list(REGIONS))
def test_the_booking_link_is_the_drive_regions_blood_service(app, browser, amira, region):
    with app.app_context():
        _db.session.get(Drive, amira.drive_id).region = region
        _db.session.commit()
    page_html = browser.get(amira.path).get_data(as_text=True)
    link = re.search(r'<a class="button button--primary" href="([^"]+)">Book with ([^<]+)</a>', page_html)
    assert link, page_html
    assert link.group(1).startswith("https://")
    assert unescape(link.group(2)) == REGIONS[region].service


def test_an_appointment_the_organiser_recorded_replaces_the_planned_date(app, browser, amira):
    booked_on = today() + timedelta(days=4)
    as_organiser(app, amira, lambda drive, organiser, participant: people.set_stage(
        drive, organiser, participant, "booked", booked_on=booked_on, booked_place="Leeds Donor Centre"))
    page_html = browser.get(amira.path).get_data(as_text=True)
    assert_in_order(
        seen(page_html),
        "Your appointment", f"When {long_date(booked_on)}", "Where Leeds Donor Centre",
        "To move or cancel it, go to NHS Blood and Transplant",
        "After you donate", "Report my donation", "Can't donate after all?",
    )
    assert "Book your appointment" not in seen(page_html)
    assert long_date(today() + PLANNED) not in seen(page_html)
    assert 'class="button button--primary">Report my donation' in page_html


def test_a_friend_deferred_on_the_day_is_thanked_for_going_and_can_book_again(app, browser, amira):
    as_organiser(app, amira, lambda drive, organiser, participant: people.set_stage(
        drive, organiser, participant, "deferred", deferred_on=today()))
    text = seen(browser.get(amira.path).get_data(as_text=True))
    assert_in_order(text, "Hello, Amira Haddad",
                    f"You went to donate on {long_date(today())}", "Thank you for going",
                    "Book again", "Book with NHS Blood and Transplant", "Report my donation")


def test_a_planned_date_gone_by_asks_whether_they_donated(app, browser, amira):
    with app.app_context():
        _db.session.get(Participant, amira.participant_id).planned_on = today() - timedelta(days=1)
        _db.session.commit()
    page_html = browser.get(amira.path).get_data(as_text=True)
    assert_in_order(seen(page_html), f"When {long_date(today() - timedelta(days=1))} (gone by)",
                    "Did you donate? Report it below. If not, pick a new date.")
    assert "Add it to your calendar" not in seen(page_html)
    # The date gone by is not offered again: the form would refuse it.
    assert 'name="pledge-planned_on" type="date" value=""' in page_html


def test_after_withdrawing_the_friend_can_pledge_again_and_is_not_asked_to_book(browser, amira):
    browser.submit(amira.path, {}, action=f"{amira.path}/withdraw", prefix="pledge")
    page_html = browser.get(amira.path).get_data(as_text=True)
    assert_in_order(seen(page_html), "You withdrew your pledge", "Pledge again", "Save my pledge")
    assert "Book your appointment" not in seen(page_html)
    assert "Can't donate after all?" not in seen(page_html)


# After reporting a donation

def test_after_reporting_a_thank_you_comes_first_with_the_next_date(browser, amira):
    assert report(browser, amira.path).status_code == 302
    page_html = browser.get(amira.path).get_data(as_text=True)
    text = seen(page_html)
    assert_in_order(
        text,
        "Thank you for donating. Your units now count towards the drive.",
        "Thank you, Amira Haddad",
        "Your donation", f"You gave 1 unit of whole blood on {long_date(today())}.",
        "It counts towards 7 for Jack. An organiser will check it.",
        f"You may be able to donate again from {long_date(today() + timedelta(weeks=12))} (men)"
        f" or {long_date(today() + timedelta(weeks=16))} (women) — check with your blood service.",
        "Report another donation",
        "Pass the challenge on",
    )
    for gone in ("Hello,", long_date(today() + PLANNED), "Can't donate after all?", "Book your appointment",
                 "Change my pledge", "Your donations"):
        assert gone not in text, gone
    # "Report another" is tucked away until asked for.
    assert '<details class="quiet-details" id="report">' in page_html


def test_a_confirmed_donation_says_so(app, browser, amira):
    report(browser, amira.path)
    as_organiser(app, amira, lambda _drive, organiser, participant: donations.set_donation_status(
        participant.donations[0], organiser, DonationStatus.CONFIRMED))
    text = seen(browser.get(amira.path).get_data(as_text=True))
    assert "It counts towards 7 for Jack, and an organiser has confirmed it." in text


def test_on_a_drive_counting_only_confirmed_units_the_thank_you_says_it_waits(app, browser, amira):
    as_organiser(app, amira, lambda drive, organiser, _participant: lifecycle.set_counts_reported(
        drive, organiser, at_once=False))
    response = report(browser, amira.path)
    text = seen(browser.get(response.location).get_data(as_text=True))
    assert_in_order(
        text,
        "Thank you for donating. Your units count once an organiser confirms them.",
        "Thank you, Amira Haddad",
        "It will count towards 7 for Jack once an organiser confirms it.",
        f"You may be able to donate again from {long_date(today() + timedelta(weeks=12))}",
    )


def test_report_another_opens_with_its_errors_or_its_question(browser, amira):
    report(browser, amira.path)
    refused = report(browser, amira.path, units=0)
    assert refused.status_code == 422
    assert '<details class="quiet-details" id="report" open>' in refused.get_data(as_text=True)

    asked = report(browser, amira.path)  # the same day again: "is this another donation?"
    assert asked.status_code == 200
    page_html = asked.get_data(as_text=True)
    assert '<details class="quiet-details" id="report" open>' in page_html
    assert_in_order(seen(page_html), "Report another donation", "Is this another donation?", "Yes, count it")


def test_after_donating_the_friend_can_still_change_how_their_name_shows(browser, amira, db):
    report(browser, amira.path)
    page_html = browser.get(amira.path).get_data(as_text=True)
    assert_in_order(seen(page_html), "Your details", "Change how your name shows", "Show my name on the progress page",
                    "Save my choice")
    assert "Units pledged" not in seen(page_html)
    kept = dict(re.findall(r'<input type="hidden" name="(pledge-[\w]+)" value="([^"]*)">', page_html))
    assert set(kept) == {"pledge-units", "pledge-donation_type", "pledge-planned_on"}
    response = browser.submit(amira.path, {**kept, "pledge-show_name": "y", "pledge-name_shown_as": "first_name"},
                              action=f"{amira.path}/pledge", prefix="pledge")
    assert response.status_code == 302
    participant = db.session.get(Participant, amira.participant_id)
    assert participant.show_name is True
    assert (participant.units_pledged, participant.donation_type, participant.planned_on) == (
        1, DonationType.WHOLE_BLOOD, today() + PLANNED)


# Rejected donations

def test_a_donation_rejected_as_a_duplicate_reads_removed_as_a_duplicate(app, browser, amira, db):
    report(browser, amira.path)
    report(browser, amira.path, donated_on=today(), another=True)  # "yes, count it": the same one, twice
    assert db.session.scalar(db.select(db.func.count(Donation.id))) == 2
    reject(app, amira, today())
    text = seen(browser.get(amira.path).get_data(as_text=True))
    assert_in_order(
        text,
        "Thank you, Amira Haddad",
        f"You gave 1 unit of whole blood on {long_date(today())}.",
        "Your donations",
        f"1 unit of whole blood on {long_date(today())} — counted; an organiser will check it",
        f"1 unit of whole blood on {long_date(today())} — removed as a duplicate: you'd reported it already",
    )
    assert "rejected" not in text


def test_a_second_report_within_the_wait_rejected_is_a_duplicate_too(app, browser, amira):
    """Reported on another day by mistake: nobody gives whole blood twice in twelve weeks."""
    with app.app_context():
        _db.session.get(Drive, amira.drive_id).starts_on = today() - timedelta(days=10)
        _db.session.commit()
    report(browser, amira.path, donated_on=today() - timedelta(days=3))
    report(browser, amira.path, another=True)
    reject(app, amira, today())
    text = seen(browser.get(amira.path).get_data(as_text=True))
    assert f"1 unit of whole blood on {long_date(today())} — removed as a duplicate" in text


def test_a_plain_rejection_reads_gently_and_the_plan_comes_back(app, browser, amira):
    report(browser, amira.path)
    reject(app, amira, today())
    text = seen(browser.get(amira.path).get_data(as_text=True))
    assert_in_order(
        text,
        "Hello, Amira Haddad", "Your pledge", "Book your appointment", "Report my donation",
        f"1 unit of whole blood on {long_date(today())} — not counted; the organiser can tell you why",
    )
    assert "rejected" not in text and "Thank you, Amira" not in text and "duplicate" not in text


def test_a_rejection_beside_a_later_donation_of_another_kind_is_not_called_a_duplicate(app, browser, amira):
    with app.app_context():
        _db.session.get(Drive, amira.drive_id).starts_on = today() - timedelta(days=10)
        _db.session.commit()
    report(browser, amira.path, donated_on=today() - timedelta(days=3), donation_type="plasma")
    report(browser, amira.path, another=True)
    reject(app, amira, today() - timedelta(days=3))
    text = seen(browser.get(amira.path).get_data(as_text=True))
    assert f"1 unit of plasma on {long_date(today() - timedelta(days=3))} — not counted" in text


# The header on friends' pages

ORGANISER_LINKS = ("Log in", "Start a drive", "My drives", "New drive", "Log out")


def friends_pages(app, friend: Friend) -> list[str]:
    with app.app_context():
        drive = _db.session.get(Drive, friend.drive_id)
        participant = _db.session.get(Participant, friend.participant_id)
        visit = factories.group_visit(drive, _db.session.get(User, friend.organiser_id))
        report_token = factories.report_link_token(participant)
        _db.session.commit()
        return [friend.path, f"{friend.path}/welcome", f"/join/{drive.invite_code}", f"{friend.path}/delete",
                f"{friend.path}/visits/{visit.id}", f"/r/{report_token}", f"/sign-in/{sign_in_token(participant)}",
                f"/d/{drive.slug}/lost-link", f"/d/{drive.slug}/lost-link/sent"]


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "organiser too"])
def test_friends_pages_show_nothing_meant_for_organisers(app, browser, amira, logged_in):
    if logged_in:
        browser.login()
    for path in friends_pages(app, amira):
        response = browser.get(path)
        assert response.status_code == 200, path
        page_html = response.get_data(as_text=True)
        assert header_of(page_html) == "Donation Drive", (path, header_of(page_html))
        assert '<a class="skip-link" href="#main">Skip to content</a>' in page_html, path
        assert 'aria-label="Main"' not in page_html, path


def test_organisers_pages_keep_their_header(browser, amira):
    assert all(link in header_of(browser.get("/").get_data(as_text=True)) for link in ("Log in", "Start a drive"))
    browser.login()
    assert all(link in header_of(browser.get("/drives/").get_data(as_text=True))
               for link in ("My drives", "New drive", "Log out"))
