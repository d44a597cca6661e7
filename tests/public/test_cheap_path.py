"""The fast path (public/fast_path.py): anonymous reads of public views answered before Flask
runs, with every header, validator, count and freshness promise of the full path."""

import json
import os
import subprocess
import sys
import urllib.request
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask import request_started
from werkzeug.http import http_date

from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today, today_in
from donation_drive.models import Drive
from support import Browser
from test_api_public import seed_jack
from test_caching import CACHED_VIEWS, Spy
from test_journeys import report

ROOT = Path(__file__).resolve().parents[2]
PAGE = "/d/7-for-jack"
#: Headers each answer has for itself: the request id (and, from a real server, the date).
PER_REQUEST = {"X-Request-ID", "Date"}
PUBLIC_VIEWS = [*CACHED_VIEWS, "/d/7-for-jack/badge.svg?theme=dark"]


@pytest.fixture
def jack(app) -> dict:
    return seed_jack(app)


class FullPathSpy:
    """How many requests reached Flask's request machinery (sessions, hooks, rate limits, views)."""

    def __init__(self) -> None:
        self.requests = 0

    def __call__(self, _sender, **_extra) -> None:
        self.requests += 1


@pytest.fixture
def full_path(app):
    spy = FullPathSpy()
    request_started.connect(spy, app)
    yield spy
    request_started.disconnect(spy, app)


@contextmanager
def answered_by_fast_path(full_path):
    before = full_path.requests
    yield
    assert full_path.requests == before, "the full path answered"


def headers_of(response) -> dict[str, str]:
    return {key: value for key, value in response.headers.items() if key not in PER_REQUEST}


@pytest.mark.parametrize("path", PUBLIC_VIEWS)
def test_the_fast_path_answers_exactly_as_the_full_path(app, jack, full_path, path):
    client = app.test_client()
    full = client.get(path)
    assert full.status_code == 200 and full_path.requests == 1
    with answered_by_fast_path(full_path):
        fast = client.get(path)
    assert fast.status_code == full.status_code
    assert fast.data == full.data
    assert headers_of(fast) == headers_of(full)
    assert fast.headers["X-Request-ID"] != full.headers["X-Request-ID"]
    assert "Content-Security-Policy" in fast.headers and "Set-Cookie" not in fast.headers


@pytest.mark.parametrize("path", PUBLIC_VIEWS)
def test_the_fast_path_answers_304_as_the_full_path(app, jack, full_path, path):
    client = app.test_client()
    etag = client.get(path).headers["ETag"]
    full = client.get(path, headers={"If-None-Match": etag})
    with answered_by_fast_path(full_path):
        fast = client.get(path, headers={"If-None-Match": etag})
    assert fast.status_code == full.status_code == 304
    assert fast.data == full.data == b""
    assert headers_of(fast) == headers_of(full)


def test_the_fast_path_needs_no_sql_no_template_and_no_session(app, client, jack):
    client.get(PAGE)
    with Spy(app) as spy:
        response = client.get(PAGE)
    assert spy.statements == [] and spy.templates == []
    assert "Set-Cookie" not in response.headers


def test_the_embed_keeps_its_own_framing_rule_and_the_badge_its_cors(client, jack, full_path):
    for path in ("/d/7-for-jack/embed", "/d/7-for-jack/badge.svg"):
        client.get(path)
    with answered_by_fast_path(full_path):
        embed = client.get("/d/7-for-jack/embed")
        badge = client.get("/d/7-for-jack/badge.svg")
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    assert badge.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("validator", [{"If-None-Match": "W/{etag}"}, {"If-None-Match": '"x", {etag}'},
                                       {"If-None-Match": "*"},
                                       {"If-Modified-Since": "Wed, 01 Jan 2031 00:00:00 GMT"}])
def test_validators_only_the_full_path_can_judge_go_to_it(client, jack, full_path, validator):
    etag = client.get(PAGE).headers["ETag"]
    client.get(PAGE)
    header, value = next(iter(validator.items()))
    before = full_path.requests
    response = client.get(PAGE, headers={header: value.format(etag=etag)})
    assert full_path.requests == before + 1
    assert response.status_code == 304


def test_a_stale_etag_gets_the_kept_body_from_the_fast_path(client, jack, full_path):
    client.get(PAGE)
    with answered_by_fast_path(full_path):
        response = client.get(PAGE, headers={"If-None-Match": '"1-0-20200101-page-a-old"'})
    assert response.status_code == 200 and b"1 of 7 units" in response.data


def test_a_change_by_the_organiser_shows_at_once_to_everyone(app, jack, full_path):
    viewer = app.test_client()
    old = viewer.get(PAGE)
    assert viewer.get(PAGE).data == old.data
    reporter = app.test_client()
    assert report(Browser(reporter), jack["private_link"], another=True).status_code == 302
    before = full_path.requests
    seen = viewer.get(PAGE)
    assert full_path.requests == before + 1, "a kept answer of the old version was used"
    assert b"2 of 7 units" in seen.data and seen.headers["ETag"] != old.headers["ETag"]
    revalidated = viewer.get(PAGE, headers={"If-None-Match": old.headers["ETag"]})
    assert revalidated.status_code == 200 and b"2 of 7 units" in revalidated.data


def test_a_new_day_is_not_answered_with_yesterdays_page(client, jack, full_path):
    client.get(PAGE)
    client.get(PAGE)
    before = full_path.requests
    with time_machine.travel(today() + timedelta(days=1, hours=12)):
        response = client.get(PAGE)
    assert full_path.requests == before + 1
    assert response.status_code == 200


def test_a_drive_far_away_gets_a_new_page_at_its_own_midnight(app, client, jack, full_path):
    zone = "Pacific/Auckland"
    its_tomorrow = today_in(zone) + timedelta(days=1)
    midnight = datetime.combine(its_tomorrow, time(0), ZoneInfo(zone)).astimezone(UTC)
    with time_machine.travel(midnight - timedelta(minutes=30), tick=False):
        with app.app_context():
            _db.session.get(Drive, jack["drive_id"]).timezone = zone
            _db.session.commit()
        before = client.get(PAGE)
        client.get(PAGE)
    with time_machine.travel(midnight + timedelta(minutes=30), tick=False):
        requests = full_path.requests
        after = client.get(PAGE)
    assert full_path.requests == requests + 1
    assert f"-{its_tomorrow:%Y%m%d}-" in after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["Last-Modified"] == http_date(midnight)


def test_a_version_this_worker_forgot_is_looked_up_by_the_full_path(app, client, jack, full_path):
    client.get(PAGE)
    app.extensions["drive_versions"].clear()
    before = full_path.requests
    client.get(PAGE)
    assert full_path.requests == before + 1
    with answered_by_fast_path(full_path):
        client.get(PAGE)


def test_the_funnel_counts_views_answered_by_the_fast_path(app, client, jack, full_path):
    etag = client.get(PAGE).headers["ETag"]
    client.get(PAGE, headers={"If-None-Match": etag})  # the full path's first 304, kept from now on
    client.get("/d/7-for-jack/badge.svg")
    with answered_by_fast_path(full_path):
        client.get(PAGE)
        client.get(PAGE, headers={"If-None-Match": etag})
        client.get("/d/7-for-jack/badge.svg")  # not a progress-page view
    assert app.extensions["funnel"].pending[("public.progress_page", "7-for-jack", today())] == 4


@pytest.mark.parametrize(("cookies", "header"), [
    ({"session": "anything"}, {}), ({"theme": "dark", "remember_token": "1|abc"}, {}),
    ({"dd_fresh": "1"}, {}), ({}, {"Authorization": "Bearer dd_token"}),
])
def test_a_reader_with_a_session_or_credentials_always_takes_the_full_path(app, client, jack, full_path,
                                                                           cookies, header):
    client.get(PAGE)
    client.get(PAGE)
    reader = app.test_client()
    for name, value in cookies.items():
        reader.set_cookie(name, value, domain="drive.test")
    before = full_path.requests
    response = reader.get(PAGE, headers=header)
    assert full_path.requests == before + 1
    assert response.status_code == 200


def test_the_organiser_who_changed_the_drive_sees_it_through_the_full_path(app, jack, full_path):
    viewer = app.test_client()
    viewer.get(PAGE)
    reporter = app.test_client()
    report(Browser(reporter), jack["private_link"], another=True)
    before = full_path.requests
    seen = reporter.get(PAGE)
    assert full_path.requests == before + 1
    assert seen.headers["Cache-Control"].startswith("private") and b"2 of 7 units" in seen.data


def test_other_methods_and_private_pages_take_the_full_path(client, jack, full_path):
    client.get(PAGE)
    before = full_path.requests
    client.head(PAGE)
    client.get(jack["private_link"])
    client.get("/")
    assert full_path.requests == before + 3


def test_the_fast_path_gives_each_answer_a_request_id_as_the_full_path_does(client, jack, full_path):
    client.get(PAGE)
    with answered_by_fast_path(full_path):
        first = client.get(PAGE).headers["X-Request-ID"]
        second = client.get(PAGE).headers["X-Request-ID"]
        echoed = client.get(PAGE, headers={"X-Request-ID": "proxy-id-12345"}).headers["X-Request-ID"]
        forged = client.get(PAGE, headers={"X-Request-ID": 'bad id {"level": "x"}'}).headers["X-Request-ID"]
    assert len(first) == 32 and first != second
    assert echoed == "proxy-id-12345"
    assert len(forged) == 32 and "bad" not in forged


def _get(url: str, headers: dict[str, str]) -> int:
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=90).status


def test_gunicorn_logs_the_request_id_of_answers_from_the_fast_path(app, jack, tmp_path):
    from test_logs import _free_port, _wait_until_booted

    port = _free_port()
    environment = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "test",
                   "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "donation_drive:create_app()"],
        cwd=tmp_path, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_until_booted(server)
        for number in range(3):  # the first through the full path, the others from what it kept
            assert _get(f"http://127.0.0.1:{port}{PAGE}", {"X-Request-ID": f"fast-path-{number:04d}"}) == 200
    finally:
        server.terminate()
        output, _errors = server.communicate(timeout=30)
    access = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    # Sorted: a thread writes its access line after the client has its answer, so the next
    # request, served by another thread, may be logged first.
    assert sorted(line["request_id"] for line in access if line["path"] == PAGE) == [
        "fast-path-0000", "fast-path-0001", "fast-path-0002"]
