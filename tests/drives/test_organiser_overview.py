"""The organiser's home for a drive: the count, sharing the invite, and what is waiting; the rest a tab away.

Also checking donations on a phone: every report a card with its own buttons, and "confirm all"
leaving alone what looks like one donation reported twice.
"""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest

import factories
from donation_drive.core.rules import today
from donation_drive.drives import closing
from donation_drive.models import Donation, DonationStatus, DonationType, Drive
from test_journeys import create_drive, invite_path, report, sign_up

TABS = ("donations", "people", "updates", "settings", "advanced")


@pytest.fixture
def sam(browser, db):
    """Sam, logged in, with "7 for Jack" just created: the organiser page they landed on."""
    factories.organiser()
    db.session.commit()
    assert browser.login().status_code == 302
    return create_drive(browser)


def overview(browser, page: str) -> str:
    return browser.get(page).get_data(as_text=True)


def to_do(html: str) -> str:
    return html[html.index('id="to-do"'):html.index("</section>", html.index('id="to-do"'))]


def test_the_overview_leads_with_the_count_the_invite_and_the_tabs(browser, sam):
    html = overview(browser, sam)
    assert "0 of 7 units" in html
    assert html.index("0 of 7 units") < html.index(">Share the invite</h2>") < html.index(">To do</h2>")
    invite = "http://drive.test" + invite_path(browser, sam)
    assert f'<a class="invite-message__link" href="{invite}">{invite}</a>' in html
    for tab in TABS:
        assert f'href="{sam}/{tab}"' in html
    assert 'aria-current="page">Overview</a>' in html
    for moved in ("Log donated units", "Participants", "Show the drive on another site", "Every year",
                  "Organisers", "Blood service", "Activity", "Cover photo", "Close the drive"):
        assert f">{moved}</h2>" not in html, f"{moved} belongs on its own page"


def test_the_invite_goes_out_by_whatsapp_or_email_with_a_ready_message(browser, sam):
    html = overview(browser, sam)
    invite = "http://drive.test" + invite_path(browser, sam)
    # The name and title are isolated (U+2068 … U+2069), so each keeps its direction in any language.
    message = ("Will you give blood for \u2068Jack\u2069? Join “\u20687 for Jack\u2069”, a blood-donation drive "
               "in memory of \u2068Jack\u2069:")
    assert message in html
    whatsapp = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', html).group(1)
    assert unquote(whatsapp.removeprefix("https://wa.me/?text=")) == f"{message} {invite}"
    mailto = re.search(r'href="(mailto:\?[^"]+)"', html).group(1)
    assert invite in unquote(mailto)
    # The phone's share sheet and the copy button come from share.js, where the browser has them.
    assert f'data-share-url="{invite}"' in html
    assert "data-web-share hidden" in html and "data-copy-link hidden" in html
    assert '<script src="/static/js/share.js" defer></script>' in html
    assert "<script>" not in html and "style=" not in html


def test_a_closed_drive_offers_no_invite_to_share(browser, sam):
    browser.submit(sam, {}, action=f"{sam}/close")
    html = overview(browser, sam)
    assert "its invite link no longer lets anyone join" in html
    assert "wa.me" not in html
    assert "http://drive.test/d/7-for-jack" in html


def test_each_part_of_the_drive_is_a_tab_away(browser, sam):
    shown = {
        "donations": ("Log donated units", "How reported donations count", "No reported donations are waiting"),
        "people": ("Participants", "Invite friends by email", "Going together"),
        "updates": ("Post the update",),
        "settings": ("Edit drive", "Cover photo", "Close the drive", "Dates and deletion", "Activity"),
        "advanced": ("QR codes and poster", "Show the drive on another site", "Make a new invite link",
                     "Is this working?", "Every year", "Organisers", "Blood service", 'href="/account/tokens"'),
    }
    for tab, parts in shown.items():
        response = browser.get(f"{sam}/{tab}")
        assert response.status_code == 200, tab
        html = response.get_data(as_text=True)
        assert f'aria-current="page">{tab.capitalize()}</a>' in html
        for part in parts:
            assert part in html, f"{part} is not on {tab}"


def test_the_to_do_list_says_what_is_waiting_and_links_to_where_it_is_done(browser, sam, db):
    assert "Nobody has signed up yet: share the invite" in to_do(overview(browser, sam))

    invite = invite_path(browser, sam)
    browser.logout()
    friends = [sign_up(browser, invite, name) for name in ("Alex", "Bea")]
    for friend in friends:
        report(browser, friend)
    browser.login()
    drive = db.session.scalar(db.select(Drive))
    factories.invitation(drive, drive.organisers[0].user, "cleo@example.org")
    db.session.commit()

    waiting = to_do(overview(browser, sam))
    assert f'href="{sam}/donations#donations">2 donations to check</a>' in waiting
    assert 'href="/drives/7-for-jack/invitations">1 invitation not opened yet</a>' in waiting
    assert "share the invite" not in waiting
    assert "thank-you" not in waiting


def test_reaching_the_target_asks_for_a_thank_you_until_one_is_posted(browser, sam):
    browser.submit(f"{sam}/donations", {"participant_id": "0", "units": "7", "donation_type": "whole_blood",
                                        "donated_on": today().isoformat()}, action=f"{sam}/donations")
    waiting = to_do(overview(browser, sam))
    assert f'href="{sam}/updates#updates">Post a thank-you: the target is reached</a>' in waiting

    browser.submit(f"{sam}/updates", {"update-body": "Thank you, everyone."}, action=f"{sam}/updates", prefix="update")
    assert "thank-you" not in to_do(overview(browser, sam))


def test_an_open_drive_past_its_end_date_asks_to_be_closed_or_extended(browser, sam, db):
    drive = db.session.scalar(db.select(Drive))
    drive.starts_on, drive.ends_on = today() - timedelta(days=8), today() - timedelta(days=1)
    db.session.commit()
    waiting = to_do(overview(browser, sam))
    assert f'href="{sam}/settings#status">The end date has passed: close the drive, or give it more time</a>' in waiting


@pytest.mark.parametrize(("action", "data", "prefix", "lands_on"), [
    ("updates", {"update-body": "Three of us booked."}, "update", "/updates#updates"),
    ("counting", {"counting-counts_reported": "confirmed"}, "counting", "/donations#counting"),
    ("anniversary", {}, "", "/advanced#anniversary"),
    ("close", {}, "", ""),
    ("invite-link", {}, "", "#invite"),
])
def test_forms_post_where_they_did_and_lead_back_to_the_page_they_are_on(browser, sam, action, data, prefix,
                                                                          lands_on):
    response = browser.submit(sam, data, action=f"{sam}/{action}", prefix=prefix)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{sam}{lands_on}"


def test_logging_units_happens_on_the_donations_page_and_errors_are_shown_there(browser, sam):
    refused = browser.submit(f"{sam}/donations", {"participant_id": "0", "units": "0", "donation_type": "whole_blood",
                                                  "donated_on": today().isoformat()}, action=f"{sam}/donations")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert 'aria-current="page">Donations</a>' in html and "from 1 to 1000" in html
    logged = browser.submit(f"{sam}/donations", {"participant_id": "0", "units": "2", "donation_type": "whole_blood",
                                                 "donated_on": today().isoformat()}, action=f"{sam}/donations")
    assert logged.headers["Location"] == f"{sam}/donations"
    page = browser.get(logged.headers["Location"]).get_data(as_text=True)
    assert "Logged 2 units." in page and "2 of 7 units" in page


# ---- Checking donations -----------------------------------------------------------------


@pytest.fixture
def reports(app, db, browser):
    """Ann reported twice within two days (one donation, reported twice, is the likelier story);
    Ben and Cy once each. Sam is logged in; the drive's organiser page path is returned."""
    sam = factories.organiser()
    jack = factories.drive(sam)
    ann, _ = factories.participant(jack, "Ann Able")
    ben, _ = factories.participant(jack, "Ben Baker")
    cy, _ = factories.participant(jack, "Cy Cole")
    factories.reported_donation(ann, donated_on=today() - timedelta(days=2))
    factories.reported_donation(ben)
    factories.reported_donation(ann, donated_on=today() - timedelta(days=1))
    factories.reported_donation(cy, kind=DonationType.PLATELETS)
    db.session.commit()
    assert browser.login().status_code == 302
    return f"/drives/{jack.slug}"


def card_of(html: str, text: str) -> str:
    """The donation card (one list item) that holds `text`."""
    cards = re.findall(r'<li class="item[^"]*">.*?</li>', html, re.DOTALL)
    [card] = [card for card in cards if text in card]
    return card


def test_each_report_is_a_card_with_its_buttons_and_a_repeat_is_marked(browser, reports):
    html = browser.get(f"{reports}/donations").get_data(as_text=True)
    assert "<table" not in html
    assert "4 reported donations are waiting for a decision. 1 looks like a donation reported twice" in html
    cy = card_of(html, "Cy Cole")
    assert "1 unit · Platelets ·" in cy and ">Reported</span>" in cy
    assert ">Confirm</button>" in cy and ">Reject</button>" in cy
    repeat = card_of(html, "Maybe reported twice")
    assert "Ann Able" in repeat and "item--doubt" in repeat
    assert (today() - timedelta(days=1)).strftime("%-d %b %Y") in repeat
    assert "Confirm 3, leave 1 to check" in html
    assert "Confirm all reported" not in html


def test_confirm_all_leaves_the_suspected_repeat_and_says_so(browser, reports, db):
    response = browser.submit(f"{reports}/donations", {}, action=f"{reports}/donations/confirm-all")
    assert response.headers["Location"] == f"{reports}/donations#donations"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert ("3 reported donations confirmed. 1 report looks like a donation reported twice, so it waits for you: "
            "check it below.") in page
    statuses = db.session.scalars(db.select(Donation.status).order_by(Donation.id)).all()
    assert statuses == [DonationStatus.CONFIRMED, DonationStatus.CONFIRMED, DonationStatus.REPORTED,
                        DonationStatus.CONFIRMED]
    db.session.rollback()
    assert "confirmed 3 reported donations at once" in browser.get(f"{reports}/settings").get_data(as_text=True)

    again = browser.submit(f"{reports}/donations", {}, action=f"{reports}/donations/confirm-all")
    assert "Nothing confirmed. 1 report looks like a donation reported twice" in \
        browser.get(again.headers["Location"]).get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(Donation.status).where(Donation.id == 3)) is DonationStatus.REPORTED


def test_a_repeat_once_its_twin_is_rejected_is_a_report_like_any_other(browser, reports, db):
    first = db.session.scalar(db.select(Donation.id).order_by(Donation.id))
    db.session.rollback()
    browser.submit(f"{reports}/donations", {}, action=f"{reports}/donations/{first}/reject")
    html = browser.get(f"{reports}/donations").get_data(as_text=True)
    assert "Maybe reported twice" not in html
    assert "Confirm all reported" in html


def test_reject_all_still_rejects_every_report(browser, reports, db):
    browser.submit(f"{reports}/donations", {}, action=f"{reports}/donations/reject-all")
    assert set(db.session.scalars(db.select(Donation.status))) == {DonationStatus.REJECTED}


def test_a_drive_closed_without_a_closing_message_asks_for_one(browser, sam, db):
    drive = db.session.scalar(db.select(Drive))
    closing.close_drive(drive, drive.organisers[0].user, "")
    db.session.commit()
    waiting = to_do(overview(browser, sam))
    assert f'href="{sam}/close">Write a closing message for the memorial</a>' in waiting

    closing.set_closing_message(drive, drive.organisers[0].user, "Thank you, all of you.")
    db.session.commit()
    assert "closing message" not in to_do(overview(browser, sam))
