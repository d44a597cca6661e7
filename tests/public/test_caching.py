"""HTTP caching of the public drive views: ETags, 304s, and changes seen when they should be."""

import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from flask import template_rendered
from sqlalchemy import event

from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.drives import closing, operations as drives
from donation_drive.models import DonationType, Drive, User
from donation_drive.participation import operations as participation
from donation_drive.participation.operations import Pledge
from donation_drive.public.caching import FRESH_COOKIE
from support import Browser
from test_api_public import PASSWORD, seed_jack
from test_journeys import report

PREVIEW = "/d/7-for-jack/preview.png"
CACHED_VIEWS = ["/d/7-for-jack", "/api/v1/drives/7-for-jack", "/api/drives/7-for-jack",
                "/d/7-for-jack/badge.svg", "/d/7-for-jack/embed", "/api/v1/drives/7-for-jack/participants",
                PREVIEW, "/d/7-for-jack/live", "/d/7-for-jack/embed/live"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: Validators a client, a proxy or an attacker may send that must never earn a 304.
MALFORMED_OR_STALE = [
    {"If-None-Match": "garbage"}, {"If-None-Match": '"unterminated'}, {"If-None-Match": 'W/"1-1-x"'},
    {"If-None-Match": '"' + "9" * 5000 + '"'}, {"If-None-Match": ',,,'},
    {"If-Modified-Since": "yesterday-ish"}, {"If-Modified-Since": "Fri, 99 Nov 2026 99:99:99 GMT"},
]


@pytest.fixture
def jack(app) -> dict:
    return seed_jack(app)


class Spy:
    """Counts SQL statements and rendered templates while it is active."""

    def __init__(self, app) -> None:
        self.app = app
        self.statements: list[str] = []
        self.templates: list[str] = []

    def __enter__(self) -> "Spy":
        with self.app.app_context():
            self.engine = _db.engine
        event.listen(self.engine, "before_cursor_execute", self._statement)
        template_rendered.connect(self._template, self.app)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._statement)
        template_rendered.disconnect(self._template, self.app)

    def _statement(self, _conn, _cursor, statement, *_args) -> None:
        self.statements.append(statement)

    @property
    def statements_for_the_answer(self) -> list[str]:
        """Statements other than drives/funnel.py's view counter (and its transaction's BEGIN and
        PRAGMAs), which counts every progress-page view, 304s included, in its own transaction. It is a known cost on the hot path,
        reported for the funnel to batch its counts; the answer itself must need no SQL."""
        return [
            statement for statement in self.statements
            if "daily_count" not in statement and not statement.startswith(("BEGIN", "PRAGMA"))
        ]

    def _template(self, _app, template, **_extra) -> None:
        self.templates.append(template.name)


@pytest.mark.parametrize("path", CACHED_VIEWS)
def test_anonymous_views_are_shareable_for_a_short_time(client, jack, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["ETag"].startswith('"') and not response.headers["ETag"].startswith("W/")
    assert response.headers["Last-Modified"]
    assert response.headers["Cache-Control"] == "public, max-age=15, stale-while-revalidate=30"
    assert "Cookie" in response.headers["Vary"]


@pytest.mark.parametrize("path", CACHED_VIEWS)
def test_a_repeat_view_with_its_etag_is_304_without_rendering_or_sql(app, client, jack, path):
    etag = client.get(path).headers["ETag"]
    with Spy(app) as spy:
        response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.data == b""
    assert response.headers["ETag"] == etag
    assert spy.statements_for_the_answer == [] and spy.templates == []


def test_a_repeat_view_without_etag_is_served_from_memory(app, client, jack):
    first = client.get("/d/7-for-jack")
    with Spy(app) as spy:
        second = client.get("/d/7-for-jack")
    assert second.data == first.data
    assert spy.statements_for_the_answer == [] and spy.templates == []


@pytest.mark.parametrize("path", ["/d/7-for-jack", PREVIEW])
def test_if_modified_since_works_too(client, jack, path):
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    earlier = format_datetime(datetime.now(UTC) - timedelta(days=10), usegmt=True)
    assert client.get(path, headers={"If-Modified-Since": later}).status_code == 304
    assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200


@pytest.mark.parametrize("header", MALFORMED_OR_STALE)
@pytest.mark.parametrize("path", ["/d/7-for-jack", "/api/v1/drives/7-for-jack"])
def test_malformed_or_stale_validators_get_the_full_answer(client, jack, path, header):
    response = client.get(path, headers=header)
    assert response.status_code == 200
    assert b"1 of 7 units" in response.data


def test_a_new_donation_changes_the_etag_and_shows_at_once_to_its_reporter(app, jack):
    viewer = app.test_client()
    old = viewer.get("/d/7-for-jack")
    reporter = app.test_client()
    # Amira reported a unit today already: this one she confirms is another donation.
    assert report(Browser(reporter), jack["private_link"], another=True).status_code == 302
    assert reporter.get_cookie(FRESH_COOKIE, domain="drive.test") is not None
    seen_by_reporter = reporter.get("/d/7-for-jack")
    assert b"2 of 7 units" in seen_by_reporter.data
    assert seen_by_reporter.headers["Cache-Control"].startswith("private")
    # This worker forgot the old version at the commit: a viewer's revalidation sees the change.
    revalidated = viewer.get("/d/7-for-jack", headers={"If-None-Match": old.headers["ETag"]})
    assert revalidated.status_code == 200 and b"2 of 7 units" in revalidated.data
    assert revalidated.headers["ETag"] != old.headers["ETag"]


@pytest.mark.parametrize("header", MALFORMED_OR_STALE)
def test_malformed_or_stale_validators_get_the_whole_preview_image(client, jack, header):
    response = client.get(PREVIEW, headers=header)
    assert response.status_code == 200
    assert response.mimetype == "image/png" and response.data.startswith(PNG_SIGNATURE)


def _change(app, step) -> None:
    with app.test_request_context():
        step(drives.public_drive("7-for-jack"))
        _db.session.commit()
        _db.session.remove()


def _log_two_units(drive: Drive) -> None:
    from donation_drive.donations import operations as donations

    owner = _db.session.scalar(_db.select(User).join(User.organised).limit(1))
    donations.log_donation(drive, owner, 2, DonationType.WHOLE_BLOOD, today())


def _retitle(drive: Drive) -> None:
    details = {name: getattr(drive, name) for name in drives.DriveDetails.__dataclass_fields__}
    drives.update_drive(drive, drive.organisers[0].user, drives.DriveDetails(**{**details, "title": "Seven for Jack"}))


@pytest.mark.parametrize("change", [_log_two_units, _retitle], ids=["logged donation", "title edit"])
def test_a_change_to_the_drive_gives_the_preview_a_new_etag_and_image(app, jack, change):
    viewer = app.test_client()
    before = viewer.get(PREVIEW)
    assert before.status_code == 200
    _change(app, change)
    after = viewer.get(PREVIEW, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.data.startswith(PNG_SIGNATURE)
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.data != before.data
    assert viewer.get(PREVIEW, headers={"If-None-Match": after.headers["ETag"]}).status_code == 304


def test_the_page_and_badge_etags_never_validate_the_preview(client, jack):
    preview = client.get(PREVIEW).headers["ETag"]
    for other in ("/d/7-for-jack", "/d/7-for-jack/badge.svg", "/d/7-for-jack/embed"):
        etag = client.get(other).headers["ETag"]
        assert etag != preview
        response = client.get(PREVIEW, headers={"If-None-Match": etag})
        assert response.status_code == 200 and response.data.startswith(PNG_SIGNATURE)


def test_another_worker_sees_the_change_after_the_cache_lifetime(app, jack, monkeypatch):
    viewer = app.test_client()
    etag = viewer.get("/api/v1/drives/7-for-jack").headers["ETag"]
    # Another worker changes the drive: this worker's memory is not told.
    versions = app.extensions["drive_versions"]
    monkeypatch.setattr(versions, "invalidate", lambda slugs: None)
    with app.test_request_context():
        drive = drives.public_drive("7-for-jack")
        participation.sign_up(drive, "Dee", None, Pledge(1, DonationType.PLASMA, None, True))
        _db.session.commit()
    assert viewer.get("/api/v1/drives/7-for-jack", headers={"If-None-Match": etag}).status_code == 304
    versions._local = {slug: (0.0, stamp) for slug, (_expires, stamp) in versions._local.items()}
    fresh = viewer.get("/api/v1/drives/7-for-jack", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.get_json()["participant_count"] == 4


def test_a_logged_in_organiser_gets_private_answers(app, browser, jack):
    browser.login(password=PASSWORD)
    response = browser.get("/d/7-for-jack")
    assert response.headers["Cache-Control"] == "private, no-cache"
    anonymous = app.test_client().get("/d/7-for-jack")
    assert response.headers["ETag"] != anonymous.headers["ETag"]
    # The organiser's cached page (with their menu) never answers for someone logged out.
    browser.logout()
    again = browser.get("/d/7-for-jack", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 200


def test_a_page_with_a_message_is_never_stored(browser, jack):
    browser.login(password=PASSWORD)
    with browser.client.session_transaction() as session:
        session["_flashes"] = [("success", "Logged 1 unit.")]
    response = browser.get("/d/7-for-jack")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def _version(db) -> int:
    db.session.expire_all()
    return db.session.scalar(db.select(Drive.version).where(Drive.slug == "7-for-jack"))


def test_every_change_to_what_the_page_shows_bumps_the_version(app, jack, db):
    steps = [
        lambda drive: participation.sign_up(drive, "Dee", None, Pledge(1, DonationType.PLASMA, None, False)),
        lambda drive: participation.change_pledge(drive.participants[0], Pledge(2, DonationType.PLASMA, None, True)),
        lambda drive: participation.withdraw_pledge(drive.participants[0]),
        lambda drive: setattr(drive, "story", "A new story.") or _db.session.flush(),
        lambda drive: closing.close_drive(drive, drive.organisers[0].user),
        lambda drive: closing.set_closing_message(drive, drive.organisers[0].user, "Thank you, all of you."),
        lambda drive: closing.reopen_drive(drive, drive.organisers[0].user),
    ]
    for step in steps:
        before = _version(db)
        with app.test_request_context():
            step(drives.public_drive("7-for-jack"))
            _db.session.commit()
        assert _version(db) == before + 1


def test_the_badge_theme_is_part_of_its_identity(client, jack):
    light = client.get("/d/7-for-jack/badge.svg?theme=light").headers["ETag"]
    dark = client.get("/d/7-for-jack/badge.svg?theme=dark").headers["ETag"]
    assert light != dark
    assert client.get("/d/7-for-jack/badge.svg?theme=dark", headers={"If-None-Match": light}).status_code == 200


def test_rows_no_public_view_shows_leave_the_version_alone(app, jack, db):
    from donation_drive.core.rules import today
    from donation_drive.models import DailyCount

    before = _version(db)
    with app.test_request_context():
        _db.session.add(DailyCount(drive_id=jack["drive_id"], day=today(), kind="progress_view", count=1))
        _db.session.commit()
    assert _version(db) == before


@pytest.mark.own_app  # adds a route of its own
def test_a_body_with_a_csrf_token_is_never_shared(app, jack):
    from flask import render_template_string

    from donation_drive.public.caching import cached_drive_view

    @cached_drive_view("form")
    def page_with_form(slug: str) -> str:
        return render_template_string('<input name="csrf_token" value="{{ csrf_token() }}">')

    app.add_url_rule("/test-form/<slug>", "test_form", page_with_form)
    visitor = app.test_client()
    visitor.get("/auth/login")  # their session already holds a CSRF token
    first = visitor.get("/test-form/7-for-jack")
    second = app.test_client().get("/test-form/7-for-jack")
    assert first.headers["Cache-Control"].startswith("private")
    assert first.data != second.data  # the stranger never gets the visitor's token


def _redis_or_skip(url: str = "redis://127.0.0.1:6379/15"):
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(url, socket_connect_timeout=0.2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    return client


@pytest.fixture
def twin(app):
    """Make second workers: the same database, memory of their own; closed after the test."""
    from donation_drive import create_app

    made = []

    def make(**overrides):
        keys = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "SERVER_NAME", "TESTING")
        other = create_app({**{key: app.config[key] for key in keys},
                            "INSTANCE_PATH": app.instance_path, "MAIL_DELIVERY": "inline", **overrides})
        made.append(other)
        return other

    yield make
    for other in made:
        redis_client = other.extensions["drive_versions"].redis
        if redis_client is not None:
            redis_client.close()
        with other.app_context():
            _db.session.remove()
            _db.engine.dispose()


def test_with_redis_a_change_in_one_worker_reaches_the_other(app, jack, twin):
    redis_client = _redis_or_skip()
    url = "redis://127.0.0.1:6379/15"
    reader = twin(REDIS_URL=url, DRIVE_VERSION_TTL=0.05)
    writer = twin(REDIS_URL=url)
    viewer = reader.test_client()
    etag = viewer.get("/api/v1/drives/7-for-jack").headers["ETag"]
    key = reader.extensions["drive_versions"]._key("7-for-jack")
    assert redis_client.get(key) is not None  # the reader shared what it read
    with writer.test_request_context():
        drive = drives.public_drive("7-for-jack")
        participation.sign_up(drive, "Dee", None, Pledge(1, DonationType.PLASMA, None, True))
        _db.session.commit()
    assert redis_client.get(key) is None  # the writer's commit dropped it for everyone
    time.sleep(0.1)
    fresh = viewer.get("/api/v1/drives/7-for-jack", headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.get_json()["participant_count"] == 4
    redis_client.close()


def test_an_unreachable_redis_only_slows_things_down(app, jack, twin):
    reader = twin(REDIS_URL="redis://127.0.0.1:9/0")  # nothing listens on port 9
    response = reader.test_client().get("/api/v1/drives/7-for-jack")
    assert response.status_code == 200 and response.get_json()["units_donated"] == 1
