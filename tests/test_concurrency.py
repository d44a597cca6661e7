"""Many people at once: real HTTP requests in parallel against a real threaded server.

Each simulated person has their own cookie jar and CSRF token and sends a real form POST.
The totals must come out exact in the database and on /api/drives/<slug>, on SQLite and on
PostgreSQL (TEST_DATABASE_URL). Every request must succeed: SQLite writers queue for the
write lock rather than fail. Where only one can win (the last place on a visit), the others get
a clear refusal, never a 500.
"""

import html
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import time, timedelta

import pytest
import requests
import sqlalchemy as sa
from flask import Flask
from werkzeug.serving import make_server

from donation_drive import create_app
from donation_drive.core.database import SQLITE_BUSY_TIMEOUT_MS
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.donations import operations as donations
from donation_drive.drives import operations as drives
from donation_drive.models import (
    Donation,
    DonationStatus,
    DonationType,
    Drive,
    DriveOrganiser,
    Participant,
    User,
    VisitPlace,
)
from donation_drive.participation import operations as participation, visits
from donation_drive.participation.operations import Pledge
from test_journeys import create_drive, invite_path, new_drive_form

#: At least this many requests are in flight together in each test.
CONCURRENT = 50
PASSWORD = "a long enough password"

HIDDEN_INPUT = re.compile(r"<input\b[^>]*\btype=\"hidden\"[^>]*>")
ATTRIBUTE = re.compile(r'\b(name|value)="([^"]*)"')


@pytest.fixture
def live_server(app: Flask, tmp_path) -> Iterator[str]:
    """The app on 127.0.0.1 behind werkzeug's threaded server, on the test's database."""
    served = create_app({
        "TESTING": True,
        "SECRET_KEY": app.config["SECRET_KEY"],
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "INSTANCE_PATH": str(tmp_path / "served"),
        # 50 people from one address would trip the per-address limits, which are not under test.
        "RATELIMIT_ENABLED": False,
        "SIGN_UP_MIN_SECONDS": 0,  # scripted browsers fill the form at once; spam checks are not under test
    })
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
        served.extensions["outbox_delivery"].stop()  # the delivery thread the requests started
        with served.app_context():
            _db.engine.dispose()


class Person:
    """One browser: its own cookie jar, reading each form's hidden fields before sending it."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.http = requests.Session()

    def hidden_fields(self, page: str) -> dict[str, str]:
        response = self.http.get(self.base_url + page, timeout=60)
        assert response.status_code == 200, f"{page} answered {response.status_code}"
        fields: dict[str, str] = {}
        for tag in HIDDEN_INPUT.findall(response.text):
            attributes = dict(ATTRIBUTE.findall(tag))
            if "name" in attributes:
                fields.setdefault(attributes["name"], html.unescape(attributes.get("value", "")))
        return fields

    def post(self, path: str, form: dict[str, str]) -> requests.Response:
        return self.http.post(self.base_url + path, data=form, allow_redirects=False, timeout=60)

    def twin(self) -> "Person":
        """A second connection with the same cookies: the same browser sending again."""
        other = Person(self.base_url)
        other.http.cookies.update(self.http.cookies)
        return other

    def log_in(self, email: str) -> None:
        fields = self.hidden_fields("/auth/login")
        response = self.post("/auth/login", {**fields, "email": email, "password": PASSWORD})
        assert response.status_code == 302, response.text


def all_at_once(requests_to_send: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Send every request from its own thread, released together by a barrier."""
    barrier = threading.Barrier(len(requests_to_send))

    def send(request: Callable[[], requests.Response]) -> requests.Response:
        barrier.wait(timeout=60)
        return request()

    with ThreadPoolExecutor(max_workers=len(requests_to_send)) as pool:
        return list(pool.map(send, requests_to_send))


def assert_all_redirected(responses: list[requests.Response]) -> None:
    statuses = sorted({response.status_code for response in responses})
    assert statuses == [302], f"answers: {statuses}"


def api_progress(base_url: str, slug: str) -> dict:
    response = requests.get(f"{base_url}/api/drives/{slug}", timeout=60)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def drive_slug(browser) -> str:
    browser.register(email="sam@example.org", password=PASSWORD)
    organiser_page = create_drive(browser, target_units="500")
    return organiser_page.rsplit("/", 1)[1]


def _sign_up_directly(db, slug: str, count: int) -> list[str]:
    """Participants made through the operations (setup, not under test); their private links."""
    drive = db.session.scalar(sa.select(Drive).where(Drive.slug == slug))
    pledge = Pledge(units=1, donation_type=DonationType.WHOLE_BLOOD, planned_on=None, show_name=False)
    tokens = [participation.sign_up(drive, f"Friend {n}", None, pledge)[1] for n in range(count)]
    db.session.commit()
    return tokens


def _units_in_database(db, slug: str) -> tuple[int, int]:
    """(units that count, number of donations) as the database holds them now."""
    db.session.rollback()
    drive_id = sa.select(Drive.id).where(Drive.slug == slug).scalar_subquery()
    counted = db.session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(Donation.units), 0), sa.func.count(Donation.id))
        .where(Donation.drive_id == drive_id, Donation.status != DonationStatus.REJECTED)
    ).one()
    return int(counted[0]), int(counted[1])


def _organisers(base_url: str, count: int, logins: int = 5) -> list[Person]:
    """`count` cookie jars of the drive's organiser, from `logins` separate log-ins.

    Hashing a password is slow on purpose, so a few log-ins are shared out to many jars;
    each jar still fetches its own CSRF token before posting.
    """
    logged_in = [Person(base_url) for _ in range(logins)]
    for person in logged_in:
        person.log_in("sam@example.org")
    return [logged_in[n % logins].twin() for n in range(count)]


def test_sqlite_is_set_up_to_queue_writers(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite pragmas")
    with db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("busy_timeout") == SQLITE_BUSY_TIMEOUT_MS >= 5000
        assert pragma("foreign_keys") == 1


def test_fifty_friends_report_their_donations_at_once_and_every_unit_counts(live_server, drive_slug, db):
    tokens = _sign_up_directly(db, drive_slug, CONCURRENT)
    friends = [Person(live_server) for _ in tokens]
    forms = [friend.hidden_fields(f"/p/{token}") for friend, token in zip(friends, tokens, strict=True)]
    units = [1 + n % 2 for n in range(CONCURRENT)]  # 1 or 2: a platelet donation may count two
    responses = all_at_once([
        (lambda friend=friend, token=token, form=form, unit=unit: friend.post(f"/p/{token}/donations", {
            **form, "report-units": str(unit), "report-donated_on": today().isoformat(),
            "report-donation_type": "platelets" if unit == 2 else "whole_blood",
        }))
        for friend, token, form, unit in zip(friends, tokens, forms, units, strict=True)
    ])
    assert_all_redirected(responses)
    assert _units_in_database(db, drive_slug) == (sum(units), CONCURRENT)
    assert api_progress(live_server, drive_slug)["units_donated"] == sum(units)


def test_organisers_log_units_from_fifty_browsers_at_once_and_none_is_lost(live_server, drive_slug, db):
    organisers = _organisers(live_server, CONCURRENT)
    page = f"/drives/{drive_slug}"
    forms = [organiser.hidden_fields(page) for organiser in organisers]
    responses = all_at_once([
        (lambda organiser=organiser, form=form: organiser.post(f"{page}/donations", {
            "csrf_token": form["csrf_token"], "participant_id": "0", "units": "3",
            "donation_type": "plasma", "donated_on": today().isoformat(),
        }))
        for organiser, form in zip(organisers, forms, strict=True)
    ])
    assert_all_redirected(responses)
    assert _units_in_database(db, drive_slug) == (3 * CONCURRENT, CONCURRENT)
    assert api_progress(live_server, drive_slug)["units_donated"] == 3 * CONCURRENT


def test_friends_sign_up_at_once_and_a_double_click_signs_up_once(live_server, drive_slug, browser, db):
    invite = invite_path(browser, f"/drives/{drive_slug}")
    singles = [Person(live_server) for _ in range(CONCURRENT - 10)]
    double_clickers = [Person(live_server) for _ in range(10)]
    everyone = singles + double_clickers
    # Double-clickers leave the email out, so nothing but the form's key can catch the second click.
    forms = {
        id(person): {**person.hidden_fields(invite), "name": f"Friend {n}",
                     "email": "" if person in double_clickers else f"friend{n}@example.org",
                     "units": "1", "donation_type": "whole_blood", "planned_on": ""}
        for n, person in enumerate(everyone)
    }
    sends = [lambda person=person: person.post(invite, forms[id(person)]) for person in singles]
    for person in double_clickers:
        twin = person.twin()
        sends += [lambda person=person: person.post(invite, forms[id(person)]),
                  lambda person=person, twin=twin: twin.post(invite, forms[id(person)])]
    responses = all_at_once(sends)
    assert len(responses) == CONCURRENT + 10
    assert_all_redirected(responses)

    welcome_pages = [response.headers["Location"] for response in responses]
    double_click_pages = welcome_pages[len(singles):]
    assert all(first == second for first, second in zip(double_click_pages[::2], double_click_pages[1::2], strict=True))
    assert len(set(welcome_pages)) == CONCURRENT
    db.session.rollback()
    names = db.session.scalars(sa.select(Participant.name).join(Drive).where(Drive.slug == drive_slug)).all()
    assert sorted(names) == sorted(f"Friend {n}" for n in range(CONCURRENT))
    progress = api_progress(live_server, drive_slug)
    assert (progress["participant_count"], progress["units_pledged"]) == (CONCURRENT, CONCURRENT)
    page = requests.get(live_server + double_click_pages[0], timeout=60)
    assert page.status_code == 200


def test_organisers_confirm_fifty_reports_at_once_twice_over(live_server, drive_slug, db):
    tokens = _sign_up_directly(db, drive_slug, CONCURRENT)
    for token in tokens:
        friend = participation.participant_by_private_link(token)
        donations.report_donation(friend, 1, DonationType.WHOLE_BLOOD, today())
    db.session.commit()
    donation_ids = db.session.scalars(sa.select(Donation.id).order_by(Donation.id)).all()
    organisers = _organisers(live_server, CONCURRENT)
    page = f"/drives/{drive_slug}"
    forms = [organiser.hidden_fields(page) for organiser in organisers]
    # Every report confirmed by one organiser, and the first ten by a second one at the same moment.
    pairs = list(zip(organisers, forms, donation_ids, strict=True)) + list(zip(organisers[10:20], forms[10:20], donation_ids[:10], strict=True))
    responses = all_at_once([
        (lambda organiser=organiser, form=form, donation_id=donation_id: organiser.post(
            f"{page}/donations/{donation_id}/confirm", {"csrf_token": form["csrf_token"]}))
        for organiser, form, donation_id in pairs
    ])
    assert_all_redirected(responses)
    db.session.rollback()
    statuses = db.session.scalars(sa.select(Donation.status)).all()
    assert statuses == [DonationStatus.CONFIRMED] * CONCURRENT
    assert _units_in_database(db, drive_slug) == (CONCURRENT, CONCURRENT)
    assert api_progress(live_server, drive_slug)["units_donated"] == CONCURRENT


def _sign_up_form(browser, invite: str) -> dict[str, str]:
    page = browser.get(invite).get_data(as_text=True)
    fields = {}
    for tag in HIDDEN_INPUT.findall(page):
        attributes = dict(ATTRIBUTE.findall(tag))
        fields.setdefault(attributes["name"], html.unescape(attributes.get("value", "")))
    return {**fields, "name": "Ann Lee", "email": "", "units": "1", "donation_type": "whole_blood",
            "planned_on": ""}


def _participant_count(app: Flask) -> int:
    # A context of its own: requests made while the `db` fixture's context is pushed would share
    # its `g`, and with it one CSRF token between two "browsers".
    with app.app_context():
        return _db.session.scalar(sa.select(sa.func.count(Participant.id)))


def test_a_sign_up_form_sent_again_leads_to_the_same_welcome_page(drive_slug, browser, app):
    invite = invite_path(browser, f"/drives/{drive_slug}")
    browser.logout()
    form = _sign_up_form(browser, invite)
    assert len(form["submission_key"]) >= 22
    first = browser.client.post(invite, data=form)
    second = browser.client.post(invite, data=form)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _participant_count(app) == 1
    assert browser.get(second.headers["Location"]).status_code == 200


def test_a_new_visit_gets_a_new_form_key_and_signs_up_someone_new(drive_slug, browser, app):
    invite = invite_path(browser, f"/drives/{drive_slug}")
    first = browser.client.post(invite, data=_sign_up_form(browser, invite))
    second = browser.client.post(invite, data=_sign_up_form(browser, invite))
    assert first.headers["Location"] != second.headers["Location"]
    assert _participant_count(app) == 2


def test_a_form_key_sent_from_another_browser_is_refused_without_a_private_link(drive_slug, browser, app):
    invite = invite_path(browser, f"/drives/{drive_slug}")
    form = _sign_up_form(browser, invite)
    assert browser.client.post(invite, data=form).status_code == 302
    stranger = app.test_client()
    stranger_form = _sign_up_form(type(browser)(stranger), invite)
    response = stranger.post(invite, data={**form, "csrf_token": stranger_form["csrf_token"]})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "This form was already sent." in page
    assert "/p/" not in response.headers.get("Location", "")
    assert _participant_count(app) == 1


def test_the_same_report_form_sent_ten_times_at_once_counts_once(live_server, drive_slug, db):
    """A friend taps "I donated" again and again on a slow connection: one donation, every answer a redirect."""
    [token] = _sign_up_directly(db, drive_slug, 1)
    friend = Person(live_server)
    form = {**friend.hidden_fields(f"/p/{token}"), "report-units": "1", "report-donated_on": today().isoformat(),
            "report-donation_type": "whole_blood"}
    assert form["report-submission_key"]
    taps = [friend.twin() for _ in range(10)]
    responses = all_at_once([lambda tap=tap: tap.post(f"/p/{token}/donations", form) for tap in taps])
    assert_all_redirected(responses)
    assert _units_in_database(db, drive_slug) == (1, 1)


def test_ten_drives_with_the_same_title_created_at_once_get_ten_addresses(live_server, browser, db):
    browser.register(email="sam@example.org", password=PASSWORD)
    organisers = _organisers(live_server, 10, logins=2)
    forms = [organiser.hidden_fields("/drives/new") for organiser in organisers]
    responses = all_at_once([
        (lambda organiser=organiser, form=form: organiser.post(
            "/drives/new", {**form, **new_drive_form(title="Give for Gran")}))
        for organiser, form in zip(organisers, forms, strict=True)
    ])
    assert_all_redirected(responses)
    db.session.rollback()
    slugs = db.session.scalars(sa.select(Drive.slug).where(Drive.title == "Give for Gran")).all()
    assert sorted(slugs) == sorted({"give-for-gran", *(f"give-for-gran-{n}" for n in range(2, 11))})
    assert sorted(response.headers["Location"] for response in responses) == sorted(f"/drives/{slug}" for slug in slugs)
    owners = db.session.scalars(sa.select(DriveOrganiser.drive_id).join(Drive).where(Drive.title == "Give for Gran")).all()
    assert len(owners) == len(set(owners)) == 10


def test_a_drive_that_runs_out_of_slug_tries_gets_the_form_back_with_a_message(live_server, browser, db, monkeypatch):
    """With one try only, drives that lose the race for a slug (PostgreSQL) say so beside the title."""
    monkeypatch.setattr(drives, "SLUG_TRIES", 1)
    browser.register(email="sam@example.org", password=PASSWORD)
    organisers = _organisers(live_server, 10, logins=2)
    forms = [organiser.hidden_fields("/drives/new") for organiser in organisers]
    responses = all_at_once([
        (lambda organiser=organiser, form=form: organiser.post(
            "/drives/new", {**form, **new_drive_form(title="Give for Gran")}))
        for organiser, form in zip(organisers, forms, strict=True)
    ])
    created = [response for response in responses if response.status_code == 302]
    refused = [response for response in responses if response.status_code != 302]
    assert all(response.status_code == 422 for response in refused), [r.status_code for r in refused]
    assert all("Many drives with this title are being created right now" in response.text for response in refused)
    db.session.rollback()
    slugs = db.session.scalars(sa.select(Drive.slug).where(Drive.title == "Give for Gran")).all()
    assert len(slugs) == len(set(slugs)) == len(created) >= 1


def test_ten_friends_take_the_last_place_on_a_visit_at_once_and_one_gets_it(live_server, drive_slug, db):
    drive = db.session.scalar(sa.select(Drive).where(Drive.slug == drive_slug))
    organiser = db.session.scalar(sa.select(User).where(User.email == "sam@example.org"))
    visit = visits.propose_visit(drive, organiser, today() + timedelta(days=3), time(9, 30), "Leeds Donor Centre", 2)
    db.session.commit()
    first, *tokens = _sign_up_directly(db, drive_slug, 11)
    visits.join_visit(participation.participant_by_private_link(first), visit)
    db.session.commit()
    friends = [Person(live_server) for _ in tokens]
    pages = [f"/p/{token}/visits/{visit.id}" for token in tokens]
    forms = [friend.hidden_fields(page) for friend, page in zip(friends, pages, strict=True)]
    responses = all_at_once([
        (lambda friend=friend, page=page, form=form: friend.post(f"{page}/join", form))
        for friend, page, form in zip(friends, pages, forms, strict=True)
    ])
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302] + [409] * 9, f"answers: {statuses}"
    assert all("this visit is full" in response.text for response in responses if response.status_code == 409)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(VisitPlace.id)).where(VisitPlace.visit_id == visit.id)) == 2


def test_a_friend_who_taps_join_five_times_at_once_gets_one_place(live_server, drive_slug, db):
    drive = db.session.scalar(sa.select(Drive).where(Drive.slug == drive_slug))
    organiser = db.session.scalar(sa.select(User).where(User.email == "sam@example.org"))
    visit = visits.propose_visit(drive, organiser, today() + timedelta(days=3), time(9, 30), "Leeds Donor Centre", 5)
    db.session.commit()
    [token] = _sign_up_directly(db, drive_slug, 1)
    friend = Person(live_server)
    page = f"/p/{token}/visits/{visit.id}"
    form = friend.hidden_fields(page)
    taps = [friend.twin() for _ in range(5)]
    responses = all_at_once([lambda tap=tap: tap.post(f"{page}/join", form) for tap in taps])
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302] + [409] * 4, f"answers: {statuses}"
    assert all("already have a place" in response.text for response in responses if response.status_code == 409)
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(VisitPlace.id)).where(VisitPlace.visit_id == visit.id)) == 1
