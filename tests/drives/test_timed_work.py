"""What the worker does on its own (donation_drive/worker.py): close drives past their end date,
set up yearly memorials' next rounds. Each is run twice to show it never does anything twice."""

from datetime import UTC, date, datetime, timedelta

import factories
from donation_drive.core.rules import today_in
from donation_drive.drives import anniversaries
from donation_drive.drives.lifecycle import close_ended_drives
from donation_drive.drives.operations import DEFAULT_TIME_ZONE
from donation_drive.models import Drive, DriveStatus, MemorialRound


def today() -> date:
    """Today where the factories' drives are (the default zone): their days follow it."""
    return today_in(DEFAULT_TIME_ZONE)


def moved(drive: Drive, starts_on: date, days: int) -> Drive:
    """A drive made today, moved into the past (the form rightly refuses past end dates)."""
    drive.starts_on, drive.ends_on = starts_on, starts_on + timedelta(days=days)
    return drive


def test_drives_past_their_end_date_are_closed_once_and_others_stay_open(db):
    sam = factories.organiser()
    ended = moved(factories.drive(sam, "Ended"), today() - timedelta(days=40), 30)
    ends_today = moved(factories.drive(sam, "Ends today"), today() - timedelta(days=10), 10)
    running = factories.drive(sam, "Running")
    db.session.commit()
    assert close_ended_drives(datetime.now(UTC)) == 1
    assert close_ended_drives(datetime.now(UTC)) == 0
    db.session.commit()
    assert ended.status is DriveStatus.CLOSED and ended.closed_at is not None
    assert ends_today.status is DriveStatus.OPEN  # its last day is today: friends can still join
    assert running.status is DriveStatus.OPEN


def test_a_yearly_memorial_gets_its_next_round_four_weeks_before_the_anniversary(db):
    sam = factories.organiser()
    first_start = today() - timedelta(days=365 - 27)  # the anniversary is 27 days away
    first = moved(factories.drive(sam, "7 for Jack"), first_start, 14)
    anniversaries.repeat_yearly(first, sam)
    db.session.commit()
    now = datetime.now(UTC)
    assert anniversaries.start_due_rounds(now - timedelta(days=2)) == 0  # 29 days away: not yet
    assert anniversaries.start_due_rounds(now) == 1
    assert anniversaries.start_due_rounds(now) == 0
    db.session.commit()
    rounds = db.session.scalars(db.select(MemorialRound).order_by(MemorialRound.number)).all()
    assert [r.number for r in rounds] == [1, 2]
    second = db.session.get(Drive, rounds[1].drive_id)
    assert second.starts_on == first_start.replace(year=first_start.year + 1)
    assert second.title.startswith("7 for Jack — ")


def test_a_memorial_that_stopped_repeating_gets_no_new_round(db):
    sam = factories.organiser()
    first = moved(factories.drive(sam, "7 for Jack"), today() - timedelta(days=360), 14)
    anniversaries.repeat_yearly(first, sam)
    anniversaries.stop_repeating(first, sam)
    db.session.commit()
    assert anniversaries.start_due_rounds(datetime.now(UTC)) == 0
