"""Each drive's days follow its own time zone: today, days left, sign-ups, donation dates, the
worker's closing, reminders and the activity log. The clock stands still (time-machine)."""

import logging
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
import time_machine
from flask_migrate import downgrade, upgrade

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.drives import activity
from donation_drive.drives.lifecycle import close_ended_drives
from donation_drive.models import ActivityEntry, Donation, Drive, DriveStatus, OutboxMessage, User
from donation_drive.outreach import reminders
from test_journeys import new_drive_form, sign_up
from test_organiser import log_units

SYDNEY, HONOLULU, LONDON = "Australia/Sydney", "Pacific/Honolulu", "Europe/London"

#: 23:30 UTC on 1 December: 10:30 on the 2nd in Sydney (summer time there, UTC+11).
SYDNEY_MORNING = datetime(2026, 12, 1, 23, 30, tzinfo=UTC)
#: 05:00 UTC on 2 December: 19:00 on the 1st in Honolulu (UTC-10).
HONOLULU_EVENING = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


def drive_in(zone: str, starts_on: date, ends_on: date, title: str = "7 for Jack") -> Drive:
    """Sam's drive running in `zone` between the two dates (set directly: the form refuses past ends)."""
    owner = _db.session.scalar(sa.select(User).limit(1)) or factories.organiser()
    drive = factories.drive(owner, title)
    drive.timezone, drive.starts_on, drive.ends_on = zone, starts_on, ends_on
    _db.session.commit()
    return drive


def organiser_page(drive: Drive) -> str:
    return f"/drives/{drive.slug}"


# ---- Today where the drive is ------------------------------------------------------------------

@time_machine.travel(SYDNEY_MORNING, tick=False)
def test_in_sydney_at_23_30_utc_it_is_already_tomorrow(browser, db):
    sydney = drive_in(SYDNEY, date(2026, 11, 20), date(2026, 12, 20))
    london = drive_in(LONDON, date(2026, 11, 20), date(2026, 12, 20), "London drive")
    browser.login()
    donations = browser.get(f"{organiser_page(sydney)}/donations").get_data(as_text=True)
    assert 'value="2026-12-02"' in donations, "the log form suggests the Sydney date"
    assert log_units(browser, organiser_page(sydney), units="1", donated_on="2026-12-02").status_code == 302
    refused = log_units(browser, organiser_page(london), units="1", donated_on="2026-12-02")
    assert refused.status_code == 422
    assert "The date donated can&#39;t be in the future." in refused.get_data(as_text=True)
    assert [d.donated_on for d in db.session.scalars(sa.select(Donation))] == [date(2026, 12, 2)]
    # 20 December counted from 2 December, not from London's 1 December.
    assert "18 days left" in browser.get(f"/d/{sydney.slug}").get_data(as_text=True)
    assert "19 days left" in browser.get(f"/d/{london.slug}").get_data(as_text=True)


@time_machine.travel(HONOLULU_EVENING, tick=False)
def test_in_honolulu_the_last_day_is_still_today_when_utc_has_moved_on(browser, db):
    honolulu = drive_in(HONOLULU, date(2026, 11, 20), date(2026, 12, 1))
    invite = f"/join/{honolulu.invite_code}"
    assert close_ended_drives(datetime.now(UTC)) == 0
    db.session.commit()
    assert "last day" in browser.get(f"/d/{honolulu.slug}").get_data(as_text=True)
    sign_up(browser, invite, "Ana")  # still taking sign-ups on its last evening
    browser.login()
    refused = log_units(browser, organiser_page(honolulu), units="1", donated_on="2026-12-02")
    assert refused.status_code == 422, "2 December hasn't begun in Honolulu"
    # Midnight in Honolulu is 10:00 UTC: the worker's next round closes the drive.
    assert close_ended_drives(datetime(2026, 12, 2, 9, 59, tzinfo=UTC)) == 0
    assert close_ended_drives(datetime(2026, 12, 2, 10, 0, tzinfo=UTC)) == 1
    db.session.commit()
    assert db.session.get(Drive, honolulu.id).status is DriveStatus.CLOSED


# ---- Summer time: London's clocks change on the last Sundays of March and October ----------

@pytest.mark.parametrize(("ends_on", "last_open", "first_closed"), [
    # A winter day ends at midnight GMT, which is midnight UTC.
    (date(2026, 3, 28), datetime(2026, 3, 28, 23, 59, tzinfo=UTC), datetime(2026, 3, 29, 0, 0, tzinfo=UTC)),
    # 29 March starts in GMT and ends in BST: it ends at 23:00 UTC, an hour short.
    (date(2026, 3, 29), datetime(2026, 3, 29, 22, 59, tzinfo=UTC), datetime(2026, 3, 29, 23, 0, tzinfo=UTC)),
    (date(2026, 10, 24), datetime(2026, 10, 24, 22, 59, tzinfo=UTC), datetime(2026, 10, 24, 23, 0, tzinfo=UTC)),
    # 25 October starts in BST and ends in GMT: 25 hours long, it ends at midnight UTC.
    (date(2026, 10, 25), datetime(2026, 10, 25, 23, 59, tzinfo=UTC), datetime(2026, 10, 26, 0, 0, tzinfo=UTC)),
])
def test_a_london_drive_closes_at_the_end_of_its_end_date_in_summer_time_and_out(db, ends_on, last_open,
                                                                                   first_closed):
    drive_in(LONDON, date(2026, 3, 1), ends_on)
    assert close_ended_drives(last_open) == 0
    assert close_ended_drives(first_closed) == 1
    assert close_ended_drives(first_closed) == 0


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25 Oct 2026 01:30 BST"),
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25 Oct 2026 01:30 GMT"),  # the same hour, again
])
def test_the_activity_log_follows_the_drive_s_zone_through_the_change_of_clocks(browser, db, moment, shown):
    drive = drive_in(LONDON, date(2026, 10, 1), date(2026, 10, 30))
    activity.record(drive, "posted an update", drive.organisers[0].user)
    db.session.execute(sa.update(ActivityEntry).values(created_at=moment))
    db.session.commit()
    browser.login()
    settings = browser.get(f"{organiser_page(drive)}/settings").get_data(as_text=True)
    assert f"{shown}</time> — <span dir=\"auto\"><bdi>Sam Organiser</bdi> posted an update" in settings


# ---- Reminders: the day before, from 09:00 where the drive is -----------------------------

def reminded(db) -> list[str]:
    return list(db.session.scalars(sa.select(OutboxMessage.key).where(OutboxMessage.kind == "reminder")))


def test_a_reminder_goes_out_the_day_before_from_nine_in_the_drive_s_zone_and_only_once(app, db):
    with time_machine.travel(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), tick=False):
        sydney = drive_in(SYDNEY, date(2026, 11, 20), date(2026, 12, 20))
        london = drive_in(LONDON, date(2026, 11, 20), date(2026, 12, 20), "London drive")
        ana, _ = factories.participant(sydney, "Ana", email="ana@example.org", planned_on=date(2026, 12, 3))
        ben, _ = factories.participant(london, "Ben", email="ben@example.org", planned_on=date(2026, 12, 3))
        db.session.commit()
    # 08:00 on 2 December in Sydney is 21:00 UTC on the 1st; 09:00 there is 22:00 UTC.
    for moment, keys in [
        (datetime(2026, 12, 1, 21, 0, tzinfo=UTC), []),
        (datetime(2026, 12, 1, 22, 0, tzinfo=UTC), [f"reminder:{ana.id}:2026-12-03"]),
        (datetime(2026, 12, 2, 8, 59, tzinfo=UTC), [f"reminder:{ana.id}:2026-12-03"]),  # 08:59 in London
        (datetime(2026, 12, 2, 9, 0, tzinfo=UTC), [f"reminder:{ana.id}:2026-12-03",
                                                   f"reminder:{ben.id}:2026-12-03"]),
        (datetime(2026, 12, 2, 23, 0, tzinfo=UTC), [f"reminder:{ana.id}:2026-12-03",  # a later run: none twice
                                                    f"reminder:{ben.id}:2026-12-03"]),
    ]:
        with time_machine.travel(moment, tick=False):
            reminders.queue_due()
        assert sorted(reminded(db)) == keys, moment


# ---- Choosing the zone, and bad zones ------------------------------------------------------

def test_a_new_drive_suggests_the_region_s_zone_and_takes_the_one_chosen(browser, db):
    factories.organiser()
    db.session.commit()
    browser.login()
    form = browser.get("/drives/new").get_data(as_text=True)
    assert '<option selected value="Europe/London">London</option>' in form
    assert "Dates and reminders follow this time zone." in form
    assert browser.submit("/drives/new", new_drive_form(timezone=SYDNEY)).status_code == 302
    drive = db.session.scalar(sa.select(Drive))
    assert drive.timezone == SYDNEY
    edit = browser.get(f"{organiser_page(drive)}/edit").get_data(as_text=True)
    assert '<option selected value="Australia/Sydney">Sydney</option>' in edit
    assert "(Australia/Sydney time)" in browser.get(f"{organiser_page(drive)}/settings").get_data(as_text=True)


@pytest.mark.parametrize("page", ["/drives/new", "edit"])
def test_a_zone_that_does_not_exist_is_refused_beside_the_field_and_nothing_is_saved(browser, db, unchanged,
                                                                                     page):
    drive = drive_in(LONDON, date.today(), date.today())
    browser.login()
    url = f"{organiser_page(drive)}/edit" if page == "edit" else page
    with unchanged():
        response = browser.submit(url, new_drive_form(timezone="Mars/Olympus_Mons"))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="timezone-error"' in html
    assert "We don&#39;t know the time zone “Mars/Olympus_Mons”. Please choose one from the list." in html


@time_machine.travel(SYDNEY_MORNING, tick=False)
def test_a_drive_whose_stored_zone_is_no_zone_counts_in_utc_and_still_works(browser, db, caplog):
    drive = drive_in("Atlantis/Capital", date(2026, 11, 20), date(2026, 12, 20))
    activity.record(drive, "posted an update", drive.organisers[0].user)
    db.session.commit()
    with caplog.at_level(logging.WARNING, logger="donation_drive.core.rules"):
        assert "19 days left" in browser.get(f"/d/{drive.slug}").get_data(as_text=True)  # from 1 Dec, UTC
        sign_up(browser, f"/join/{drive.invite_code}", "Ana")
        browser.login()
        settings = browser.get(f"{organiser_page(drive)}/settings")
        assert settings.status_code == 200
        assert "1 Dec 2026 23:30 UTC</time>" in settings.get_data(as_text=True)
        edit = browser.get(f"{organiser_page(drive)}/edit").get_data(as_text=True)
        assert '<option selected value="UTC">' in edit, "the form shows the zone the drive counts in"
        refused = log_units(browser, organiser_page(drive), units="1", donated_on="2026-12-02")
        assert refused.status_code == 422, "2 December hasn't begun in UTC"
    assert "Unknown time zone 'Atlantis/Capital'" in caplog.text


# ---- The migration ------------------------------------------------------------------------

def test_drives_from_before_the_upgrade_take_their_region_s_zone(app, db):
    with app.app_context():
        downgrade(revision="57342d7dca27")
        with _db.engine.begin() as connection:
            for slug, region in [("leeds", "england"), ("boston", "us"), ("elsewhere", "mars")]:
                connection.execute(sa.text(
                    "INSERT INTO drive (slug, title, dedication, honoree, story, target_units, starts_on, ends_on, "
                    "place, visibility, status, invite_code, created_at, changed_at, region) VALUES (:slug, 'T', "
                    "'cause', 'H', '', 7, '2026-01-01', '2026-02-01', '', 'public', 'open', :slug, "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00', :region)"), {"slug": slug, "region": region})
        upgrade()
    zones = dict(db.session.execute(sa.select(Drive.slug, Drive.timezone)).all())
    assert zones == {"leeds": LONDON, "boston": "America/New_York", "elsewhere": "UTC"}
