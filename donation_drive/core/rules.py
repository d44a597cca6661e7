"""Domain rules shared by the operations, and the error they raise; and what day it is for a drive."""

import logging
from datetime import UTC, date, datetime
from functools import cache, lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import format_date, gettext

log = logging.getLogger(__name__)

#: Where a drive's days are counted when its own time zone can't be used.
FALLBACK_ZONE = "UTC"


class RuleBroken(ValueError):
    """A request the product refuses, with the form field it belongs beside (or None)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class HasTimeZone(Protocol):
    #: An IANA time zone name, as Drive.timezone holds it.
    timezone: str


def today() -> date:
    """The server's idea of today, in UTC, so every worker agrees: for what is about the server
    (rate limits, the outbox). A drive's days follow its own zone: `drive_today`."""
    return datetime.now(UTC).date()


@cache
def time_zone_names() -> frozenset[str]:
    """Every IANA name zoneinfo knows (from tzdata), read once: the list is a file scan."""
    return frozenset(available_timezones())


def is_time_zone(name: str) -> bool:
    return name in time_zone_names()


@lru_cache(maxsize=64)
def zone_of(name: str) -> ZoneInfo:
    """The zone named `name`, or UTC for a name zoneinfo doesn't know: a bad value in the
    database costs a warning in the log (once per process), never a page."""
    if is_time_zone(name):
        return ZoneInfo(name)
    log.warning("Unknown time zone %r; counting days in %s instead", name, FALLBACK_ZONE)
    return ZoneInfo(FALLBACK_ZONE)


def today_in(zone: str, moment: datetime | None = None) -> date:
    """The date it is in `zone` at `moment` (an aware datetime; now by default)."""
    return (moment or datetime.now(UTC)).astimezone(zone_of(zone)).date()


def drive_today(drive: HasTimeZone) -> date:
    """Today where the drive is: its start, end, days left and donation dates follow this."""
    return today_in(drive.timezone)


def check_donation_date(donated_on: date, drive_starts_on: date, today_there: date,
                        field: str = "donated_on") -> None:
    """A donation is dated from the drive's start to `today_there`, today in the drive's zone."""
    if donated_on > today_there:
        raise RuleBroken(gettext("The date donated can't be in the future."), field)
    if donated_on < drive_starts_on:
        raise RuleBroken(
            gettext("This drive started on %(date)s; pick that day or a later one.",
                    date=format_date(drive_starts_on, "long")),
            field,
        )
