"""Organisers feed units in through the API with a personal token; everyone else is refused."""

import json
import re
from datetime import timedelta

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.drives import closing, operations as drives
from donation_drive.models import ApiToken, Donation, DonationStatus, User
from test_api_public import PASSWORD, seed_jack

TOKEN_IN_PAGE = re.compile(r'value="(dd_[\w-]+)"')


def token_for(app, user_id: int, name: str = "Script") -> str:
    """The secret of a new API token of the organiser with id `user_id`."""
    with app.app_context():
        _token, secret = factories.api_token(_db.session.get(User, user_id), name)
        _db.session.commit()
    return secret


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def post_json(client, path: str, body, secret: str | None, **kwargs):
    headers = bearer(secret) if secret else {}
    return client.post(path, data=json.dumps(body), headers=headers, content_type="application/json", **kwargs)


def donation_count(db) -> int:
    return db.session.scalar(db.select(db.func.count(Donation.id)))


@pytest.fixture
def jack(app) -> dict:
    found = seed_jack(app)
    found["token"] = token_for(app, found["owner_id"])
    return found


GOOD = {"units": 7, "donation_type": "whole_blood", "donated_on": today().isoformat()}


# --- The account page ---


def test_organiser_creates_a_token_sees_it_once_and_only_its_hash_is_stored(app, browser, db):
    with app.app_context():
        factories.organiser()
        _db.session.commit()
    browser.login(password=PASSWORD)
    page = browser.submit("/account/tokens", {"name": "Blood service feed"})
    assert page.status_code == 201
    assert page.headers["Cache-Control"] == "no-store"
    secret = TOKEN_IN_PAGE.search(page.get_data(as_text=True)).group(1)
    again = browser.get("/account/tokens").get_data(as_text=True)
    assert "Blood service feed" in again and secret not in again
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.token_hash != secret and secret not in (stored.prefix + stored.token_hash)
    assert browser.client.get("/api/v1/me/drives", headers=bearer(secret)).status_code == 200


def test_a_token_needs_a_name(app, browser, db):
    with app.app_context():
        factories.organiser()
        _db.session.commit()
    browser.login(password=PASSWORD)
    page = browser.submit("/account/tokens", {"name": "  "})
    assert page.status_code == 422
    assert "Please give the token a name." in page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_revoked_token_stops_working(app, browser, client, jack, db):
    browser.login(password=PASSWORD)
    token_id = db.session.scalar(db.select(ApiToken.id))
    response = browser.submit("/account/tokens", {}, action=f"/account/tokens/{token_id}/revoke")
    assert response.status_code == 302
    refused = client.get("/api/v1/me/drives", headers=bearer(jack["token"]))
    assert refused.status_code == 401 and refused.get_json()["error"]["reason"] == "token_invalid"


def test_nobody_revokes_another_organisers_token(app, browser, jack, db):
    with app.app_context():
        factories.organiser("Eve", "eve@example.org")
        _db.session.commit()
    browser.login(email="eve@example.org", password=PASSWORD)
    token_id = db.session.scalar(db.select(ApiToken.id))
    response = browser.submit("/account/tokens", {}, action=f"/account/tokens/{token_id}/revoke")
    assert response.status_code == 404
    assert db.session.get(ApiToken, token_id).revoked_at is None


def test_the_token_page_is_for_logged_in_organisers(client):
    assert client.get("/account/tokens").status_code == 302


# --- Authentication ---


@pytest.mark.parametrize("header, code", [
    (None, "token_missing"),
    ("Basic c2FtOnB3", "token_malformed"),
    ("Bearer", "token_malformed"),
    ("Bearer dd_not-a-real-token", "token_invalid"),
    ("Bearer not-even-our-format", "token_invalid"),
])
def test_missing_or_bad_tokens_get_401(client, jack, header, code):
    response = client.get("/api/v1/me/drives", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.get_json()["error"]["reason"] == code
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_logged_in_browser_without_a_token_is_refused(browser, jack, db):
    browser.login(password=PASSWORD)
    response = browser.client.post("/api/v1/drives/7-for-jack/donations", json=GOOD)
    assert response.status_code == 401
    assert donation_count(db) == 1


@pytest.mark.parametrize("data, content_type", [
    ('{"units": "seven"}', "application/json"), ("{not json", "application/json"), ("units=7", "text/plain"),
])
def test_without_a_token_a_body_is_not_even_read(client, jack, db, data, content_type):
    response = client.post("/api/v1/drives/7-for-jack/donations", data=data, content_type=content_type)
    assert response.status_code == 401
    assert response.get_json()["error"]["reason"] == "token_missing"
    assert donation_count(db) == 1


def test_my_drives_lists_only_mine(app, client, jack):
    with app.app_context():
        factories.drive(factories.organiser("Eve", "eve@example.org"), "Eve's drive")
        _db.session.commit()
    response = client.get("/api/v1/me/drives", headers=bearer(jack["token"]))
    assert [drive["slug"] for drive in response.get_json()["drives"]] == ["7-for-jack"]
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "@" not in response.get_data(as_text=True)


# --- Logging donations ---


def test_organiser_logs_units_by_api_without_a_csrf_token(client, jack, db):
    response = post_json(client, "/api/v1/drives/7-for-jack/donations", GOOD, jack["token"])
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["donation"]["units"] == 7 and body["donation"]["status"] == "confirmed"
    assert body["progress"]["summary"] == "8 of 7 units — target exceeded"
    assert client.get("/api/drives/7-for-jack").get_json()["units_donated"] == 8


def test_units_can_be_logged_for_one_participant(client, jack, db):
    body = {**GOOD, "units": 1, "participant_id": jack["amira_id"]}
    response = post_json(client, "/api/v1/drives/7-for-jack/donations", body, jack["token"])
    assert response.status_code == 201
    assert response.get_json()["donation"]["participant"] == {"id": jack["amira_id"], "name": "Amira Haddad"}


@pytest.mark.parametrize("body, field", [
    ({**GOOD, "units": 0}, "units"),
    ({**GOOD, "units": 1001}, "units"),
    ({**GOOD, "units": "7"}, "units"),
    ({**GOOD, "units": True}, "units"),
    ({**GOOD, "units": 1.5}, "units"),
    ({"donation_type": "whole_blood", "donated_on": today().isoformat()}, "units"),
    ({**GOOD, "donation_type": "soup"}, "donation_type"),
    ({**GOOD, "donated_on": "27/11/2026"}, "donated_on"),
    ({**GOOD, "donated_on": 20261127}, "donated_on"),
    ({**GOOD, "donated_on": (today() + timedelta(days=1)).isoformat()}, "donated_on"),
    ({**GOOD, "donated_on": (today() - timedelta(days=30)).isoformat()}, "donated_on"),
    ({**GOOD, "participant_id": 999999}, "participant_id"),
    ({**GOOD, "participant_id": 2**40}, "participant_id"),
    ({**GOOD, "colour": "red"}, "colour"),
])
def test_bad_fields_are_refused_with_422_and_nothing_saved(client, jack, db, body, field):
    response = post_json(client, "/api/v1/drives/7-for-jack/donations", body, jack["token"])
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]
    assert donation_count(db) == 1


@pytest.mark.parametrize("data, content_type, status, code", [
    ("{not json", "application/json", 400, "invalid_json"),
    ("", "application/json", 400, "invalid_json"),
    ("[1, 2]", "application/json", 422, "invalid"),
    ('"units"', "application/json", 422, "invalid"),
    ("units=7", "application/x-www-form-urlencoded", 415, "unsupported_media_type"),
    ('{"units": 7}', "text/plain", 415, "unsupported_media_type"),
    ('{"units": 7, "pad": "' + "x" * 20000 + '"}', "application/json", 413, "payload_too_large"),
])
def test_bodies_of_the_wrong_shape_size_or_type_are_refused(client, jack, db, data, content_type, status, code):
    response = client.post("/api/v1/drives/7-for-jack/donations", data=data,
                           content_type=content_type, headers=bearer(jack["token"]))
    assert response.status_code == status
    assert response.get_json()["error"]["reason"] == code
    assert donation_count(db) == 1


def test_a_body_over_the_app_limit_is_a_json_413(client, jack, db):
    response = client.post("/api/v1/drives/7-for-jack/donations", data="x" * (2 * 1024 * 1024),
                           content_type="application/json", headers=bearer(jack["token"]))
    assert response.status_code == 413
    assert response.get_json()["error"]["reason"] == "payload_too_large"


def test_another_organisers_drive_is_404(app, client, jack, db):
    with app.app_context():
        eve = factories.organiser("Eve", "eve@example.org")
        _db.session.commit()
        eve_id = eve.id
    eve_token = token_for(app, eve_id)
    assert post_json(client, "/api/v1/drives/7-for-jack/donations", GOOD, eve_token).status_code == 404
    assert client.get("/api/v1/drives/7-for-jack/donations", headers=bearer(eve_token)).status_code == 404
    path = f"/api/v1/drives/7-for-jack/donations/{jack['reported_id']}/confirm"
    assert client.post(path, headers=bearer(eve_token)).status_code == 404
    assert donation_count(db) == 1


def test_a_closed_drive_takes_no_units(app, client, jack, db):
    with app.app_context():
        drive = drives.public_drive("7-for-jack")
        closing.close_drive(drive, drive.organisers[0].user)
        _db.session.commit()
    response = post_json(client, "/api/v1/drives/7-for-jack/donations", GOOD, jack["token"])
    assert response.status_code == 422
    assert "closed" in response.get_json()["error"]["message"]
    assert donation_count(db) == 1


# --- Checking reported donations ---


def test_organiser_lists_reported_donations_and_confirms_one(client, jack, db):
    listed = client.get("/api/v1/drives/7-for-jack/donations?status=reported", headers=bearer(jack["token"]))
    assert [d["id"] for d in listed.get_json()["donations"]] == [jack["reported_id"]]
    assert listed.get_json()["donations"][0]["participant"]["name"] == "Amira Haddad"
    response = client.post(f"/api/v1/drives/7-for-jack/donations/{jack['reported_id']}/confirm",
                           headers=bearer(jack["token"]))
    assert response.status_code == 200
    assert db.session.get(Donation, jack["reported_id"]).status is DonationStatus.CONFIRMED


def test_rejecting_a_donation_stops_it_counting(client, jack, db):
    response = client.post(f"/api/v1/drives/7-for-jack/donations/{jack['reported_id']}/reject",
                           headers=bearer(jack["token"]))
    assert response.status_code == 200
    assert response.get_json()["progress"]["units_donated"] == 0
    assert db.session.get(Donation, jack["reported_id"]).status is DonationStatus.REJECTED


@pytest.mark.parametrize("donation_id", ["424242", str(2**40)])
def test_unknown_donations_are_404(client, jack, donation_id):
    response = client.post(f"/api/v1/drives/7-for-jack/donations/{donation_id}/confirm",
                           headers=bearer(jack["token"]))
    assert response.status_code == 404
    assert response.get_json()["error"]["reason"] == "not_found"


def test_bad_donation_filters_are_400(client, jack):
    for query in ("status=lost", "page=0", "per_page=1000"):
        response = client.get(f"/api/v1/drives/7-for-jack/donations?{query}", headers=bearer(jack["token"]))
        assert response.status_code == 400, query


def test_a_friend_from_another_drive_cannot_be_credited(app, client, jack, db):
    with app.app_context():
        other = factories.drive(factories.organiser("Eve", "eve@example.org"), "Other drive")
        stranger, _ = factories.participant(other, "Stranger")
        _db.session.commit()
        stranger_id = stranger.id
    response = post_json(client, "/api/v1/drives/7-for-jack/donations",
                         {**GOOD, "participant_id": stranger_id}, jack["token"])
    assert response.status_code == 422
    assert donation_count(db) == 1


def test_api_writes_are_rate_limited_per_token_with_a_json_429(app, client, jack, db):
    app.config["RATELIMIT_API_WRITE"] = "2 per minute"
    past_the_target = {**GOOD, "confirm": True}
    for _ in range(2):
        assert post_json(client, "/api/v1/drives/7-for-jack/donations", past_the_target, jack["token"]).status_code == 201
    refused = post_json(client, "/api/v1/drives/7-for-jack/donations", past_the_target, jack["token"])
    assert refused.status_code == 429
    assert refused.get_json()["error"]["reason"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) >= 1
    assert donation_count(db) == 3
    # Reads are not writes: the same token may still look.
    assert client.get("/api/v1/me/drives", headers=bearer(jack["token"])).status_code == 200
