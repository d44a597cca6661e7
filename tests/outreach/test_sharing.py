"""QR codes that decode back to the links, the poster, share links and the preview image."""

import io
import re
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
import zxingcpp
from PIL import Image

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.drives import operations as drives
from donation_drive.outreach.sharing import PREVIEW_MAX_BYTES


@pytest.fixture
def drive_page(app, browser) -> str:
    """The organiser page of Sam's "7 for Jack" (made directly), Sam logged in."""
    with app.app_context():
        factories.drive(factories.organiser(), story="Seven bags for the seven used.")
        _db.session.commit()
    assert browser.login().status_code == 302
    return "/drives/7-for-jack"


def invite_link(app) -> str:
    """The drive's invite link as it is now."""
    with app.app_context():
        return f"http://drive.test/join/{drives.public_drive('7-for-jack').invite_code}"


def a_unit_reported(app) -> None:
    """Ana signs up and reports a unit (made directly): the progress changes."""
    with app.app_context():
        ana, _link = factories.participant(drives.public_drive("7-for-jack"), "Ana")
        factories.reported_donation(ana)
        _db.session.commit()


def decode_qr(png: bytes) -> str:
    [barcode] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    return barcode.text


def meta(html: str, name: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    assert match, f"no {name} meta tag"
    return match.group(1).replace("&amp;", "&")


def test_invite_qr_code_decodes_back_to_the_invite_link(app, browser, drive_page):
    response = browser.get(f"{drive_page}/qr/invite.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert decode_qr(response.data) == invite_link(app)


def test_progress_qr_code_decodes_back_to_the_progress_page(browser, drive_page):
    assert decode_qr(browser.get(f"{drive_page}/qr/progress.png").data) == "http://drive.test/d/7-for-jack"


def test_qr_codes_are_shown_on_the_organiser_page_as_svg(browser, drive_page):
    page = browser.get(f"{drive_page}/advanced").get_data(as_text=True)
    assert page.count('<svg viewBox=') >= 2
    assert "QR code for the invite link" in page and "Printable A4 poster" in page
    svg = browser.get(f"{drive_page}/qr/invite.svg")
    assert svg.mimetype == "image/svg+xml"
    assert ElementTree.fromstring(svg.data).tag == "{http://www.w3.org/2000/svg}svg"


def test_rotating_the_invite_link_changes_the_qr_code(app, browser, drive_page):
    before = decode_qr(browser.get(f"{drive_page}/qr/invite.png").data)
    browser.submit(drive_page, {}, action=f"{drive_page}/invite-link")
    after = decode_qr(browser.get(f"{drive_page}/qr/invite.png").data)
    assert before != after and after == invite_link(app)


def test_printable_poster(browser, drive_page):
    response = browser.get(f"{drive_page}/poster")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "7 for Jack" in page and "In memory of <strong><bdi>Jack</bdi></strong>" in page
    assert "Seven bags for the seven used." in page
    assert "drive.test/d/7-for-jack" in page and "<svg" in page
    assert "css/poster.css" in page


@pytest.mark.parametrize("path", ["/qr/invite.png", "/qr/progress.svg", "/poster"])
def test_strangers_get_404_and_visitors_are_sent_to_log_in(app, browser, client, drive_page, path):
    browser.logout()
    assert client.get(f"{drive_page}{path}").status_code == 302
    with app.app_context():
        factories.organiser("Stranger", "stranger@example.org")
        _db.session.commit()
    assert browser.login("stranger@example.org").status_code == 302
    assert client.get(f"{drive_page}{path}").status_code == 404


def test_unknown_qr_kind_is_404(browser, drive_page):
    assert browser.get(f"{drive_page}/qr/invite.gif").status_code == 404
    assert browser.get(f"{drive_page}/qr/other.svg").status_code == 404


def test_preview_image_is_1200_by_630_small_and_follows_the_progress(app, drive_page):
    viewer = app.test_client()  # a stranger: the organiser's own answers are private
    first = viewer.get("/d/7-for-jack/preview.png")
    assert first.status_code == 200 and first.mimetype == "image/png"
    image = Image.open(io.BytesIO(first.data))
    assert image.size == (1200, 630)
    assert len(first.data) < PREVIEW_MAX_BYTES
    assert viewer.get("/d/7-for-jack/preview.png").data == first.data
    assert viewer.get("/d/7-for-jack/preview.png", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    a_unit_reported(app)
    second = viewer.get("/d/7-for-jack/preview.png", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    assert second.data != first.data
    assert second.headers["ETag"] != first.headers["ETag"]


def test_a_closed_drive_s_preview_has_no_bar_to_fall_short_of(app, browser, drive_page):
    viewer = app.test_client()
    bar_pixel = (100, 464)  # inside the progress bar's track, left of anything filled
    open_png = viewer.get("/d/7-for-jack/preview.png").data
    assert Image.open(io.BytesIO(open_png)).convert("RGB").getpixel(bar_pixel) == (221, 214, 210)

    assert browser.submit(f"{drive_page}/close", {"closing_message": ""}).status_code == 302
    closed_png = viewer.get("/d/7-for-jack/preview.png").data
    assert closed_png != open_png
    assert Image.open(io.BytesIO(closed_png)).convert("RGB").getpixel(bar_pixel) == (250, 248, 246)


def test_preview_of_unknown_drive_is_404(client):
    assert client.get("/d/nobody/preview.png").status_code == 404


def test_progress_page_has_open_graph_and_twitter_cards_with_absolute_urls(app, client, drive_page):
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert meta(page, "og:url") == "http://drive.test/d/7-for-jack"
    assert meta(page, "og:title") == "7 for Jack"
    assert "0 of 7 units" in meta(page, "og:description")
    image = meta(page, "og:image")
    assert image.startswith("http://drive.test/d/7-for-jack/preview.png?v=")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "twitter:image") == image
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    # ?v= only makes social apps fetch again after a change; the image is cached like the page.
    fetched = client.get(image.replace("http://drive.test", ""))
    assert fetched.status_code == 200 and fetched.mimetype == "image/png"
    assert fetched.headers["Cache-Control"] == client.get("/d/7-for-jack").headers["Cache-Control"]

    a_unit_reported(app)
    assert meta(client.get("/d/7-for-jack").get_data(as_text=True), "og:image") != image


def test_share_links_are_plain_links_without_third_party_scripts(client, drive_page):
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    hrefs = re.findall(r'class="button button--small share__link[^"]*" href="([^"]+)"', page)
    hosts = {urlsplit(href.replace("&amp;", "&")).netloc or urlsplit(href).scheme for href in hrefs}
    assert hosts == {"mailto", "wa.me", "x.com", "www.facebook.com"}
    whatsapp = next(h for h in hrefs if "wa.me" in h).replace("&amp;", "&")
    assert "http://drive.test/d/7-for-jack" in parse_qs(urlsplit(whatsapp).query)["text"][0]
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert "<script>" not in page
    assert "data-copy-link hidden" in page and "data-web-share hidden" in page


def test_preview_image_is_served_even_when_it_cannot_be_cached(app, browser, client, drive_page, monkeypatch):
    from pathlib import Path

    def refuse(*_args, **_kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(Path, "write_bytes", refuse)
    response = client.get("/d/7-for-jack/preview.png")
    assert response.status_code == 200
    assert Image.open(io.BytesIO(response.data)).size == (1200, 630)
