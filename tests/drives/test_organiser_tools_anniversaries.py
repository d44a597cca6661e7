"""Yearly memorial rounds: dates from a yearly rrule (29 February included), each round its own
drive, one memorial page with every round and the units given in all."""

from datetime import date, timedelta

import pytest

from donation_drive.core.rules import today
from donation_drive.drives import anniversaries
from donation_drive.drives.anniversaries import next_round_start
from donation_drive.models import Drive, Memorial
from support import csrf_token
from test_journeys import create_drive


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (date(2028, 2, 29), date(2029, 2, 28)),
        (date(2029, 2, 28), date(2030, 2, 28)),
        (date(2030, 2, 28), date(2031, 2, 28)),
        (date(2031, 2, 28), date(2032, 2, 29)),  # a leap year again: back on the 29th
        (date(2099, 3, 1), date(2100, 2, 28)),  # 2100 is not a leap year
        (date(2399, 3, 1), date(2400, 2, 29)),  # 2400 is
    ],
)
def test_a_29_february_memorial_comes_back_on_the_last_day_of_february(after, expected):
    assert next_round_start(date(2028, 2, 29), after) == expected


def test_other_dates_come_back_on_the_same_day_every_year():
    assert next_round_start(date(2026, 11, 27), date(2026, 11, 27)) == date(2027, 11, 27)
    assert next_round_start(date(2027, 2, 28), date(2027, 2, 28)) == date(2028, 2, 28)
    assert next_round_start(date(2026, 3, 1), date(2027, 6, 1)) == date(2028, 3, 1)


def test_memorial_of_a_29_february_drive_lists_the_next_rounds_dates(app, db):
    from donation_drive.drives.operations import DriveDetails, create_drive as create
    from donation_drive.models import Dedication, User, Visibility

    owner = User(email="o@example.org", name="O", password_hash="x")
    db.session.add(owner)
    drive = create(owner, DriveDetails(
        title="For Leap", dedication=Dedication.IN_MEMORY, honoree="Leap", story="", target_units=3,
        starts_on=today(), ends_on=today(), place="", visibility=Visibility.PUBLIC))
    # It ran in 2024 (creating a drive rightly refuses dates already past).
    drive.starts_on, drive.ends_on = date(2024, 2, 29), date(2024, 3, 7)
    memorial = anniversaries.repeat_yearly(drive, owner)
    about = anniversaries.summary(memorial)
    # However late it is, the next round is the next last day of February from today on.
    assert about.next_round.starts_on.month == 2
    assert about.next_round.starts_on.day == (29 if about.next_round.starts_on.year % 4 == 0 else 28)
    assert about.next_round.starts_on > today() - timedelta(days=1)
    assert about.next_round.ends_on - about.next_round.starts_on == timedelta(days=7)
    db.session.rollback()


def test_yearly_rounds_share_one_memorial_page_with_the_total(browser, client, db):
    browser.register()
    start = today() - timedelta(days=2)
    page = create_drive(browser, starts_on=start.isoformat(), ends_on=(start + timedelta(days=30)).isoformat())
    assert browser.submit(page, {}, action=f"{page}/anniversary").status_code == 302
    html = browser.get(f"{page}/advanced").get_data(as_text=True)
    next_year = next_round_start(start, start)
    assert f"Set up the {next_year.year} round now" in html
    browser.submit(page, {"participant_id": "0", "units": "3", "donation_type": "whole_blood",
                          "donated_on": today().isoformat()}, action=f"{page}/donations")

    response = browser.submit(page, {}, action=f"{page}/anniversary/next")
    assert response.status_code == 302
    second_page = response.headers["Location"]
    second = db.session.scalar(db.select(Drive).where(Drive.id != 1))
    assert second.title == f"7 for Jack — {next_year.year}"
    assert second.starts_on == next_year
    assert second.ends_on - second.starts_on == timedelta(days=30)
    db.session.rollback()

    memorial = client.get("/memorial/7-for-jack").get_data(as_text=True)
    assert "3 units of blood given in Jack's name" in memorial
    assert " · 2 drives" in memorial
    assert "/d/7-for-jack" in memorial and f"/d/{second_page.rsplit('/', 1)[1]}" in memorial
    assert "Every year for <bdi>Jack</bdi>" in client.get("/d/7-for-jack").get_data(as_text=True)

    # Only one future round at a time.
    again = browser.submit(second_page, {}, action=f"{second_page}/anniversary/next")
    assert again.status_code == 409
    assert "already set up" in again.get_data(as_text=True)


def test_stopping_the_yearly_rounds_and_strangers(browser, client, db, unchanged):
    browser.register()
    page = create_drive(browser)
    browser.submit(page, {}, action=f"{page}/anniversary")
    assert browser.submit(page, {}, action=f"{page}/anniversary/stop").status_code == 302
    assert "Next year" not in client.get("/memorial/7-for-jack").get_data(as_text=True)
    assert db.session.scalar(db.select(Memorial.repeats_yearly)) is False
    db.session.rollback()
    browser.logout()
    browser.register(name="Stranger", email="stranger@example.org")
    token = csrf_token(browser.get("/drives/").get_data(as_text=True))
    with unchanged():
        for url in (f"{page}/anniversary", f"{page}/anniversary/next", f"{page}/anniversary/stop"):
            assert browser.client.post(url, data={"csrf_token": token}).status_code == 404
    assert client.get("/memorial/nobody").status_code == 404
