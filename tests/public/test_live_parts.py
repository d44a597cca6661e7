"""The live parts of a progress page and of an embed (/d/<slug>/live, /d/<slug>/embed/live):
the very parts the page shows, in its words, answered by the page's caching rules."""

import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.counting import ripple
from donation_drive.drives import closing, lifecycle, operations as drives, people
from donation_drive.models import User, Visibility
from donation_drive.public.caching import clear_caches
from support import Browser
from test_api_public import PASSWORD, seed_jack
from test_caching import Spy

PAGE, LIVE = "/d/7-for-jack", "/d/7-for-jack/live"
EMBED, EMBED_LIVE = "/d/7-for-jack/embed", "/d/7-for-jack/embed/live"
PAGE_PARTS = ["count", "board", "stages", "milestones", "names", "share", "ripple"]
#: Elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class LivePartsOf(HTMLParser):
    """Each [data-live-part] of a document, by name, as the very text the server sent."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.html = html
        self.line_starts = [0] + [at + 1 for at, character in enumerate(html) if character == "\n"]
        self.open: list[tuple[str, int, int]] = []  # name, where it starts, its depth
        self.depth = 0
        self.parts: dict[str, str] = {}
        self.feed(html)
        self.close()

    def _here(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        self.depth += 1
        name = dict(attrs).get("data-live-part")
        if name:
            self.open.append((name, self._here(), self.depth))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self.open and self.open[-1][2] == self.depth:
            name, start, _depth = self.open.pop()
            self.parts[name] = self.html[start:self.html.index(">", self._here()) + 1]
        self.depth -= 1


def parts_of(html: str) -> dict[str, str]:
    return LivePartsOf(html).parts


@pytest.fixture
def jack(app) -> dict:
    return seed_jack(app)


@pytest.fixture
def busy_jack(app, jack) -> dict:
    """"7 for Jack" with every live part showing: a booking, a deferral, a milestone, a ripple."""
    with app.app_context():
        drive = drives.public_drive("7-for-jack")
        owner = _db.session.get(User, jack["owner_id"])
        dev, _link = factories.participant(drive, "Dev Patel")
        fay, _link = factories.participant(drive, "Fay Hidden", shown=False)
        people.set_stage(drive, owner, dev, "booked", booked_on=today() + timedelta(days=2), booked_place="Leeds")
        people.set_stage(drive, owner, fay, "deferred", deferred_on=today())
        factories.logged_donation(drive, owner, 1)
        ripple.start_inspired_drive(factories.drive(owner, "Inspired by Jack"), drive)
        _db.session.commit()
    return jack


def log_units(app, units: int = 1) -> None:
    """An organiser logs units for the group, elsewhere."""
    with app.test_request_context():
        drive = drives.public_drive("7-for-jack")
        factories.logged_donation(drive, drive.organisers[0].user, units)
        _db.session.commit()
        _db.session.remove()


def test_the_live_parts_are_the_page_s_own_word_for_word(client, busy_jack):
    fragment = client.get(LIVE).get_data(as_text=True)
    page = client.get(PAGE).get_data(as_text=True)
    parts = parts_of(fragment)
    assert list(parts) == PAGE_PARTS
    assert parts == {name: part for name, part in parts_of(page).items() if name in parts}
    said = " ".join(unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
    for words in ("2 of 7 units", "1 person booked", "Thank you to the 1 person who went to donate",
                  "A quarter of the way", "Amira", "and 2 people not named here.", "2 of 7 units given",
                  "1 drive started because of this one"):
        assert words in said, words
    assert "In memory of \u2068Jack\u2069: 2 of 7 units." in unescape(parts["share"])


def test_the_embed_s_live_part_is_its_count(client, jack):
    parts = parts_of(client.get(EMBED_LIVE).get_data(as_text=True))
    assert list(parts) == ["count"]
    assert parts["count"] == parts_of(client.get(EMBED).get_data(as_text=True))["count"]
    assert 'id="embed-progress"' in parts["count"]


def test_the_count_says_what_to_announce_when_it_moves(app, client, jack):
    assert 'data-live-announce="Updated: 1 of 7 units."' in client.get(LIVE).get_data(as_text=True)
    log_units(app, 6)
    reached = client.get(LIVE).get_data(as_text=True)
    assert 'data-live-announce="Updated: 7 of 7 units — target reached."' in reached


@pytest.mark.parametrize("path", [LIVE, EMBED_LIVE])
def test_a_live_part_is_no_page_to_index_and_holds_no_script_or_style(client, jack, path):
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert html.startswith("<!doctype html>") and '<meta name="robots" content="noindex">' in html
    assert "<script" not in html and "<style" not in html and "style=" not in html
    again = client.get(path, headers={"If-None-Match": response.headers["ETag"]})
    remembered = client.get(path)
    for answer in (response, again, remembered):
        assert answer.headers["X-Robots-Tag"] == "noindex"
    assert again.status_code == 304


@pytest.mark.parametrize(("page", "live"), [(PAGE, LIVE), (EMBED, EMBED_LIVE)])
def test_a_live_part_is_cached_by_the_rules_of_its_page(app, client, jack, page, live):
    before = {path: client.get(path) for path in (page, live)}
    for header in ("Cache-Control", "Last-Modified", "Vary"):
        assert before[live].headers[header] == before[page].headers[header], header
    etag = before[live].headers["ETag"]
    assert etag.startswith('"') and etag != before[page].headers["ETag"]
    with Spy(app) as spy:
        unchanged = client.get(live, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert spy.statements_for_the_answer == [] and spy.templates == []

    log_units(app)
    after = {path: client.get(path, headers={"If-None-Match": before[path].headers["ETag"]}) for path in (page, live)}
    assert after[page].status_code == after[live].status_code == 200
    assert after[page].headers["ETag"] != before[page].headers["ETag"]
    assert after[live].headers["ETag"] != etag
    assert "2 of 7 units" in after[live].get_data(as_text=True)


def test_a_logged_in_organiser_gets_private_live_parts(app, jack):
    organiser = Browser(app.test_client())
    organiser.login(password=PASSWORD)
    anonymous = app.test_client().get(LIVE)
    mine = organiser.get(LIVE)
    assert mine.headers["Cache-Control"] == "private, no-cache"
    assert mine.headers["ETag"] != anonymous.headers["ETag"]


@pytest.mark.parametrize("path", ["/d/no-such-drive/live", "/d/no-such-drive/embed/live", "/d/Not-A-Slug/live"])
def test_an_unknown_drive_has_no_live_parts(client, jack, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "no drive at this address" in response.get_data(as_text=True)


def test_a_deleted_drive_s_live_parts_go_with_its_page(app, client, jack):
    assert client.get(LIVE).status_code == 200
    with app.test_request_context():
        lifecycle.delete_drive(drives.public_drive("7-for-jack"), "7 for Jack")
        _db.session.commit()
    for path in (PAGE, LIVE, EMBED_LIVE):
        assert client.get(path).status_code == 404, path


def test_closed_and_unlisted_drives_have_live_parts_as_they_have_pages(app, client, jack):
    with app.test_request_context():
        drive = drives.public_drive("7-for-jack")
        closing.close_drive(drive, drive.organisers[0].user)
        quiet = factories.drive(drive.organisers[0].user, "Quiet drive", visibility=Visibility.UNLISTED)
        _db.session.commit()
        quiet_slug = quiet.slug
    assert "1 of 7 units" in client.get(LIVE).get_data(as_text=True)
    assert client.get(f"/d/{quiet_slug}").status_code == client.get(f"/d/{quiet_slug}/live").status_code == 200


def test_looking_for_news_is_not_a_progress_page_view(app, jack):
    browser = Browser(app.test_client())
    browser.client.get(PAGE)
    for _ in range(3):
        browser.client.get(LIVE)
        browser.client.get(EMBED_LIVE)
    browser.login(password=PASSWORD)
    assert "1 progress-page view," in browser.get("/drives/7-for-jack").get_data(as_text=True)


def test_the_live_parts_read_less_than_the_page(app, busy_jack):
    """The parts read only what they show: never more SQL than the page they come from."""
    client = app.test_client()
    statements = {}
    for path in (PAGE, LIVE, EMBED, EMBED_LIVE):
        clear_caches(app)
        with Spy(app) as spy:
            assert client.get(path).status_code == 200
        statements[path] = len(spy.statements_for_the_answer)
    assert statements[LIVE] < statements[PAGE], statements
    assert statements[EMBED_LIVE] <= statements[EMBED], statements
