"""Calendar files (.ics) for a planned donation and for a drive's dates."""

from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event

from ..drives.models import Drive
from .models import Participant

PRODID = "-//Donation Drive//donation-drive//EN"


def _calendar(event: Event) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()


def _all_day_event(uid: str, summary: str, first_day: date, last_day: date, description: str, url: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("summary", summary)
    event.add("dtstart", first_day)
    # DTEND of an all-day event is the day after the last one (RFC 5545 3.6.1).
    event.add("dtend", last_day + timedelta(days=1))
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event


def pledge_calendar(participant: Participant, drive_url: str, host: str) -> bytes:
    """An all-day event on the participant's planned date."""
    drive = participant.drive
    planned = participant.planned_on or drive.ends_on
    description = (
        f"You pledged to give blood for {drive.title}. Book your appointment with your "
        f"blood service, and check with them that you can donate.\n{drive_url}"
    )
    event = _all_day_event(
        f"pledge-{participant.id}@{host}", f"Give blood — {drive.title}", planned, planned, description, drive_url
    )
    event.add_component(_reminder_the_day_before(drive.title))
    return _calendar(event)


def _reminder_the_day_before(title: str) -> Alarm:
    """A calendar alert the day before: most apps ignore alerts on all-day events without one."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", f"Tomorrow: give blood for {title}")
    alarm.add("trigger", timedelta(days=-1))
    return alarm


def drive_calendar(drive: Drive, drive_url: str, host: str) -> bytes:
    """One all-day event spanning the drive from its start date to its end date."""
    description = f"Blood-donation drive: {drive.title}.\n{drive_url}"
    event = _all_day_event(
        f"drive-{drive.id}@{host}", drive.title, drive.starts_on, drive.ends_on, description, drive_url
    )
    return _calendar(event)
