"""Which donations count: one rule, in SQL and in Python, used for every total."""

import itertools

from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.counting import rule as counting
from donation_drive.drives import lifecycle
from donation_drive.models import Donation, DonationStatus, DonationType, Drive, DriveSettings, LoggedBy
from test_api_public import seed_drive, seed_organiser
from test_journeys import create_drive, invite_path, new_drive_form, report, sign_up
from test_ripple import visible_text


def count_only_confirmed(browser, organiser_page: str) -> None:
    response = browser.submit(organiser_page, {"counting-counts_reported": "confirmed"},
                              action=f"{organiser_page}/counting", prefix="counting")
    assert response.status_code == 302


def test_ripple_on_a_confirmed_only_drive_ignores_reported_donations(browser, client):
    browser.register()
    create_drive(browser)
    inspired = browser.submit("/d/7-for-jack/pass-it-on", new_drive_form(title="Lyon"))
    assert inspired.status_code == 302
    count_only_confirmed(browser, inspired.headers["Location"])
    report(browser, sign_up(browser, invite_path(browser, inspired.headers["Location"]), "Luc"))

    text = visible_text(client.get("/d/7-for-jack").get_data(as_text=True))
    assert "1 drive started because of this one" in text
    assert "they have given 0 units of blood" in text
    assert "0 of 7 units" in visible_text(client.get("/d/lyon").get_data(as_text=True))


def test_a_confirmed_only_drive_shows_a_reporter_with_0_donated_until_confirmed(browser):
    browser.register()
    page = create_drive(browser)
    count_only_confirmed(browser, page)
    report(browser, sign_up(browser, invite_path(browser, page), "Luc"))
    assert "0 of 7 units" in visible_text(browser.get(page).get_data(as_text=True))
    assert "Pledged 1 × whole blood · donated 0 units" in browser.get(f"{page}/people").get_data(as_text=True)


def test_the_sql_rule_and_the_python_rule_pick_the_same_donations(app, db):
    """Every status on a drive that counts reports at once, one that waits, and one with no settings."""
    with app.test_request_context():
        owner = seed_organiser()
        settings = {"at once": True, "confirmed only": False, "no settings row": None}
        drives = {}
        for title, at_once in settings.items():
            drive = seed_drive(owner, title)
            if at_once is not None:
                lifecycle.settings_for(drive).counts_reported = at_once
            drives[title] = drive
        for drive, status in itertools.product(drives.values(), DonationStatus):
            _db.session.add(Donation(drive=drive, units=1, donation_type=DonationType.WHOLE_BLOOD,
                                     donated_on=today(), logged_by=LoggedBy.ORGANISER, status=status))
        _db.session.commit()

        by_sql = set(_db.session.scalars(_db.select(Donation.id).where(counting.counted())))
        by_python = set()
        for donation in _db.session.scalars(_db.select(Donation)):
            row = _db.session.get(DriveSettings, donation.drive_id)
            if counting.counts(donation.status, row is None or row.counts_reported):
                by_python.add(donation.id)
        assert by_sql == by_python
        # What each drive's rule means: rejected never counts; reported only where reports count at once.
        counted = {(d.drive.title, d.status) for d in _db.session.scalars(_db.select(Donation)) if d.id in by_sql}
        assert counted == {
            ("at once", DonationStatus.REPORTED), ("at once", DonationStatus.CONFIRMED),
            ("confirmed only", DonationStatus.CONFIRMED),
            ("no settings row", DonationStatus.REPORTED), ("no settings row", DonationStatus.CONFIRMED),
        }
        assert _db.session.scalar(_db.select(_db.func.count(Drive.id))) == 3
