"""Calendar files open in common apps: parsed back with icalendar, with UID, DTSTAMP and all-day dates."""

from datetime import date, datetime, timedelta

import icalendar

from donation_drive.core.rules import today
from test_journeys import create_drive, invite_path, sign_up


def parse(body: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [event] = calendar.walk("VEVENT")
    return event


def test_pledge_calendar_is_an_all_day_event_with_a_reminder(browser):
    browser.register()
    planned = today() + timedelta(days=5)
    private = sign_up(browser, invite_path(browser, create_drive(browser)), "Ana", planned_on=planned.isoformat())
    response = browser.get(f"{private}/pledge.ics")
    assert response.mimetype == "text/calendar"
    event = parse(response.data)
    assert event.decoded("dtstart") == planned and type(event.decoded("dtstart")) is date
    assert event.decoded("dtend") == planned + timedelta(days=1)
    assert str(event["uid"]).startswith("pledge-") and str(event["uid"]).endswith("@drive.test")
    assert isinstance(event.decoded("dtstamp"), datetime) and event.decoded("dtstamp").tzinfo is not None
    assert "7 for Jack" in str(event["summary"])
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == timedelta(days=-1)


def test_drive_calendar_spans_the_drive_and_keeps_its_uid(browser, client):
    browser.register()
    create_drive(browser)
    first = parse(client.get("/d/7-for-jack/drive.ics").data)
    second = parse(client.get("/d/7-for-jack/drive.ics").data)
    assert first.decoded("dtstart") == today()
    assert first.decoded("dtend") == today() + timedelta(days=31)  # the day after the last day
    assert first["uid"] == second["uid"]  # the same event, updated rather than duplicated
