"""CSRF over HTTPS: every form works on the pages that send no Referer, and a form sent from
another site is refused by the Origin the browser names.

A page whose URL holds a secret (a private link, an emailed confirmation or reset link) sends
`Referrer-Policy: no-referrer`, so the browser posts its forms with no Referer and `Origin: null`.
The app is served over HTTPS here, as in production; the test client sends no Referer at all.
"""

import io
import json
import re

import pytest
from flask import Flask
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.core.security import secure_cookies_when_https
from donation_drive.models import Donation, Participant, PasswordReset, User, VisitPlace
from support import Browser, csrf_token, outbox
from test_api_organiser import GOOD, bearer, token_for
from test_api_public import seed_jack
from test_journeys import report
from test_organiser_tools_story import jpeg_with_gps
from test_organiser_tools_visits import take_place

NEW_PASSWORD = "seven bags for seven used"
EVIL = "https://evil.example"
#: What Chromium sends from a page with `Referrer-Policy: no-referrer` on our own site.
SAME_ORIGIN_NO_REFERRER = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
CROSS_SITE = {
    "another site's Origin": {"Origin": EVIL},
    "an opaque Origin from another site": {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
    "a sibling site's Origin": {"Origin": "https://other.drive.test", "Sec-Fetch-Site": "same-site"},
    "another site's Referer only": {"Referer": f"{EVIL}/page"},
    "our host over plain HTTP": {"Origin": "http://drive.test"},
}
CROSS_SITE_MESSAGE = "This form was sent from another website"


@pytest.fixture
def app(app: Flask) -> Flask:
    """The app served over HTTPS, as in production: secure cookies, https:// links."""
    app.config["PREFERRED_URL_SCHEME"] = "https"
    secure_cookies_when_https(app)
    return app


@pytest.fixture
def friend(app: Flask) -> str:
    """A friend's private link on a drive with a group visit (made directly: the forms under test are hers)."""
    with app.app_context():
        sam = factories.organiser()
        jack = factories.drive(sam)
        factories.group_visit(jack, sam)
        _amira, token = factories.participant(jack, "Amira Haddad")
        _db.session.commit()
    return f"/p/{token}"


@pytest.fixture
def organiser_page(app: Flask, browser: Browser) -> str:
    """The organiser page of "7 for Jack" (made directly), with Sam logged in."""
    with app.app_context():
        factories.drive(factories.organiser())
        _db.session.commit()
    assert browser.login().status_code == 302
    return "/drives/7-for-jack"


def report_sent_with(browser: Browser, private_link: str, headers: dict):
    form = {"report-units": "1", "report-donated_on": today().isoformat(), "report-donation_type": "whole_blood"}
    return browser.submit(private_link, form, action=f"{private_link}/donations", prefix="report", headers=headers)


def visit_id_on(browser: Browser, private_link: str) -> str:
    html = browser.get(private_link).get_data(as_text=True)
    return re.search(r'href="/p/[\w-]+/visits/(\d+)"', html).group(1)


def test_requests_are_served_over_https(client):
    response = client.get("/auth/login")
    assert response.request.scheme == "https"
    assert "Strict-Transport-Security" in response.headers


def test_account_opens_from_the_emailed_link(browser, db):
    opened = browser.register()
    assert opened.status_code == 302, opened.get_data(as_text=True)
    assert db.session.scalar(db.select(User.email_confirmed_at)) is not None


def test_a_new_password_is_chosen_from_the_emailed_link(app, browser, db):
    with app.app_context():
        factories.organiser()
        _db.session.commit()
    assert browser.submit("/auth/reset/", {"email": "sam@example.org"}).status_code == 302
    [message] = [m for m in outbox(app) if "new Donation Drive password" in m["Subject"]]
    link = re.search(r"https://drive\.test(/auth/reset/[\w-]+)", message.get_body(("plain",)).get_content()).group(1)
    chosen = browser.submit(link, {"password": NEW_PASSWORD})
    assert chosen.headers.get("Location") == "/auth/login", chosen.get_data(as_text=True)
    assert db.session.scalar(db.select(PasswordReset.used_at)) is not None
    assert browser.login(password=NEW_PASSWORD).status_code == 302


def test_every_form_on_the_private_page_works(browser, friend, db):
    assert report(browser, friend).status_code == 302
    changed = browser.submit(friend, {"pledge-units": "2", "pledge-donation_type": "plasma", "pledge-planned_on": ""},
                             action=f"{friend}/pledge", prefix="pledge")
    assert changed.status_code == 302, changed.get_data(as_text=True)
    assert browser.submit(friend, {}, action=f"{friend}/withdraw").status_code == 302
    visit_id = visit_id_on(browser, friend)
    assert take_place(browser, friend, visit_id).status_code == 302
    assert db.session.scalar(db.select(db.func.count(VisitPlace.id))) == 1
    assert db.session.scalar(db.select(Participant.withdrawn_at)) is not None
    deleted = browser.submit(f"{friend}/delete", {})
    assert deleted.status_code == 302, deleted.get_data(as_text=True)
    assert db.session.scalar(db.select(Participant.name)) != "Amira Haddad"
    assert db.session.scalar(db.select(db.func.sum(Donation.units))) == 1


def test_a_form_posted_as_a_browser_does_from_a_no_referrer_page_works(browser, friend, db):
    reported = report_sent_with(browser, friend, SAME_ORIGIN_NO_REFERRER)
    assert reported.status_code == 302, reported.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Donation.id))) == 1


def test_a_form_posted_from_our_own_origin_works(browser, friend):
    own = {"Origin": "https://drive.test", "Referer": "https://drive.test/"}
    assert browser.submit(friend, {}, action=f"{friend}/withdraw", headers=own).status_code == 302


@pytest.mark.parametrize("headers", CROSS_SITE.values(), ids=list(CROSS_SITE))
def test_a_private_page_form_sent_from_another_site_is_refused(browser, friend, unchanged, headers):
    with unchanged():
        refused = report_sent_with(browser, friend, headers)
    assert refused.status_code == 400
    assert CROSS_SITE_MESSAGE in refused.get_data(as_text=True)


def test_an_organiser_form_sent_from_another_site_is_refused(browser, organiser_page, unchanged):
    with unchanged():
        refused = browser.submit(organiser_page, {"body": "Thank you all."}, action=f"{organiser_page}/updates",
                                 headers={"Origin": EVIL})
    assert refused.status_code == 400
    assert CROSS_SITE_MESSAGE in refused.get_data(as_text=True)


def test_a_cover_photo_sent_from_another_site_is_refused(browser, organiser_page, unchanged):
    """The photo form checks its token in the view, after raising the upload limit: the origin too."""
    token = csrf_token(browser.get(f"{organiser_page}/photo").get_data(as_text=True))
    boundary, body = encode_multipart({"photo-csrf_token": token, "photo-alt": "Jack",
                                       "photo-photo": FileStorage(io.BytesIO(jpeg_with_gps(size=(20, 20))), "a.jpg")})
    with unchanged():
        refused = browser.client.post(f"{organiser_page}/photo", data=body, headers={"Origin": EVIL},
                                      content_type=f"multipart/form-data; boundary={boundary}")
    assert refused.status_code == 400
    assert CROSS_SITE_MESSAGE in refused.get_data(as_text=True)


def test_the_api_takes_a_bearer_token_from_a_client_that_names_no_origin(app, client, db):
    jack = seed_jack(app)
    posted = client.post("/api/v1/drives/7-for-jack/donations", data=json.dumps(GOOD),
                         headers=bearer(token_for(app, jack["owner_id"])), content_type="application/json")
    assert posted.status_code == 201, posted.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.sum(Donation.units))) == 1 + GOOD["units"]
