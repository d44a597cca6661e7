"""A slip of the finger never shows publicly: units capped per donation, and a second look
at a second report too soon or at units far beyond the target, before anything counts."""

import re
from html import unescape

from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.models import Donation, Drive, Participant
from donation_drive.outreach import reminders
from test_api_organiser import bearer, donation_count, post_json, token_for
from test_journeys import create_drive, invite_path, sign_up

INPUT = re.compile(r"<input [^>]*>")
ATTRIBUTE = re.compile(r'(name|value)="([^"]*)"')


def report_form(units: int = 1, donation_type: str = "whole_blood", prefix: str = "report-") -> dict:
    return {f"{prefix}units": str(units), f"{prefix}donated_on": today().isoformat(),
            f"{prefix}donation_type": donation_type}


def answer_yes(browser, page_html: str, action: str):
    """Press "Yes" on the second look: post back the hidden fields it carries."""
    form = page_html[page_html.index('class="second-look"'):]
    form = form[:form.index("</form>")]
    fields = [dict(ATTRIBUTE.findall(tag)) for tag in INPUT.findall(form)]
    return browser.client.post(action, data={field["name"]: unescape(field["value"]) for field in fields})


def friend(browser) -> str:
    browser.register()
    page = create_drive(browser)
    return sign_up(browser, invite_path(browser, page), "Ana")


def test_a_report_of_10_whole_blood_units_is_refused_beside_the_field(browser, unchanged):
    link = friend(browser)
    with unchanged():
        response = browser.submit(link, report_form(10), action=f"{link}/donations", prefix="report")
    assert response.status_code == 422
    assert "One whole blood donation counts as at most 1 unit." in unescape(response.get_data(as_text=True))


def test_a_power_red_donation_counts_as_two_units(browser, db):
    link = friend(browser)
    db.session.execute(db.update(Drive).values(region="us"))  # the American Red Cross takes Power Red
    db.session.commit()
    response = browser.submit(link, report_form(2, "double_red_cells"), action=f"{link}/donations", prefix="report")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Donation.units)) == 2


def test_a_second_report_the_same_day_asks_first_and_counts_when_confirmed(browser, client, db, unchanged):
    link = friend(browser)
    assert browser.submit(link, report_form(), action=f"{link}/donations", prefix="report").status_code == 302
    with unchanged():
        asked = browser.submit(link, report_form(), action=f"{link}/donations", prefix="report")
    html = unescape(asked.get_data(as_text=True))
    assert asked.status_code == 200
    assert f"Is this another donation? Your last one was on {today().day} {today():%B %Y}" in html
    assert "Yes, count it" in html and "No, it's the same one" in html
    assert f'href="{link}"' in html, "'No' goes back to the private page, saving nothing"
    assert "1 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)

    assert answer_yes(browser, html, f"{link}/donations").status_code == 302
    assert donation_count(db) == 2


def test_the_report_page_from_an_email_caps_units_and_asks_about_a_second_report(app, browser, db, unchanged):
    friend(browser)
    with app.test_request_context():
        report_path = reminders.report_link(_db.session.scalar(_db.select(Participant))).removeprefix("http://drive.test")
        _db.session.remove()
    with unchanged():
        capped = browser.submit(report_path, report_form(3, prefix=""))
    assert capped.status_code == 422 and "counts as at most 1 unit" in capped.get_data(as_text=True)
    assert browser.submit(report_path, report_form(prefix="")).status_code == 302
    with unchanged():
        asked = browser.submit(report_path, report_form(prefix=""))
    assert asked.status_code == 200 and "Is this another donation?" in asked.get_data(as_text=True)
    assert answer_yes(browser, unescape(asked.get_data(as_text=True)), report_path).status_code == 302
    assert donation_count(db) == 2


def log_form(units: int) -> dict:
    return {"participant_id": "0", "units": str(units), "donation_type": "whole_blood",
            "donated_on": today().isoformat()}


def test_organiser_logging_1000_against_7_takes_a_second_look_first(browser, client, db, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        asked = browser.submit(page, log_form(1000), action=f"{page}/donations")
    html = unescape(asked.get_data(as_text=True))
    assert asked.status_code == 200
    assert "1,000 units is far more than the 7 units left of this drive's target of 7. Is that right?" in html
    assert "Yes, log 1,000 units" in html and "No, change it" in html
    assert answer_yes(browser, html, f"{page}/donations").status_code == 302
    assert "1000 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_organiser_logging_a_little_past_the_target_counts_at_once(browser, db):
    browser.register()
    page = create_drive(browser)
    assert browser.submit(page, log_form(9), action=f"{page}/donations").status_code == 302
    assert db.session.scalar(db.select(Donation.units)) == 9


def test_the_api_refuses_units_far_beyond_the_target_unless_confirmed(app, browser, client, db, unchanged):
    browser.register()
    create_drive(browser)
    secret = token_for(app, 1)
    body = {"units": 1000, "donation_type": "whole_blood", "donated_on": today().isoformat()}
    with unchanged():
        refused = post_json(client, "/api/v1/drives/7-for-jack/donations", body, secret)
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert "far more than the 7 units left" in error["message"] and "confirm" in error["fields"]
    assert post_json(client, "/api/v1/drives/7-for-jack/donations", {**body, "confirm": True}, secret).status_code == 201
    assert client.get("/api/v1/drives/7-for-jack", headers=bearer(secret)).get_json()["units_donated"] == 1000


def test_the_api_caps_one_participants_units_by_donation_type(app, browser, client, unchanged):
    friend(browser)
    secret = token_for(app, 1)
    body = {"units": 3, "donation_type": "whole_blood", "donated_on": today().isoformat(), "participant_id": 1}
    with unchanged():
        refused = post_json(client, "/api/v1/drives/7-for-jack/donations", body, secret)
    assert refused.status_code == 422 and "units" in refused.get_json()["error"]["fields"]
    assert post_json(client, "/api/v1/drives/7-for-jack/donations", {**body, "units": 3, "donation_type": "platelets"},
                     secret).status_code == 201
