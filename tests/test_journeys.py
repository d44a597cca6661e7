"""Journeys 1–4 and the heart of 5 through the HTTP interface, as PRODUCT.md tells them."""

import re
from datetime import date, timedelta

from donation_drive.core.rules import today
from donation_drive.models import Participant


def new_drive_form(**overrides) -> dict:
    start = today()
    form = {
        "title": "7 for Jack",
        "dedication": "in_memory",
        "honoree": "Jack",
        "story": "Seven bags for the seven used.",
        "target_units": "7",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=30)).isoformat(),
        "place": "Leeds",
        "visibility": "public",
    }
    form.update(overrides)
    return form


def create_drive(browser, **overrides) -> str:
    """Register (if needed) and create a drive; return its organiser page path."""
    response = browser.submit("/drives/new", new_drive_form(**overrides))
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def invite_path(browser, organiser_path: str) -> str:
    html = browser.get(organiser_path).get_data(as_text=True)
    match = re.search(r'href="https?://drive\.test(/join/[\w-]+)"', html)
    assert match, "no invite link on the organiser page"
    return match.group(1)


def sign_up(browser, invite: str, name: str, **overrides) -> str:
    form = {"name": name, "email": "", "units": "1", "donation_type": "whole_blood", "planned_on": ""}
    form.update(overrides)
    response = browser.submit(invite, form)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].replace("/welcome", "")


def report(browser, private_path: str, units: int = 1, donated_on: date | None = None,
           donation_type: str = "whole_blood", another: bool = False):
    """Report a donation; `another` answers "yes, count it" to "is this another donation?"."""
    return browser.submit(
        private_path,
        {
            "report-units": str(units),
            "report-donated_on": (donated_on or today()).isoformat(),
            "report-donation_type": donation_type,
            **({"report-confirmed": "yes"} if another else {}),
        },
        action=f"{private_path}/donations",
        prefix="report",
    )


def test_organiser_creates_7_for_jack_and_lands_on_its_organiser_page(browser):
    browser.register()
    location = create_drive(browser)
    assert location == "/drives/7-for-jack"
    page = browser.get(location).get_data(as_text=True)
    assert "http://drive.test/join/" in page
    assert "http://drive.test/d/7-for-jack" in page
    assert "0 of 7 units" in page


def test_seven_friends_and_the_organiser_reach_7_of_7(browser, client, db):
    browser.register()
    organiser_page = create_drive(browser)
    invite = invite_path(browser, organiser_page)
    browser.logout()

    private_links = [sign_up(browser, invite, f"Friend {n}", show_name="y") for n in range(7)]
    for link in private_links[:5]:
        assert report(browser, link).status_code == 302

    browser.login()
    logged = browser.submit(
        organiser_page,
        {"participant_id": "0", "units": "2", "donation_type": "whole_blood",
         "donated_on": today().isoformat()},
        action=f"{organiser_page}/donations",
    )
    assert logged.status_code == 302

    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "7 of 7 units" in page
    assert "target reached" in page
    assert "Friend" in page
    data = client.get("/api/drives/7-for-jack").get_json()
    assert data["units_donated"] == 7
    assert data["target_units"] == 7
    assert data["participant_count"] == 7
    assert data["percent"] == 100
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 7
