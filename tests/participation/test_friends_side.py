"""The rest of the friend's side: their donations said the same way everywhere, the pledge form
with the types of the drive's blood service, the booking link of its region, a header with
nothing meant for organisers on every page a friend reaches (errors and unsubscribing too), and
a way to leave words of support once they have given."""

import re
from html import unescape

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.donations.models import DonationType
from donation_drive.drives import operations as drive_operations
from donation_drive.models import Drive, Participant, User
from donation_drive.outreach.eligibility import REGIONS
from donation_drive.outreach.mailings import unsubscribe_token
from test_journeys import report
from test_private_page import Friend, amira, header_of, reject, seen  # noqa: F401 (a fixture)

NHS_TYPES = [("whole_blood", "Whole blood"), ("platelets", "Platelets"), ("plasma", "Plasma")]


def set_region(app, friend: Friend, region: str) -> None:
    with app.app_context():
        _db.session.get(Drive, friend.drive_id).region = region
        _db.session.commit()


def type_options(page_html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select[^>]*name="pledge-donation_type".*?</select>', page_html, re.S)
    assert select, "no donation type on the pledge form"
    return re.findall(r'<option[^>]*value="([^"]+)"[^>]*>([^<]*)</option>', select.group(0))


def change_pledge(browser, friend: Friend, **overrides):
    form = {"pledge-units": "1", "pledge-donation_type": "whole_blood", "pledge-planned_on": "",
            "pledge-name_shown_as": "first_name", **overrides}
    return browser.submit(friend.path, form, action=f"{friend.path}/pledge", prefix="pledge")


# Rejected donations read the same everywhere the friend sees them

def test_the_reminder_email_page_calls_a_duplicate_removed_not_rejected(app, browser, amira, db):
    report(browser, amira.path)
    report(browser, amira.path, another=True)  # "yes, count it": the same donation, twice
    reject(app, amira, today())
    token = factories.report_link_token(db.session.get(Participant, amira.participant_id))
    text = seen(browser.get(f"/r/{token}").get_data(as_text=True))
    assert "— counted; an organiser will check it" in text
    assert "— removed as a duplicate: you'd reported it already" in text
    assert "rejected" not in text


# The pledge form offers what the drive's blood service takes

def test_changing_a_pledge_on_an_england_drive_offers_no_power_red(browser, amira):
    page_html = browser.get(amira.path).get_data(as_text=True)
    assert type_options(page_html) == NHS_TYPES


def test_changing_a_pledge_on_a_us_drive_offers_the_red_cross_types_by_their_names(app, browser, amira):
    set_region(app, amira, "us")
    assert type_options(browser.get(amira.path).get_data(as_text=True)) == [
        ("whole_blood", "Whole blood"), ("double_red_cells", "Power Red"), ("platelets", "Platelets"),
        ("plasma", "AB Elite plasma")]


def test_a_pledge_changed_to_power_red_on_an_england_drive_is_refused_beside_the_field(browser, amira, unchanged):
    with unchanged():
        response = change_pledge(browser, amira, **{"pledge-donation_type": "double_red_cells"})
    assert response.status_code == 422
    page_html = response.get_data(as_text=True)
    error = re.search(r'<p class="field__error" id="pledge-donation_type-error">(.*?)</p>', page_html, re.S)
    assert error and "NHS Blood and Transplant doesn&#39;t take Double red cells (Power Red) donations." in error.group(1)
    assert '<details class="quiet-details" open>' in page_html  # "Change my pledge" opens on its error


def test_a_pledge_changed_to_platelets_is_saved(browser, amira, db):
    assert change_pledge(browser, amira, **{"pledge-donation_type": "platelets"}).status_code == 302
    assert db.session.get(Participant, amira.participant_id).donation_type is DonationType.PLATELETS


def test_a_power_red_pledge_kept_after_the_drive_moves_to_england_can_still_change_its_name_choice(app, browser, db):
    """Pledged on a US drive, whose organiser then chose NHS Blood and Transplant."""
    with app.app_context():
        jack = factories.drive(factories.organiser())
        jack.region = "us"
        luc, token = factories.participant(jack, "Luc Martin", kind=DonationType.DOUBLE_RED_CELLS, units=2, shown=False)
        jack.region = "england"
        _db.session.commit()
        luc_id = luc.id
    path = f"/p/{token}"
    response = browser.submit(path, {"pledge-units": "2", "pledge-donation_type": "double_red_cells",
                                     "pledge-planned_on": "", "pledge-show_name": "y",
                                     "pledge-name_shown_as": "first_name"}, action=f"{path}/pledge", prefix="pledge")
    assert response.status_code == 302
    luc = db.session.get(Participant, luc_id)
    assert (luc.show_name, luc.donation_type) == (True, DonationType.DOUBLE_RED_CELLS)


# Booking with the drive's blood service

@pytest.mark.parametrize("region", list(REGIONS))
def test_the_friend_books_where_the_drive_regions_blood_service_takes_appointments(app, browser, amira, region):
    set_region(app, amira, region)
    page_html = unescape(browser.get(amira.path).get_data(as_text=True))
    service = REGIONS[region]
    assert f'<a class="button button--primary" href="{service.booking_url}">Book with {service.service}</a>' in page_html


# No organisers' links on a friend's error page or on unsubscribing

def friends_broken_links(app, friend: Friend) -> dict[str, int]:
    """Addresses a friend may open from an old or mistyped link, with the status each answers."""
    with app.app_context():
        drive = _db.session.get(Drive, friend.drive_id)
        retired_code = drive.invite_code
        drive_operations.rotate_invite_code(drive, _db.session.get(User, friend.organiser_id))
        _db.session.commit()
    return {f"/join/{retired_code}": 410, "/join/not-a-code": 404, "/p/not-a-token": 404, "/d/no-such-drive": 404,
            "/r/not-a-token": 404, "/i/not-a-token": 404, "/sign-in/not-a-token": 410,
            "/unsubscribe/not-a-token": 404, "/memorial/no-such-drive": 404}


@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "organiser too"])
def test_error_pages_on_friends_addresses_show_nothing_meant_for_organisers(app, browser, amira, logged_in):
    if logged_in:
        browser.login()
    for path, status in friends_broken_links(app, amira).items():
        response = browser.get(path)
        assert response.status_code == status, path
        page_html = response.get_data(as_text=True)
        assert header_of(page_html) == "Donation Drive", (path, header_of(page_html))
        assert 'aria-label="Main"' not in page_html, path


def test_error_pages_elsewhere_keep_the_organisers_header(browser, amira):
    assert "Start a drive" in header_of(browser.get("/no-such-page").get_data(as_text=True))
    browser.login()
    response = browser.get("/drives/no-such-drive")
    assert response.status_code == 404
    assert "My drives" in header_of(response.get_data(as_text=True))


def test_the_unsubscribe_page_shows_nothing_meant_for_organisers(app, browser, amira):
    with app.app_context():
        token = unsubscribe_token(_db.session.get(Drive, amira.drive_id), "amira@example.org")
    asked = browser.get(f"/unsubscribe/{token}")
    assert asked.status_code == 200
    assert header_of(asked.get_data(as_text=True)) == "Donation Drive"
    done = browser.client.post(f"/unsubscribe/{token}")
    assert "You won't get more email about 7 for Jack" in seen(done.get_data(as_text=True))
    assert header_of(done.get_data(as_text=True)) == "Donation Drive"


# After giving

def test_the_thank_you_offers_a_quiet_way_to_leave_words_of_support(app, browser, amira):
    report(browser, amira.path)
    page_html = browser.get(amira.path).get_data(as_text=True)
    with app.app_context():
        slug = _db.session.get(Drive, amira.drive_id).slug
    assert f'<p><a href="/d/{slug}/words/new">Leave words of support for the family</a></p>' in page_html
    thank_you = page_html[page_html.index('id="thank-you"'):page_html.index("Report another donation")]
    assert "Leave words of support for the family" in thank_you
