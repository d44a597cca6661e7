"""What a shared cache or CDN in front needs from the public views (README, "Past one machine"):
public answers it may keep briefly, no cookie of anyone's in them, Vary: Cookie, and an ETag
carrying the drive's version, so a change needs no purge, only the next revalidation."""

import re
from dataclasses import dataclass

import pytest

from donation_drive.public.caching import FRESH_COOKIE
from support import Browser
from test_api_public import seed_jack
from test_caching import CACHED_VIEWS
from test_journeys import report

PAGE = "/d/7-for-jack"


@pytest.fixture
def jack(app) -> dict:
    return seed_jack(app)


@dataclass
class Kept:
    body: bytes
    etag: str
    fresh_until: float


class SharedCache:
    """A CDN in miniature, as RFC 9111 has one behave: keeps public answers for max-age
    seconds, revalidates with If-None-Match after that, and never keeps a private answer or
    one that sets a cookie. Its clock is a number the test moves."""

    def __init__(self, client) -> None:
        self.client = client
        self.kept: dict[str, Kept] = {}
        self.sent_to_app: list[int] = []
        self.now = 0.0

    def get(self, path: str) -> bytes:
        kept = self.kept.get(path)
        if kept is not None and self.now < kept.fresh_until:
            return kept.body
        headers = {"If-None-Match": kept.etag} if kept else {}
        response = self.client.get(path, headers=headers)
        self.sent_to_app.append(response.status_code)
        control = response.headers.get("Cache-Control", "")
        max_age = int(re.search(r"max-age=(\d+)", control).group(1)) if "max-age" in control else 0
        if response.status_code == 304 and kept is not None:
            kept.fresh_until = self.now + max_age
            return kept.body
        if control.startswith("public") and "Set-Cookie" not in response.headers:
            self.kept[path] = Kept(response.data, response.headers["ETag"], self.now + max_age)
        return response.data


@pytest.mark.parametrize("path", CACHED_VIEWS)
def test_public_answers_may_be_kept_by_a_shared_cache_and_carry_no_cookie(client, jack, path):
    full = client.get(path)
    again = client.get(path)
    revalidated = client.get(path, headers={"If-None-Match": full.headers["ETag"]})
    for response in (full, again, revalidated):
        assert response.headers["Cache-Control"] == "public, max-age=15, stale-while-revalidate=30"
        assert "Set-Cookie" not in response.headers
        assert "Cookie" in response.headers["Vary"]
        assert response.headers["ETag"] == full.headers["ETag"]
    assert revalidated.status_code == 304


def test_revalidation_after_a_change_gives_the_new_answer_and_a_new_etag(app, jack):
    reader = app.test_client()
    old = reader.get(PAGE)
    reader.get(PAGE)
    assert report(Browser(app.test_client()), jack["private_link"], another=True).status_code == 302
    revalidated = reader.get(PAGE, headers={"If-None-Match": old.headers["ETag"]})
    assert revalidated.status_code == 200
    assert revalidated.headers["ETag"] != old.headers["ETag"]
    assert b"2 of 7 units" in revalidated.data


def test_the_changer_gets_private_answers_a_shared_cache_never_keeps(app, jack):
    reporter = app.test_client()
    report(Browser(reporter), jack["private_link"], another=True)
    assert reporter.get_cookie(FRESH_COOKIE, domain="drive.test") is not None
    seen = reporter.get(PAGE)
    assert seen.headers["Cache-Control"].startswith("private")
    assert "Cookie" in seen.headers["Vary"]


def test_a_shared_cache_costs_the_app_only_its_revalidations_and_needs_no_purge(app, jack):
    cdn = SharedCache(app.test_client())
    for second in range(300):  # a read every second for five minutes
        cdn.now = second
        assert b"1 of 7 units" in cdn.get(PAGE)
    # The first read, then one revalidation each time the kept answer is 15 s old: each a 304.
    assert cdn.sent_to_app[0] == 200 and set(cdn.sent_to_app[1:]) == {304}
    assert len(cdn.sent_to_app) == 20
    report(Browser(app.test_client()), jack["private_link"], another=True)
    seen = [cdn.get(PAGE) for cdn.now in range(300, 316)]
    # Nobody purged anything: within max-age the next revalidation brought the new count.
    assert b"2 of 7 units" in seen[0] and b"2 of 7 units" in seen[-1]
    assert cdn.sent_to_app[20:] == [200, 304]
