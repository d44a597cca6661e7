"""Next-eligible dates match the intervals PRODUCT.md quotes, and the private page says so."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from donation_drive.core.rules import today
from donation_drive.models import DonationType, Drive
from donation_drive.outreach.eligibility import REGIONS, NextDonation, next_donation_dates
from test_journeys import create_drive, invite_path, report, sign_up

DONATED = date(2026, 1, 31)


@pytest.mark.parametrize(("donation_type", "expected"), [
    (DonationType.WHOLE_BLOOD, date(2026, 3, 28)),        # 56 days
    (DonationType.DOUBLE_RED_CELLS, date(2026, 5, 23)),   # 112 days
    (DonationType.PLATELETS, date(2026, 2, 7)),           # 7 days
    (DonationType.PLASMA, date(2026, 2, 28)),             # 28 days
])
def test_american_red_cross_intervals(donation_type, expected):
    assert next_donation_dates("us", donation_type, DONATED) == [NextDonation(expected)]


def test_nhs_england_whole_blood_differs_for_men_and_women():
    assert next_donation_dates("england", DonationType.WHOLE_BLOOD, DONATED) == [
        NextDonation(date(2026, 4, 25), "men"),    # 12 weeks
        NextDonation(date(2026, 5, 23), "women"),  # 16 weeks
    ]


def test_nhs_england_platelets_two_weeks():
    assert next_donation_dates("england", DonationType.PLATELETS, DONATED) == [NextDonation(date(2026, 2, 14))]


def test_unpublished_interval_or_unknown_region_gives_no_date():
    assert next_donation_dates("england", DonationType.PLASMA, DONATED) == []
    assert next_donation_dates("atlantis", DonationType.WHOLE_BLOOD, DONATED) == []


def test_every_region_has_a_name_and_a_service():
    for region in REGIONS.values():
        assert region.name and region.service and region.intervals


def test_every_region_says_where_to_book_and_its_time_zone():
    for region in REGIONS.values():
        assert region.booking_url.startswith("https://")
        assert ZoneInfo(region.timezone).key == region.timezone
    assert (REGIONS["england"].timezone, REGIONS["us"].timezone) == ("Europe/London", "America/New_York")


def test_private_page_shows_when_to_donate_again_by_the_drives_region(browser, db):
    browser.register()
    organiser_page = create_drive(browser)
    response = browser.submit(organiser_page, {"region": "us"}, action=f"{organiser_page}/region")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Drive.region)) == "us"
    private = sign_up(browser, invite_path(browser, organiser_page), "Ana")
    assert "donate again" not in browser.get(private).get_data(as_text=True)
    report(browser, private)
    page = browser.get(private).get_data(as_text=True)
    again = today() + timedelta(days=56)
    assert f"You may be able to donate again from <strong>{again:%A} {again.day} {again:%B %Y}</strong>" in page
    assert "check with your blood service" in page


def test_bad_region_is_refused_and_nothing_changes(browser, db):
    browser.register()
    organiser_page = create_drive(browser)
    response = browser.submit(organiser_page, {"region": "atlantis"}, action=f"{organiser_page}/region")
    assert response.status_code == 422
    assert db.session.scalar(db.select(Drive.region)) == "england"


def test_stranger_cannot_change_the_region(browser, db):
    browser.register()
    organiser_page = create_drive(browser)
    browser.logout()
    browser.register(name="Stranger", email="stranger@example.org")
    response = browser.submit("/drives/", {"region": "us"}, action=f"{organiser_page}/region")
    assert response.status_code == 404
    assert db.session.scalar(db.select(Drive.region)) == "england"
