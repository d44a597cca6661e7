"""Times are shown in the drive's time zone (Drive.timezone, its organiser's choice), summer time
and all: the organiser's activity log reads as the clock on their wall did."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.templating import local_time
from donation_drive.drives import activity
from donation_drive.drives.models import ActivityEntry, Drive


@pytest.mark.parametrize(("moment", "zone", "shown"), [
    # Britain moves its clocks forward at 01:00 UTC on the last Sunday of March.
    (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "Europe/London", "29 Mar 2026 00:30 GMT"),
    (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "Europe/London", "29 Mar 2026 02:30 BST"),
    # …and back at 01:00 UTC on the last Sunday of October.
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "Europe/London", "25 Oct 2026 01:30 BST"),
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "Europe/London", "25 Oct 2026 01:30 GMT"),
    # New York moves forward at 2 a.m. local time on the second Sunday of March (07:00 UTC).
    (datetime(2026, 3, 8, 6, 30, tzinfo=UTC), "America/New_York", "8 Mar 2026 01:30 EST"),
    (datetime(2026, 3, 8, 7, 30, tzinfo=UTC), "America/New_York", "8 Mar 2026 03:30 EDT"),
    # Late evening in New York is already the next day in UTC.
    (datetime(2026, 12, 1, 2, 0, tzinfo=UTC), "America/New_York", "30 Nov 2026 21:00 EST"),
])
def test_a_moment_is_shown_at_the_drive_s_local_time(moment, zone, shown):
    assert local_time(moment, zone) == shown


def test_a_moment_without_its_zone_is_taken_as_utc():
    """SQLite gives back the UTC moment it stored without saying so."""
    assert local_time(datetime(2026, 7, 1, 12, 0), "Europe/London") == "1 Jul 2026 13:00 BST"


def test_no_moment_shows_nothing():
    assert local_time(None, "Europe/London") == ""


def test_a_name_that_is_no_time_zone_shows_utc():
    assert local_time(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), "Mars/Olympus_Mons") == "1 Jul 2026 12:00 UTC"


@pytest.mark.parametrize(("zone", "shown"), [("Europe/London", "29 Mar 2026 02:30 BST"),
                                             ("America/New_York", "28 Mar 2026 21:30 EDT")])
def test_the_activity_log_shows_each_entry_at_the_drive_s_local_time(app, browser, zone, shown):
    with app.app_context():
        sam = factories.organiser()
        jack = factories.drive(sam)
        jack.timezone = zone
        activity.record(jack, "posted an update", sam)
        _db.session.flush()
        _db.session.execute(sa.update(ActivityEntry).values(created_at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC)))
        _db.session.commit()
        slug = _db.session.get(Drive, jack.id).slug
    browser.login()
    page_html = browser.get(f"/drives/{slug}/settings").get_data(as_text=True)
    assert f'<time datetime="2026-03-29T01:30Z">{shown}</time> — <span dir="auto"><bdi>Sam Organiser</bdi> posted an update' in page_html
    assert "UTC" not in page_html
