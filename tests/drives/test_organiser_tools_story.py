"""The story as safe Markdown, and the cover photo: real type checked, re-encoded, no EXIF."""

import io
import math
import re
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from donation_drive.models import DriveSettings
from donation_drive.public import photos
from support import csrf_token
from test_journeys import create_drive, invite_path, new_drive_form

DANGEROUS_STORY = """Jack loved the **sea**.

<script>alert('story')</script>

[Read more](https://example.org/jack) and [click](javascript:alert('link'))
<iframe src="https://evil.example/"></iframe>
<a href="javascript:alert('raw')" onclick="alert('raw')">raw link</a>
<img src=x onerror="alert('img')">
"""


def test_markdown_story_renders_without_script_iframe_or_javascript_links(browser, client):
    browser.register()
    page = create_drive(browser)
    saved = browser.submit(f"{page}/edit", new_drive_form(story=DANGEROUS_STORY))
    assert saved.status_code == 302
    invite = invite_path(browser, page)
    for url in ("/d/7-for-jack", invite):
        html = client.get(url).get_data(as_text=True)
        assert "<strong>sea</strong>" in html
        assert '<a href="https://example.org/jack" rel="nofollow noopener">Read more</a>' in html
        for forbidden in ("alert(", "<iframe", "javascript:", "onerror", "onclick", "<img src=x"):
            assert forbidden not in html, forbidden


def jpeg_with_gps(size=(2400, 1800), colour=(200, 30, 30)) -> bytes:
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 30.0, 0.0),
        ExifTags.GPS.GPSLongitudeRef: "W",
        ExifTags.GPS.GPSLongitude: (0.0, 7.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def post_multipart(client, url: str, form: dict):
    """POST a multipart body built up front (the test client would leave a large one's
    temporary file open when the app refuses it unread)."""
    boundary, body = encode_multipart(form)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def upload(browser, page: str, data: bytes | None, filename: str = "photo.jpg", alt: str = "Jack on the beach"):
    token = csrf_token(browser.get(f"{page}/photo").get_data(as_text=True))
    form = {"photo-csrf_token": token, "photo-alt": alt}
    if data is not None:
        form["photo-photo"] = FileStorage(io.BytesIO(data), filename)
    return post_multipart(browser.client, f"{page}/photo", form)


def photo_url(client) -> str:
    html = client.get("/d/7-for-jack").get_data(as_text=True)
    match = re.search(r'<img class="cover__image" src="(/photos/[0-9a-f]{64}\.jpg)" alt="([^"]*)"', html)
    assert match, "no cover photo on the progress page"
    return match.group(1), match.group(2)


def test_uploaded_photo_comes_back_smaller_and_without_gps(browser, client):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    browser.register()
    page = create_drive(browser)
    response = upload(browser, page, original)
    assert response.status_code == 302

    url, alt = photo_url(client)
    assert alt == "Jack on the beach"
    served = client.get(url)
    data = served.get_data()
    served.close()  # the file is streamed; let go of it
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    cache = served.headers["Cache-Control"]
    assert cache == "public, no-cache" and served.headers["ETag"]
    image = Image.open(io.BytesIO(data))
    assert max(image.size) == 1600
    assert len(image.getexif()) == 0
    assert b"Exif" not in data and b"PhoneMaker" not in data


def test_replacing_the_photo_changes_its_url(browser, client):
    browser.register()
    page = create_drive(browser)
    upload(browser, page, jpeg_with_gps(colour=(10, 10, 200)))
    first, _ = photo_url(client)
    png = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 200, 0, 128)).save(png, "PNG")
    assert upload(browser, page, png.getvalue(), "new.png", alt="A green field").status_code == 302
    second, alt = photo_url(client)
    assert second != first and alt == "A green field"


def test_webp_is_accepted(browser, client):
    browser.register()
    page = create_drive(browser)
    webp = io.BytesIO()
    Image.new("RGB", (64, 64), "blue").save(webp, "WEBP")
    assert upload(browser, page, webp.getvalue(), "a.webp").status_code == 302
    photo_url(client)


def test_text_file_named_jpg_is_refused(browser, db, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        response = upload(browser, page, b"just some text, not a photo\n" * 10, "holiday.jpg")
    assert response.status_code == 422
    assert "isn&#39;t a JPEG, PNG or WebP photo" in response.get_data(as_text=True)


def test_other_image_types_are_refused(browser, unchanged):
    browser.register()
    page = create_drive(browser)
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    with unchanged():
        response = upload(browser, page, gif.getvalue(), "a.jpg")
    assert response.status_code == 422


def test_decompression_bomb_is_refused(browser, unchanged):
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, "PNG")  # 100 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 100_000
    browser.register()
    page = create_drive(browser)
    with unchanged():
        response = upload(browser, page, bomb.getvalue(), "bomb.png")
    assert response.status_code == 422
    assert "too many pixels" in response.get_data(as_text=True)


def test_oversized_upload_is_refused_with_the_limit(browser, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        response = upload(browser, page, b"\xff\xd8\xff" + b"0" * (9 * 1024 * 1024), "huge.jpg")
    assert response.status_code == 413
    assert "under 8 MB" in response.get_data(as_text=True)


def test_photo_needs_a_text_alternative_and_a_file(browser, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        no_alt = upload(browser, page, jpeg_with_gps(size=(50, 50)), alt="")
        no_file = upload(browser, page, None)
    assert no_alt.status_code == 422
    assert "describe the photo" in no_alt.get_data(as_text=True)
    assert no_file.status_code == 422
    assert "choose a photo" in no_file.get_data(as_text=True)


def test_photo_upload_without_csrf_token_is_refused(browser, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        response = post_multipart(browser.client, f"{page}/photo", {
            "photo-alt": "x", "photo-photo": FileStorage(io.BytesIO(jpeg_with_gps(size=(20, 20))), "a.jpg")})
    assert response.status_code == 400


def test_removing_the_photo_and_strangers(browser, client, db):
    browser.register()
    page = create_drive(browser)
    upload(browser, page, jpeg_with_gps(size=(40, 40)))
    _url, _ = photo_url(client)
    browser.logout()
    browser.register(name="Stranger", email="stranger@example.org")
    assert browser.get(f"{page}/photo").status_code == 404
    browser.logout()
    browser.login()
    assert browser.submit(f"{page}/photo", {}, action=f"{page}/photo/remove").status_code == 302
    assert "cover__image" not in client.get("/d/7-for-jack").get_data(as_text=True)
    assert db.session.scalar(db.select(DriveSettings.cover_photo)) is None
    assert client.get("/photos/../secret_key").status_code == 404
    assert client.get("/photos/" + "0" * 64 + ".jpg").status_code == 404


def stored_photos(app) -> list[str]:
    folder = Path(app.instance_path) / "photos"
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("kind, cap", sorted(photos.MAX_PIXELS.items()))
def test_a_photo_over_the_pixel_cap_is_refused_beside_the_field_before_decoding(app, browser, unchanged, kind, cap):
    """The cap is read from the file's header: a small file that would decode huge is never decoded."""
    side = math.isqrt(cap) + 1
    big = io.BytesIO()
    Image.new("L", (side, side)).save(big, kind)
    browser.register()
    page = create_drive(browser)
    with unchanged():
        response = upload(browser, page, big.getvalue(), f"big.{kind.lower()}")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    message = re.search(r'id="photo-photo-error">(.*?)</p>', html, re.S)
    assert message and f"{side} × {side} pixels" in message.group(1)
    assert f"at most {cap // 1_000_000} megapixels" in message.group(1)
    assert stored_photos(app) == []


@pytest.mark.parametrize("kind, cap", sorted(photos.MAX_PIXELS.items()))
def test_a_photo_at_the_pixel_cap_is_accepted(app, browser, client, kind, cap):
    width = math.isqrt(cap)
    at_cap = io.BytesIO()
    Image.new("RGB", (width, cap // width), "green").save(at_cap, kind)
    browser.register()
    page = create_drive(browser)
    assert upload(browser, page, at_cap.getvalue(), f"big.{kind.lower()}").status_code == 302
    served = client.get(photo_url(client)[0])
    assert max(Image.open(io.BytesIO(served.get_data())).size) == 1600
    served.close()


def test_photo_uploads_are_rate_limited(app, browser, db, unchanged):
    app.config["RATELIMIT_PHOTO_UPLOAD"] = "2 per hour"
    browser.register()
    page = create_drive(browser)
    assert upload(browser, page, jpeg_with_gps(size=(40, 30))).status_code == 302
    assert upload(browser, page, b"not a photo").status_code == 422  # a refused upload was decoded too
    with unchanged():
        response = upload(browser, page, jpeg_with_gps(size=(40, 30), colour=(0, 0, 0)))
    assert response.status_code == 429
    assert "too many times" in response.get_data(as_text=True)
    assert len(stored_photos(app)) == 1
