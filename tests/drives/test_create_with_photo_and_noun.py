"""Starting a drive with its cover photo, and in its own noun ("bags"), from the new-drive form."""

import io
import re

from PIL import ExifTags, Image
from werkzeug.datastructures import FileStorage

from donation_drive.models import Drive, DriveSettings, UnitNoun
from donation_drive.public import photos
from support import csrf_token
from test_journeys import create_drive, new_drive_form
from test_organiser_tools_story import jpeg_with_gps, post_multipart


def with_photo(data: bytes, alt: str = "Jack on the beach", filename: str = "jack.jpg", **overrides) -> dict:
    return {**new_drive_form(**overrides), "photo": FileStorage(io.BytesIO(data), filename), "photo_alt": alt}


def test_organiser_adds_the_photo_while_creating_the_drive(browser, client, db):
    browser.register()
    form = browser.get("/drives/new").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form
    assert '<input accept="image/jpeg,image/png,image/webp"' in form and 'name="photo"' in form

    created = browser.submit("/drives/new", with_photo(jpeg_with_gps()))
    assert created.status_code == 302, created.get_data(as_text=True)
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    match = re.search(r'<img class="cover__image" src="(/photos/[0-9a-f]{64}\.jpg)" alt="Jack on the beach">', page)
    assert match and page.index("cover__image") < page.index("heading__honoree")  # the photo heads the page
    served = client.get(match.group(1))
    stored = Image.open(io.BytesIO(served.get_data()))
    served.close()
    assert max(stored.size) == photos.STORED_MAX_SIDE and not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_a_drive_created_without_a_photo_has_none(browser, client, db):
    browser.register()
    create_drive(browser)
    settings = db.session.scalar(db.select(DriveSettings))
    assert settings is None or settings.cover_photo is None
    assert "cover__image" not in client.get("/d/7-for-jack").get_data(as_text=True)


def test_a_file_that_is_no_photo_creates_nothing_and_says_why(browser, db, unchanged):
    browser.register()
    with unchanged():
        refused = browser.submit("/drives/new", with_photo(b"%PDF-1.4 not a photo", filename="jack.jpg"))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert '<p class="field__error" id="photo-error"><span>That file isn&#39;t a JPEG, PNG or WebP photo.' in html
    assert 'value="7 for Jack"' in html  # what was typed stays
    assert db.session.scalar(db.select(db.func.count(Drive.id))) == 0


def test_a_photo_without_its_description_creates_nothing(browser, db, unchanged):
    browser.register()
    with unchanged():
        refused = browser.submit("/drives/new", with_photo(jpeg_with_gps(size=(40, 30)), alt=""))
    assert refused.status_code == 422
    assert "Please describe the photo for people who can&#39;t see it." in refused.get_data(as_text=True)


def test_a_photo_over_the_limit_is_refused_before_anything_is_made(browser, db, unchanged):
    browser.register()
    token = csrf_token(browser.get("/drives/new").get_data(as_text=True))

    def send(size: int):
        return post_multipart(browser.client, "/drives/new", {
            **with_photo(b"\xff" * size), "csrf_token": token})

    with unchanged():
        refused, far_too_big = send(photos.PHOTO_MAX_BYTES + 1), send(photos.UPLOAD_MAX_BYTES + 1)
    assert refused.status_code == 422
    assert str(photos.TOO_BIG) in refused.get_data(as_text=True)
    assert far_too_big.status_code == 413


def test_the_photo_form_keeps_its_csrf_check_and_takes_a_file_only_as_the_photo(browser, db, unchanged):
    browser.register()
    token = csrf_token(browser.get("/drives/new").get_data(as_text=True))
    with unchanged():
        no_token = post_multipart(browser.client, "/drives/new", {
            **new_drive_form(), "photo": FileStorage(io.BytesIO(jpeg_with_gps(size=(40, 30))), "jack.jpg"),
            "photo_alt": "Jack"})
        stray = post_multipart(browser.client, "/drives/new", {
            **new_drive_form(), "csrf_token": token, "title": FileStorage(io.BytesIO(b"x"), "title.txt")})
    assert no_token.status_code == 400
    assert stray.status_code == 400


def test_organiser_chooses_bags_and_the_page_counts_bags(browser, client, db):
    browser.register()
    form = browser.get("/drives/new").get_data(as_text=True)
    assert re.search(r'<input checked id="unit_noun-\d" name="unit_noun" type="radio" value="units">', form)
    page = create_drive(browser, unit_noun="bags")
    assert db.session.scalar(db.select(Drive.unit_noun)) is UnitNoun.BAGS
    assert "0 of 7 bags" in client.get("/d/7-for-jack").get_data(as_text=True)

    edit = browser.get(f"{page}/edit").get_data(as_text=True)
    assert re.search(r'<input checked id="unit_noun-\d" name="unit_noun" type="radio" value="bags">', edit)
    assert browser.submit(f"{page}/edit", new_drive_form(unit_noun="donations")).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Drive.unit_noun)) is UnitNoun.DONATIONS
    # A form that doesn't send the choice leaves it as it was.
    assert browser.submit(f"{page}/edit", new_drive_form()).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Drive.unit_noun)) is UnitNoun.DONATIONS


def test_a_noun_that_is_no_choice_is_refused(browser, db, unchanged):
    browser.register()
    with unchanged():
        refused = browser.submit("/drives/new", new_drive_form(unit_noun="litres"))
    assert refused.status_code == 422
    assert '<p class="field__error" id="unit_noun-error"><span>Please choose one of the options.' in refused.get_data(as_text=True)
