"""Embeds: the SVG badge, the iframe widget (the only framable page) and the organiser's snippets."""

import re
from html.parser import HTMLParser

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.drives import closing, operations as drives
from donation_drive.public.badges import DARK, LIGHT
from test_api_public import PASSWORD, seed_jack
from xss_payloads import PAYLOADS


@pytest.fixture
def jack(app) -> dict:
    return seed_jack(app)


def test_badge_is_a_readable_svg_with_the_count(client, jack):
    response = client.get("/d/7-for-jack/badge.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert svg.startswith("<svg xmlns=\"http://www.w3.org/2000/svg\"")
    assert 'role="img"' in svg and "<title>7 for Jack: 1 of 7 units</title>" in svg
    assert ">1 of 7 units</text>" in svg
    assert LIGHT.value_fill in svg and "prefers-color-scheme: dark" in svg
    assert "<script" not in svg


def test_the_badge_may_be_loaded_from_any_site_even_from_the_cache(client, jack):
    first, again = client.get("/d/7-for-jack/badge.svg"), client.get("/d/7-for-jack/badge.svg")
    assert first.status_code == again.status_code == 200
    assert first.headers["Access-Control-Allow-Origin"] == again.headers["Access-Control-Allow-Origin"] == "*"


def test_dark_and_light_badges_choose_their_colours(client, jack):
    dark = client.get("/d/7-for-jack/badge.svg?theme=dark").get_data(as_text=True)
    light = client.get("/d/7-for-jack/badge.svg?theme=light").get_data(as_text=True)
    assert DARK.value_fill in dark and LIGHT.value_fill not in dark
    assert LIGHT.value_fill in light and "prefers-color-scheme" not in light


def test_badge_text_is_escaped_and_long_titles_are_shortened(app, client):
    with app.app_context():
        factories.drive(factories.organiser(), 'Give <blood> & "hope" for our whole wonderful town of Leeds')
        _db.session.commit()
    slug = "give-blood-hope-for-our-whole-wonderful-town-of-leeds"
    svg = client.get(f"/d/{slug}/badge.svg").get_data(as_text=True)
    assert "<blood>" not in svg and "&lt;blood&gt;" in svg
    assert "…</text>" in svg


def test_bad_badge_requests_get_4xx(client, jack):
    assert client.get("/d/7-for-jack/badge.svg?theme=purple").status_code == 400
    assert client.get("/d/no-such-drive/badge.svg").status_code == 404


def test_only_the_embed_page_may_be_framed(client, jack):
    embed = client.get("/d/7-for-jack/embed")
    assert embed.status_code == 200
    assert "frame-ancestors *" in embed.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed.headers
    for path in ("/d/7-for-jack", "/api/v1/drives/7-for-jack", "/"):
        other = client.get(path)
        assert "frame-ancestors 'none'" in other.headers["Content-Security-Policy"], path
        assert other.headers["X-Frame-Options"] == "DENY", path


def test_a_304_of_the_embed_page_keeps_its_frame_rule(client, jack):
    etag = client.get("/d/7-for-jack/embed").headers["ETag"]
    again = client.get("/d/7-for-jack/embed", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert "frame-ancestors *" in again.headers["Content-Security-Policy"]


def test_embed_page_shows_the_count_and_opens_links_in_a_new_tab(client, jack):
    html = client.get("/d/7-for-jack/embed").get_data(as_text=True)
    assert "1 of 7 units" in html
    assert 'href="http://drive.test/d/7-for-jack" target="_blank" rel="noopener"' in html
    assert 'aria-live="polite"' in html
    assert "<style" not in html and "style=" not in html and "<script>" not in html


def test_embed_of_an_unknown_drive_is_404(client):
    assert client.get("/d/no-such-drive/embed").status_code == 404


def test_progress_page_updates_live_but_is_complete_without_javascript(client, jack):
    html = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "1 of 7 units" in html
    assert re.search(r'<p class="visually-hidden" aria-live="polite" data-live-announcer></p>', html)
    assert 'data-live-progress="/d/7-for-jack/live"' in html
    assert '<script src="/static/js/live-progress.js" defer></script>' in html


def test_the_embed_updates_live_from_its_own_parts(client, jack):
    html = client.get("/d/7-for-jack/embed").get_data(as_text=True)
    assert 'data-live-progress="/d/7-for-jack/embed/live"' in html
    assert '<script src="/static/js/live-progress.js" defer></script>' in html


def test_live_progress_script_is_served(client):
    with client.get("/static/js/live-progress.js") as response:
        script = response.get_data(as_text=True)
    assert "If-None-Match" in script and "visibilitychange" in script


def test_organiser_page_offers_badge_and_widget_snippets(app, browser, jack):
    browser.login(password=PASSWORD)
    html = browser.get("/drives/7-for-jack/advanced").get_data(as_text=True)
    assert "&lt;img src=&#34;http://drive.test/d/7-for-jack/badge.svg&#34;" in html or \
        '&lt;img src="http://drive.test/d/7-for-jack/badge.svg"' in html
    assert "&lt;iframe src=" in html and "http://drive.test/d/7-for-jack/embed" in html
    assert 'href="/account/tokens"' in html


def test_a_closed_drive_embed_says_so_without_a_join_button(app, client, jack):
    with app.app_context():
        drive = drives.public_drive("7-for-jack")
        closing.close_drive(drive, drive.organisers[0].user)
        _db.session.commit()
    html = client.get("/d/7-for-jack/embed").get_data(as_text=True)
    assert "Join this drive" not in html
    assert "This drive is closed" in html


class _Tags(HTMLParser):
    """Every start tag of a piece of HTML, with its attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = dict(attrs).get("id") if tag == "textarea" else None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.text[self._open] = self.text.get(self._open, "") + data


def _parsed(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    return parser


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_title_stays_an_attribute_value_in_the_pasted_snippets(app, browser, payload):
    title = f"Jack {payload}"
    with app.app_context():
        slug = factories.drive(factories.organiser(), title).slug
        _db.session.commit()
    browser.login(password=PASSWORD)
    page = _parsed(browser.get(f"/drives/{slug}/advanced").get_data(as_text=True))
    # What the organiser copies is the textarea's text; the other site parses it as HTML.
    badge = _parsed(page.text["badge-snippet"]).tags
    widget = _parsed(page.text["embed-snippet"]).tags
    assert [tag for tag, _ in badge] == ["a", "img"]
    assert badge[1][1]["alt"] == f"{title}: blood-donation drive progress"
    assert badge[1][1]["src"] == f"http://drive.test/d/{slug}/badge.svg"
    assert [tag for tag, _ in widget] == ["iframe"]
    assert widget[0][1]["title"] == f"{title}: blood-donation drive progress"
    assert set(widget[0][1]) == {"src", "title", "width", "height", "loading"}
