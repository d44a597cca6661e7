"""Passing the challenge on: inspired drives count in the original's ripple."""

import re

from donation_drive.models import Drive, UnitNoun
from test_journeys import create_drive, invite_path, new_drive_form, report, sign_up


def visible_text(html: str) -> str:
    """The page's words as a reader sees them: tags dropped, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_friend_passes_the_challenge_on_and_the_original_shows_the_ripple(browser, client, db):
    browser.register()
    original_page = create_drive(browser)
    invite = invite_path(browser, original_page)
    browser.logout()

    welcome = browser.get(sign_up(browser, invite, "Ana") + "/welcome").get_data(as_text=True)
    assert "Start your own drive inspired by 7 for Jack" in welcome
    start = browser.get("/d/7-for-jack/pass-it-on")
    assert start.status_code == 302 and "/auth/register?next=/d/7-for-jack/pass-it-on" in start.headers["Location"]
    registered = browser.register(name="Ana", email="ana@example.org", next="/d/7-for-jack/pass-it-on")
    assert registered.headers["Location"] == "/d/7-for-jack/pass-it-on", "confirming leads back to passing it on"
    form_page = browser.get("/d/7-for-jack/pass-it-on").get_data(as_text=True)
    assert 'value="Inspired by 7 for Jack"' in form_page

    created = browser.submit("/d/7-for-jack/pass-it-on", new_drive_form(title="7 for Jack in Lyon", place="Lyon"))
    assert created.status_code == 302
    inspired = db.session.scalar(db.select(Drive).where(Drive.title == "7 for Jack in Lyon"))
    original = db.session.scalar(db.select(Drive).where(Drive.title == "7 for Jack"))
    assert inspired.inspired_by_id == original.id

    # Units given in the inspired drive count in the original's ripple total.
    friend = sign_up(browser, invite_path(browser, created.headers["Location"]), "Luc")
    report(browser, friend, units=2, donation_type="platelets")  # one platelet donation: up to 3 units
    report(browser, sign_up(browser, invite, "Bea"))
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "1 drive started because of this one" in visible_text(page)
    assert "they have given 3 units of blood" in visible_text(page)
    assert '<a href="/d/7-for-jack-in-lyon"><bdi>7 for Jack in Lyon</bdi></a> — <bdi>Lyon</bdi>' in page
    assert "This drive was inspired by" in client.get("/d/7-for-jack-in-lyon").get_data(as_text=True)


def test_ripple_reaches_drives_inspired_by_inspired_drives_but_never_names_unlisted_ones(browser, client, db):
    browser.register()
    create_drive(browser)
    second = browser.submit("/d/7-for-jack/pass-it-on", new_drive_form(title="Second", visibility="unlisted"))
    third = browser.submit("/d/second/pass-it-on", new_drive_form(title="Third"))
    assert second.status_code == third.status_code == 302
    report(browser, sign_up(browser, invite_path(browser, third.headers["Location"]), "Cy"))
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "2 drives started because of this one" in visible_text(page)
    assert "they have given 1 unit of blood" in visible_text(page)
    assert "Second" not in page  # unlisted: counted, never named


def test_drive_without_ripple_shows_nothing_about_it(browser, client):
    browser.register()
    create_drive(browser)
    assert "The ripple" not in client.get("/d/7-for-jack").get_data(as_text=True)


def test_bad_inspired_drive_form_is_refused_and_nothing_is_created(browser, db):
    browser.register()
    create_drive(browser)
    response = browser.submit("/d/7-for-jack/pass-it-on", new_drive_form(title="", target_units="0"))
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count(Drive.id))) == 1


def test_passing_on_an_unknown_drive_is_404(browser):
    browser.register()
    assert browser.get("/d/nobody/pass-it-on").status_code == 404


def test_cached_progress_page_of_the_original_follows_its_ripple(app, browser, db):
    """A viewer with no cookies gets the shared, cached page; an inspired drive's units still show."""
    browser.register()
    create_drive(browser)
    viewer = app.test_client()
    assert "The ripple" not in viewer.get("/d/7-for-jack").get_data(as_text=True)
    created = browser.submit("/d/7-for-jack/pass-it-on", new_drive_form(title="Lyon"))
    assert "they have given 0 units" in visible_text(viewer.get("/d/7-for-jack").get_data(as_text=True))
    report(browser, sign_up(browser, invite_path(browser, created.headers["Location"]), "Luc"), units=2,
           donation_type="platelets")
    assert "they have given 2 units of blood" in visible_text(viewer.get("/d/7-for-jack").get_data(as_text=True))


def test_passing_on_a_drive_of_bags_offers_to_count_in_bags_too(browser, db):
    browser.register()
    create_drive(browser)
    db.session.scalar(db.select(Drive)).unit_noun = UnitNoun.BAGS
    db.session.commit()
    form_page = browser.get("/d/7-for-jack/pass-it-on").get_data(as_text=True)
    [bags] = re.findall(r'<input[^>]*value="bags"[^>]*>', form_page)
    assert "checked" in bags
