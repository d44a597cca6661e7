"""Calendar files (.ics) for a planned donation and for a drive's dates."""

from datetime import UTC, date, datetime, timedelta

from flask_babel import gettext as _
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
    """An all-day event on the participant's planned date.

    Its text is written in the language active when it is built: the request's, or the mail's.
    """
    drive = participant.drive
    planned = participant.planned_on or drive.ends_on
    description = _(
        "You pledged to give blood for %(title)s. Book your appointment with your "
        "blood service, and check with them that you can donate.",
        title=drive.title,
    ) + f"\n{drive_url}"
    event = _all_day_event(
        f"pledge-{participant.id}@{host}", _("Give blood — %(title)s", title=drive.title), planned, planned,
        description, drive_url,
    )
    event.add_component(_reminder_the_day_before(drive.title))
    return _calendar(event)


def _reminder_the_day_before(title: str) -> Alarm:
    """A calendar alert the day before: most apps ignore alerts on all-day events without one."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", _("Tomorrow: give blood for %(title)s", title=title))
    alarm.add("trigger", timedelta(days=-1))
    return alarm


def drive_calendar(drive: Drive, drive_url: str, host: str) -> bytes:
    """One all-day event spanning the drive from its start date to its end date."""
    description = _("Blood-donation drive: %(title)s.", title=drive.title) + f"\n{drive_url}"
    event = _all_day_event(
        f"drive-{drive.id}@{host}", drive.title, drive.starts_on, drive.ends_on, description, drive_url
    )
    return _calendar(event)
