"""Next-eligible dates match each blood service's published intervals, its data is whole, the
organiser picks among every service, and a region we no longer know says nothing it can't back."""

import re
from datetime import date, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest

from donation_drive.core.rules import today, today_in
from donation_drive.models import DonationType, Drive
from donation_drive.outreach.eligibility import (
    REGIONS,
    UNKNOWN_REGION,
    NextDonation,
    next_donation_dates,
    region_of,
    shortest_wait,
)
from donation_drive.participation.donation_types import OFFERED, offered_in
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


@pytest.mark.parametrize(("region", "men", "women"), [
    ("brazil", date(2026, 4, 1), date(2026, 5, 1)),     # 60 and 90 days
    ("canada", date(2026, 3, 28), date(2026, 4, 25)),   # 56 and 84 days
    ("india", date(2026, 5, 1), date(2026, 5, 31)),     # 90 and 120 days
])
def test_whole_blood_differs_for_men_and_women_where_the_service_says_so(region, men, women):
    assert next_donation_dates(region, DonationType.WHOLE_BLOOD, DONATED) == [
        NextDonation(men, "men"), NextDonation(women, "women")]


@pytest.mark.parametrize(("region", "donation_type", "expected"), [
    ("australia", DonationType.WHOLE_BLOOD, date(2026, 4, 25)),  # 12 weeks
    ("australia", DonationType.PLASMA, date(2026, 2, 14)),       # 2 weeks
    ("canada", DonationType.PLATELETS, date(2026, 2, 14)),       # 14 days
    ("canada", DonationType.PLASMA, date(2026, 2, 7)),           # 7 days
    ("france", DonationType.WHOLE_BLOOD, date(2026, 3, 28)),     # 8 weeks
    ("france", DonationType.PLATELETS, date(2026, 2, 28)),       # 4 weeks
    ("france", DonationType.PLASMA, date(2026, 2, 14)),          # 2 weeks
    ("germany", DonationType.WHOLE_BLOOD, date(2026, 3, 28)),    # 56 days
    ("india", DonationType.PLATELETS, date(2026, 2, 2)),         # 48 hours
    ("spain", DonationType.WHOLE_BLOOD, date(2026, 3, 31)),      # two months
])
def test_intervals_the_same_for_everyone(region, donation_type, expected):
    assert next_donation_dates(region, donation_type, DONATED) == [NextDonation(expected)]


def test_unpublished_interval_or_unknown_region_gives_no_date():
    assert next_donation_dates("england", DonationType.PLASMA, DONATED) == []
    assert next_donation_dates("germany", DonationType.PLASMA, DONATED) == []
    assert next_donation_dates("atlantis", DonationType.WHOLE_BLOOD, DONATED) == []
    assert shortest_wait("atlantis", DonationType.WHOLE_BLOOD) is None


def test_an_unknown_region_names_no_service_and_offers_every_type():
    assert region_of("atlantis") is UNKNOWN_REGION
    assert (UNKNOWN_REGION.service, UNKNOWN_REGION.booking_url, UNKNOWN_REGION.timezone) == (
        "your local blood service", "", "UTC")
    assert list(offered_in("atlantis")) == list(DonationType)
    assert region_of("england").service == "NHS Blood and Transplant", "a known region is never the fallback"


def test_every_region_has_a_name_a_service_and_offers_its_types():
    assert set(OFFERED) == set(REGIONS)
    for key, region in REGIONS.items():
        assert region.name and region.service and region.intervals
        offered = OFFERED[key]
        assert offered and all(isinstance(kind, DonationType) and name for kind, name in offered.items())
        assert DonationType.WHOLE_BLOOD in offered, "sign-up's default type must be one every service takes"
        assert set(region.intervals) <= set(offered), f"{key}: an interval for a type it doesn't take"
        for intervals in region.intervals.values():
            assert intervals and all(_SOME_DAY + interval.wait > _SOME_DAY for interval in intervals)
            assert {interval.who for interval in intervals} in ({""}, {"men", "women"})


_SOME_DAY = date(2026, 1, 1)


def test_every_region_says_where_to_book_and_its_time_zone():
    zones = available_timezones()
    for region in REGIONS.values():
        assert region.booking_url.startswith("https://")
        assert region.timezone in zones and ZoneInfo(region.timezone).key == region.timezone
    assert (REGIONS["england"].timezone, REGIONS["us"].timezone) == ("Europe/London", "America/New_York")
    assert REGIONS["brazil"].timezone == "America/Sao_Paulo"


def test_the_organiser_picks_among_every_blood_service_sorted_by_country(browser):
    browser.register()
    organiser_page = create_drive(browser)
    html = browser.get(f"{organiser_page}/advanced").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="region".*?</select>', html, re.S)
    assert select, "no blood service picker on the advanced page"
    options = re.findall(r'<option[^>]*value="([^"]+)"[^>]*>([^<]*)</option>', select.group(0))
    assert {key for key, _name in options} == set(REGIONS)
    names = [name.replace("&amp;", "&") for _key, name in options]
    assert names == sorted(names) and names[0].startswith("Australia") and names[-1].startswith("United States")


#: A start two days back: today in any zone the drive moves to is within it.
STARTED = (today() - timedelta(days=2)).isoformat()


def test_private_page_shows_when_to_donate_again_by_the_drives_region(browser, db):
    browser.register()
    organiser_page = create_drive(browser, starts_on=STARTED)
    response = browser.submit(organiser_page, {"region": "us"}, action=f"{organiser_page}/region")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Drive.region)) == "us"
    private = sign_up(browser, invite_path(browser, organiser_page), "Ana")
    assert "donate again" not in browser.get(private).get_data(as_text=True)
    donated_on = today_in("America/New_York")  # the drive's zone followed its blood service's
    report(browser, private, donated_on=donated_on)
    page = browser.get(private).get_data(as_text=True)
    again = donated_on + timedelta(days=56)
    assert f"You may be able to donate again from <strong>{again:%A} {again.day} {again:%B %Y}</strong>" in page
    assert "check with your blood service" in page


def test_bad_region_is_refused_and_nothing_changes(browser, db, unchanged):
    browser.register()
    organiser_page = create_drive(browser)
    with unchanged():
        response = browser.submit(organiser_page, {"region": "atlantis"}, action=f"{organiser_page}/region")
    assert response.status_code == 422
    assert "Please choose one of the listed blood services." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(Drive.region)) == "england"


def test_a_brazilian_drive_tells_women_and_men_their_dates(browser, db):
    browser.register()
    organiser_page = create_drive(browser, starts_on=STARTED)
    assert browser.submit(organiser_page, {"region": "brazil"}, action=f"{organiser_page}/region").status_code == 302
    private = sign_up(browser, invite_path(browser, organiser_page), "Ana")
    donated_on = today_in("America/Sao_Paulo")
    report(browser, private, donated_on=donated_on)
    page = browser.get(private).get_data(as_text=True)
    for days, who in ((60, "men"), (90, "women")):
        again = donated_on + timedelta(days=days)
        assert f"<strong>{again:%A} {again.day} {again:%B %Y}</strong> ({who})" in page
    assert "the intervals your state&#39;s hemocentro publishes" in page


def test_stranger_cannot_change_the_region(browser, db):
    browser.register()
    organiser_page = create_drive(browser)
    browser.logout()
    browser.register(name="Stranger", email="stranger@example.org")
    response = browser.submit("/drives/", {"region": "us"}, action=f"{organiser_page}/region")
    assert response.status_code == 404
    assert db.session.scalar(db.select(Drive.region)) == "england"


def test_choosing_a_blood_service_moves_a_drive_still_on_the_old_services_time_zone(browser, db):
    browser.register()
    page = create_drive(browser)
    drive = db.session.scalar(db.select(Drive))
    assert (drive.region, drive.timezone) == ("england", "Europe/London")
    assert browser.submit(f"{page}/advanced", {"region": "australia"}, action=f"{page}/region").status_code == 302
    db.session.refresh(drive)
    assert (drive.region, drive.timezone) == ("australia", "Australia/Sydney")

    drive.timezone = "Australia/Perth"  # chosen by its organisers: it stays
    db.session.commit()
    browser.submit(f"{page}/advanced", {"region": "canada"}, action=f"{page}/region")
    db.session.refresh(drive)
    assert (drive.region, drive.timezone) == ("canada", "Australia/Perth")
    assert "chose Canadian Blood Services as the drive&#39;s blood service" in browser.get(f"{page}/settings").get_data(
        as_text=True)
