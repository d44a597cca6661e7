"""A participant's private page: their pledge, reporting a donation, the calendar file."""

from datetime import timedelta

import pytest
from icalendar import Calendar

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.core.tokens import token_hash
from donation_drive.models import Donation, DonationStatus, LoggedBy, Participant
from donation_drive.participation import operations as participation
from test_journeys import report


@pytest.fixture
def private_link(app) -> str:
    """Amira's private page: she signed up, unnamed, to "7 for Jack" (which started today) to give in two days."""
    with app.app_context():
        jack = factories.drive(factories.organiser(), starts_on=today())
        _amira, token = factories.participant(jack, "Amira Haddad", planned_on=today() + timedelta(days=2),
                                              shown=False)
        _db.session.commit()
    return f"/p/{token}"


def pledge_form(**overrides) -> dict:
    form = {"pledge-units": "1", "pledge-donation_type": "whole_blood", "pledge-planned_on": ""}
    form.update(overrides)
    return form


def test_private_page_shows_the_pledge_and_the_report_form(browser, private_link):
    page = browser.get(private_link).get_data(as_text=True)
    assert "Hello, Amira Haddad" in page
    assert "<dt>What</dt>\n    <dd>1 unit of whole blood</dd>" in page
    assert ">Units" in page and ">Date donated" in page


def test_only_a_hash_of_the_private_link_is_stored(private_link, db):
    token = private_link.rsplit("/", 1)[1]
    assert len(token) >= 43  # 32 random bytes
    participant = db.session.scalar(db.select(Participant))
    assert participant.private_link_hash == token_hash(token)
    assert token not in participant.private_link_hash


def test_friend_reports_a_donation_and_the_count_moves(browser, private_link, client, db):
    response = report(browser, private_link)
    assert response.status_code == 302
    donation = db.session.scalar(db.select(Donation))
    assert (donation.units, donation.status, donation.logged_by) == (1, DonationStatus.REPORTED, LoggedBy.PARTICIPANT)
    assert "1 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)
    assert "It counts towards 7 for Jack. An organiser will check it." in browser.get(private_link).get_data(as_text=True)


@pytest.mark.parametrize(
    ("units", "donated_on", "message"),
    [
        ("0", today(), "from 1 to 10"),
        ("999", today(), "from 1 to 10"),
        ("-1", today(), "from 1 to 10"),
        ("1", today() + timedelta(days=1), "can&#39;t be in the future"),
        ("1", today() - timedelta(days=1), "pick that day or a later one"),
        ("1", "2026-13-01", "real date"),
        ("1", "", "Please enter a date."),
    ],
)
def test_bad_reports_are_refused(browser, private_link, unchanged, units, donated_on, message):
    date_text = donated_on if isinstance(donated_on, str) else donated_on.isoformat()
    with unchanged():
        response = browser.submit(
            private_link,
            {"report-units": units, "report-donated_on": date_text, "report-donation_type": "whole_blood"},
            action=f"{private_link}/donations",
            prefix="report",
        )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_friend_changes_the_pledge(browser, private_link, db):
    planned = (today() + timedelta(days=5)).isoformat()
    response = browser.submit(
        private_link,
        pledge_form(**{"pledge-units": "2", "pledge-donation_type": "platelets", "pledge-planned_on": planned,
                       "pledge-show_name": "y"}),
        action=f"{private_link}/pledge",
        prefix="pledge",
    )
    assert response.status_code == 302
    participant = db.session.scalar(db.select(Participant))
    assert (participant.units_pledged, participant.donation_type.value, participant.planned_on.isoformat()) == (
        2, "platelets", planned)
    assert participant.show_name is True


def test_bad_pledge_change_is_refused(browser, private_link, unchanged):
    with unchanged():
        response = browser.submit(
            private_link, pledge_form(**{"pledge-units": "0"}), action=f"{private_link}/pledge", prefix="pledge"
        )
    assert response.status_code == 422
    assert "from 1 to 10" in response.get_data(as_text=True)


def test_friend_withdraws_the_pledge_but_donations_still_count(app, browser, private_link, client):
    with app.app_context():
        factories.reported_donation(participation.participant_by_private_link(private_link.rsplit("/", 1)[1]))
        _db.session.commit()
    browser.submit(private_link, {}, action=f"{private_link}/withdraw", prefix="pledge")
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "1 of 7 units" in page
    assert "pledged" not in page.split('data-live-part="count"', 1)[1].split('data-live-part="milestones"', 1)[0]
    # Her donation stands, so her page thanks her for it.
    assert "Thank you, Amira Haddad" in browser.get(private_link).get_data(as_text=True)


def test_calendar_file_for_the_planned_date(browser, private_link):
    response = browser.get(f"{private_link}/pledge.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    event = next(iter(calendar.walk("VEVENT")))
    assert event.decoded("dtstart") == today() + timedelta(days=2)
    assert event.decoded("dtend") == today() + timedelta(days=3)
    assert event.get("uid") and event.get("dtstamp")
    assert "7 for Jack" in str(event.get("summary"))


def test_wrong_private_link_is_a_friendly_404(browser, unchanged):
    response = browser.get("/p/not-a-real-link")
    assert response.status_code == 404
    assert "private link isn&#39;t valid" in response.get_data(as_text=True)
    with unchanged():
        posted = browser.post("/p/not-a-real-link/donations", {"report-units": "1"})
    assert posted.status_code == 404
    assert "private link isn&#39;t valid" in posted.get_data(as_text=True)
