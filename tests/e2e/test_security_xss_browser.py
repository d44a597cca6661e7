"""In a real browser (Chromium), no XSS payload entered by a user ever runs, on any page showing it."""

import sys
from datetime import timedelta
from pathlib import Path

from donation_drive.accounts import operations as accounts
from donation_drive.core.extensions import db
from donation_drive.core.rules import today
from donation_drive.donations import operations as donations
from donation_drive.drives import operations as drives
from donation_drive.models import Dedication, DonationType, NameShownAs, Visibility
from donation_drive.participation import operations as participation
from donation_drive.participation.operations import Pledge

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from xss_payloads import PAYLOADS  # tests/ holds the payloads shared with the HTTP suite

PASSWORD = "a long enough password"


def _seed_payloads(app) -> tuple[str, str, str]:
    """A drive whose every text is a payload, with a participant named by payloads; returns
    (slug, invite code, private-link token)."""
    with app.app_context():
        owner = accounts.register(PAYLOADS[0], "xss@example.org", PASSWORD)
        accounts.confirm_email(owner)
        drive = drives.create_drive(owner, drives.DriveDetails(
            title=f"Drive {PAYLOADS[1]}"[:120], dedication=Dedication.IN_MEMORY, honoree=PAYLOADS[2],
            story="\n\n".join(PAYLOADS), target_units=7, starts_on=today(),
            ends_on=today() + timedelta(days=30), place=PAYLOADS[3][:120], visibility=Visibility.PUBLIC,
        ))
        token = ""
        for payload in PAYLOADS:
            participant, secret = participation.sign_up(
                drive, payload[:80], None,
                Pledge(1, DonationType.WHOLE_BLOOD, None, True, NameShownAs.FULL_NAME),
            )
            token = token or secret
            donations.report_donation(participant, 1, DonationType.WHOLE_BLOOD, today())
        db.session.commit()
        return drive.slug, drive.invite_code, token


def test_no_payload_runs_in_chromium(live_server, new_context):
    slug, code, token = _seed_payloads(live_server.app)
    context = new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    base = live_server.url
    urls = [f"/d/{slug}", f"/join/{code}", f"/p/{token}", f"/p/{token}/welcome", f"/d/{slug}/embed", "/"]
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("load")
        assert page.locator("body").count() == 1
    # The organiser's pages show every text too.
    page.goto(base + "/auth/login")
    page.fill("#email", "xss@example.org")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    organiser_pages = [f"/drives/{slug}/{tab}" for tab in ("donations", "people", "updates", "settings", "advanced")]
    for url in ("/drives/", f"/drives/{slug}", *organiser_pages, f"/drives/{slug}/edit"):
        page.goto(base + url)
        page.wait_for_load_state("load")
    assert dialogs == [], f"a payload ran: {dialogs}"
    # The payloads are there as text, so the test did look at them.
    page.goto(base + f"/d/{slug}")
    assert PAYLOADS[0] in page.inner_text("body")
