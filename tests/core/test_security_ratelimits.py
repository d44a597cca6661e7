"""Rate limits: a friendly 429 with Retry-After, nothing stored, Redis shared or memory fallback."""

import logging
import secrets

import pytest
import redis

import factories
from donation_drive import create_app
from donation_drive.core import ratelimits
from donation_drive.core.extensions import csrf
from donation_drive.core.rules import today
from donation_drive.models import Donation, Participant
from support import base_config
from test_journeys import create_drive, invite_path, report, sign_up

REDIS_URL = "redis://127.0.0.1:6379/15"
#: Nothing listens on port 1: a Redis that is down.
DEAD_REDIS_URL = "redis://127.0.0.1:1/15"


def wrong_login(browser):
    return browser.submit("/auth/login", {"email": "nobody@example.org", "password": "not a password at all"})


def assert_friendly_429(response) -> None:
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Please slow down" in page
    assert "Please wait" in page
    assert 1 <= int(response.headers["Retry-After"]) <= 3600
    assert "Content-Security-Policy" in response.headers


def test_login_is_limited_with_a_friendly_page_and_retry_after(browser, client):
    for _ in range(10):
        assert wrong_login(browser).status_code == 422
    response = wrong_login(browser)
    assert_friendly_429(response)
    assert int(response.headers["Retry-After"]) <= 60
    # Reading the page is never limited; only the POSTs are.
    assert client.get("/auth/login").status_code == 200


def test_registration_is_limited(app, browser):
    app.config["RATELIMIT_REGISTRATION"] = "2 per hour"
    for number in range(2):
        assert browser.register(email=f"sam{number}@example.org").status_code == 302
        browser.logout()
    assert_friendly_429(browser.register(email="sam9@example.org"))


def test_sign_up_is_limited_and_a_refused_sign_up_stores_nothing(app, browser, db):
    browser.register()
    invite = invite_path(browser, create_drive(browser))
    browser.logout()
    app.config["RATELIMIT_SIGN_UP"] = "3 per minute"
    for number in range(3):
        sign_up(browser, invite, f"Friend {number}")
    response = browser.submit(invite, {"name": "One too many", "units": "1", "donation_type": "whole_blood"})
    assert_friendly_429(response)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 3


def test_sign_up_from_a_personal_invitation_is_limited_too(app, browser, db):
    sam = factories.organiser()
    jack = factories.drive(sam)
    links = [factories.invitation(jack, sam, f"friend{number}@example.org")[1] for number in range(3)]
    db.session.commit()
    app.config["RATELIMIT_SIGN_UP"] = "2 per minute"
    for number, link in enumerate(links[:2]):
        response = browser.submit(f"/i/{link}", {"name": f"Friend {number}", "units": "1", "donation_type": "whole_blood"})
        assert response.status_code == 302, response.get_data(as_text=True)
    response = browser.submit(f"/i/{links[2]}", {"name": "One too many", "units": "1", "donation_type": "whole_blood"})
    assert_friendly_429(response)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 2


def test_reports_from_a_reminder_email_are_limited_per_link(app, browser, db):
    from donation_drive.outreach import reminders

    browser.register()
    invite = invite_path(browser, create_drive(browser))
    sign_up(browser, invite, "Ann")
    with app.test_request_context():
        participant = db.session.scalar(db.select(Participant))
        link = "/r/" + reminders.report_link(participant).rsplit("/r/", 1)[1]
    app.config["RATELIMIT_DONATION_REPORT"] = "2 per hour"
    # Each is confirmed as another donation, so only the limit stands in the way.
    report_form = {"units": "1", "donation_type": "whole_blood", "donated_on": today().isoformat(), "confirmed": "yes"}
    assert browser.submit(link, report_form).status_code == 302
    assert browser.submit(link, report_form).status_code == 302
    assert_friendly_429(browser.submit(link, report_form))
    assert db.session.scalar(db.select(db.func.count(Donation.id))) == 2


def test_donation_reports_are_limited_per_private_link(app, browser, db):
    browser.register()
    invite = invite_path(browser, create_drive(browser))
    first, second = sign_up(browser, invite, "Ann"), sign_up(browser, invite, "Ben")
    app.config["RATELIMIT_DONATION_REPORT"] = "2 per hour"
    assert report(browser, first).status_code == 302
    assert report(browser, first, another=True).status_code == 302
    assert_friendly_429(report(browser, first, another=True))
    # Another participant's link has its own count.
    assert report(browser, second).status_code == 302
    assert db.session.scalar(db.select(db.func.count(Donation.id))) == 3


@pytest.mark.own_app  # adds a route of its own
def test_api_writes_get_a_json_429(app):
    @app.post("/api/test-write")
    @csrf.exempt
    @ratelimits.api_write
    def write_for_test():
        return {"ok": True}

    app.config["RATELIMIT_API_WRITE"] = "1 per minute"
    client = app.test_client()
    headers = {"Authorization": "Bearer some-token"}
    assert client.post("/api/test-write", headers=headers).status_code == 200
    response = client.post("/api/test-write", headers=headers)
    assert response.status_code == 429
    assert response.get_json()["error"]  # the API's own error shape, as JSON
    assert "Retry-After" in response.headers
    # Another token counts separately.
    assert client.post("/api/test-write", headers={"Authorization": "Bearer other"}).status_code == 200


def _redis_or_skip() -> redis.Redis:
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis server at 127.0.0.1:6379")
    return connection


def test_with_redis_url_the_counters_live_in_redis(database_url, tmp_path, monkeypatch):
    connection = _redis_or_skip()
    prefix = f"test-{secrets.token_hex(4)}"
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    app = create_app({**base_config(database_url, tmp_path), "RATELIMIT_KEY_PREFIX": prefix,
                      "RATELIMIT_LOGIN": "2 per minute"})
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    from support import Browser

    browser = Browser(app.test_client())
    try:
        assert wrong_login(browser).status_code == 422
        assert wrong_login(browser).status_code == 422
        assert_friendly_429(wrong_login(browser))
        assert connection.keys(f"*{prefix}*"), "no rate-limit counter in Redis"
        # A second worker (another app on the same Redis) sees the same count.
        other = Browser(create_app({**base_config(database_url, tmp_path), "RATELIMIT_KEY_PREFIX": prefix,
                                    "RATELIMIT_LOGIN": "2 per minute"}).test_client())
        assert wrong_login(other).status_code == 429
    finally:
        for key in connection.keys(f"*{prefix}*"):
            connection.delete(key)


def test_when_redis_is_down_the_app_serves_and_limits_in_memory(database_url, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("REDIS_URL", DEAD_REDIS_URL)
    with caplog.at_level(logging.WARNING, logger="donation_drive.core.ratelimits"):
        app = create_app({**base_config(database_url, tmp_path), "RATELIMIT_LOGIN": "2 per minute"})
    assert "unreachable" in caplog.text
    assert "127.0.0.1:1" not in caplog.text
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    from support import Browser

    browser = Browser(app.test_client())
    assert browser.get("/").status_code == 200
    assert wrong_login(browser).status_code == 422
    assert wrong_login(browser).status_code == 422
    assert_friendly_429(wrong_login(browser))


def test_when_redis_goes_away_mid_run_requests_still_succeed(database_url, tmp_path, monkeypatch, caplog):
    _redis_or_skip()
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    app = create_app({**base_config(database_url, tmp_path), "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(4)}"})
    from support import Browser

    browser = Browser(app.test_client())

    def redis_gone(*_args, **_kwargs):
        raise redis.exceptions.ConnectionError("Redis went away")

    monkeypatch.setattr(ratelimits.limiter.storage, "incr", redis_gone)
    monkeypatch.setattr(ratelimits.limiter.storage, "check", lambda: False)
    with caplog.at_level(logging.WARNING):
        assert wrong_login(browser).status_code == 422
    assert "falling back to in-memory storage" in caplog.text


def test_when_redis_dies_mid_run_each_route_keeps_its_own_limits(database_url, tmp_path, monkeypatch):
    _redis_or_skip()
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    app = create_app({**base_config(database_url, tmp_path), "RATELIMIT_KEY_PREFIX": f"test-{secrets.token_hex(4)}",
                      "RATELIMIT_LOGIN": "2 per minute", "RATELIMIT_PASSWORD_RESET": "1 per minute"})
    from support import Browser

    browser = Browser(app.test_client())
    assert wrong_login(browser).status_code == 422  # counted in Redis

    def redis_gone(*_args, **_kwargs):
        raise redis.exceptions.ConnectionError("Redis went away")

    monkeypatch.setattr(ratelimits.limiter.storage, "incr", redis_gone)
    monkeypatch.setattr(ratelimits.limiter.storage, "check", lambda: False)
    # Counting starts again in memory, by the login route's own limit (not one shared limit).
    assert wrong_login(browser).status_code == 422
    assert wrong_login(browser).status_code == 422
    assert_friendly_429(wrong_login(browser))
    # Another route has its own, separate count and limit.
    assert browser.submit("/auth/reset/", {"email": "nobody@example.org"}).status_code == 302
    assert_friendly_429(browser.submit("/auth/reset/", {"email": "nobody@example.org"}))


def test_invitation_sending_is_limited(app, browser):
    browser.register()
    organiser = create_drive(browser)
    app.config["RATELIMIT_INVITATIONS"] = "1 per hour"
    page = f"{organiser}/invitations"
    assert browser.submit(page, {"addresses": ""}).status_code != 429
    assert_friendly_429(browser.submit(page, {"addresses": ""}))
