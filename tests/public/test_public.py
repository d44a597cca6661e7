"""The progress page, the home page and the JSON: what anyone with the link sees."""

import re
import secrets
from html import unescape

import pytest
from sqlalchemy import insert

from donation_drive.core.extensions import db as _db
from donation_drive.models import DonationType, Participant
from test_api_public import seed_drive, seed_organiser
from test_journeys import create_drive, invite_path, sign_up
from test_organiser import log_units


@pytest.fixture
def drive_page(browser):
    browser.register()
    return create_drive(browser)


def test_progress_page_shows_the_drive(client, drive_page):
    response = client.get("/d/7-for-jack")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "In memory of" in page and "Jack" in page
    assert "<h1><bdi>7 for Jack</bdi></h1>" in page
    assert "Seven bags for the seven used." in page
    # Seven drops for a target of seven, none filled yet: the board, not a bar.
    assert page.count('<li class="board__mark" aria-hidden="true">') == 7 and "<progress" not in page
    assert "0 of 7 units" in page
    assert "30 days left" in page
    assert "Join this drive" in page


def test_a_new_drive_shows_no_discouraging_zeros(client, drive_page):
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "0 of 7 units" in page  # the count itself stays: it is the drive's one number
    for zero in ("0 people booked", "0 units pledged", "0 units donated"):
        assert zero not in page


def test_only_the_stages_that_have_someone_are_shown(browser, client, drive_page):
    sign_up(browser, invite_path(browser, drive_page), "Amira")
    page = unescape(client.get("/d/7-for-jack").get_data(as_text=True))
    assert "<strong>1</strong> unit pledged" in page
    assert "booked" not in page.split('data-live-part="stages"', 1)[1].split("</div>", 1)[0]


def test_over_target_is_celebrated_not_capped(browser, client, drive_page):
    log_units(browser, drive_page, units="9")
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "9 of 7 units" in page and "target exceeded" in page
    assert page.count("board__mark--beyond") == 2  # nine drops: two past the target
    assert "128%" not in page  # a percentage of seven says less than the drops do
    assert client.get("/api/drives/7-for-jack").get_json()["percent"] == 128


def test_unlisted_drive_has_a_page_but_is_not_listed(browser, client):
    browser.register()
    create_drive(browser, title="Quiet drive", visibility="unlisted")
    create_drive(browser, title="Loud drive", visibility="public")
    home = client.get("/").get_data(as_text=True)
    assert "Loud drive" in home
    assert "Quiet drive" not in home
    assert client.get("/d/quiet-drive").status_code == 200


def test_unknown_drive_is_a_friendly_404(client):
    response = client.get("/d/no-such-drive")
    assert response.status_code == 404
    assert "no drive at this address" in response.get_data(as_text=True)
    assert client.get("/api/drives/no-such-drive").status_code == 404
    assert client.get("/api/drives/no-such-drive").get_json()["error"]["code"] == 404


def test_json_has_the_promised_fields_and_agrees_with_the_page(browser, client, drive_page):
    invite = invite_path(browser, drive_page)
    sign_up(browser, invite, "Amira", units="2")
    log_units(browser, drive_page, units="3")
    data = client.get("/api/drives/7-for-jack").get_json()
    assert data == data | {
        "slug": "7-for-jack",
        "title": "7 for Jack",
        "dedication": "in_memory",
        "honoree": "Jack",
        "target_units": 7,
        "units_donated": 3,
        "units_pledged": 2,
        "participant_count": 1,
        "percent": 42,
        "status": "open",
        "url": "http://drive.test/d/7-for-jack",
    }
    assert {"starts_on", "ends_on"} <= data.keys()
    assert "3 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_public_pages_and_json_never_show_emails_or_secrets(browser, client, drive_page, app):
    invite = invite_path(browser, drive_page)
    private = sign_up(browser, invite, "Amira Haddad", email="amira@example.org", show_name="y")
    token = private.rsplit("/", 1)[1]
    with app.app_context():
        private_hash = _db.session.scalar(_db.select(Participant.private_link_hash))
    browser.logout()
    for path in ("/", "/d/7-for-jack", "/api/drives/7-for-jack", "/d/7-for-jack/drive.ics"):
        text = client.get(path).get_data(as_text=True)
        for secret in ("amira@example.org", "sam@example.org", token, private_hash, "Haddad"):
            assert secret not in text, f"{path} shows {secret}"


def test_drive_calendar_file(client, drive_page):
    response = client.get("/d/7-for-jack/drive.ics")
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.data and b"SUMMARY:7 for Jack" in response.data


def seed_crowd(app, shown: int, anonymous: int) -> None:
    """"7 for Jack" with `anonymous` friends not named here, then `shown` who agreed."""
    with app.test_request_context():
        drive = seed_drive(seed_organiser())
        _db.session.flush()
        salt = secrets.token_hex(4)
        kinds = [False] * anonymous + [True] * shown
        if kinds:
            _db.session.execute(insert(Participant), [
                {"drive_id": drive.id, "name": f"Friend{n:03d} Surname", "show_name": named, "units_pledged": 1,
                 "donation_type": DonationType.WHOLE_BLOOD, "private_link_hash": f"{salt}{n:056d}"}
                for n, named in enumerate(kinds)
            ])
        _db.session.commit()
        _db.session.remove()


def who_took_part(html: str) -> tuple[int, str | None]:
    """How many names "Who took part" lists, and the sentence under them (None: no sentence)."""
    section = html.split('id="people-heading"', 1)[1].split("</section>", 1)[0]
    sentence = re.search(r"<p data-live-others>(.*?)</p>", section)
    return len(re.findall(r"<li>", section)), unescape(sentence.group(1)) if sentence else None


@pytest.mark.parametrize(("shown", "anonymous", "listed", "sentence"), [
    (0, 0, 0, "Nobody has signed up yet."),
    (3, 0, 3, None),
    (3, 1, 3, "and 1 person not named here."),
    (3, 2, 3, "and 2 people not named here."),
    (0, 1, 0, "1 person not named here."),
    (0, 2, 0, "2 people not named here."),
    (100, 0, 100, None),
    (101, 0, 100, "and 1 more."),
    (101, 1, 100, "and 1 more, plus 1 person not named here."),
    (150, 0, 100, "and 50 more."),
    (150, 2, 100, "and 50 more, plus 2 people not named here."),
])
def test_who_took_part_counts_the_unlisted_apart_from_the_anonymous(app, client, shown, anonymous, listed, sentence):
    seed_crowd(app, shown, anonymous)
    assert who_took_part(client.get("/d/7-for-jack").get_data(as_text=True)) == (listed, sentence)
    # The live parts the open page swaps in say the same.
    assert who_took_part(client.get("/d/7-for-jack/live").get_data(as_text=True)) == (listed, sentence)
