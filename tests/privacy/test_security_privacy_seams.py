"""Privacy at the seams: a name shows as its owner chose everywhere others see it; erasure
leaves no row or log line naming the friend; an edited honoree leaves no stale copy; a
removed cover photo stops being served; only the friend decides whether their name shows;
pages with personal data are never stored by a cache."""

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.models import Drive, Participant, User
from donation_drive.public import photos
from smtp_sink import smtp_server  # noqa: F401
from test_journeys import create_drive, invite_path, new_drive_form, report, sign_up
from test_organiser_tools_story import photo_url, upload
from test_organiser_tools_visits import propose, take_place

SOON = (today() + timedelta(days=5)).isoformat()


def _signed_up_pair(browser) -> tuple[str, list[str], str]:
    """A drive with a visit; Quentin chose initials, Paula anonymity; both took a place."""
    browser.register()
    page = create_drive(browser)
    assert propose(browser, page).status_code == 302
    invite = invite_path(browser, page)
    browser.logout()
    quentin = sign_up(browser, invite, "Quentin Ian Hale", email="quentin@example.org",
                      show_name="y", name_shown_as="initials")
    paula = sign_up(browser, invite, "Paula Verne", email="paula@example.org")
    html = browser.get(quentin).get_data(as_text=True)
    visit_id = re.search(r'href="/p/[\w-]+/visits/(\d+)"', html).group(1)
    for link in (quentin, paula):
        assert take_place(browser, link, visit_id).status_code == 302
        assert report(browser, link).status_code == 302
    return page, [quentin, paula], visit_id


def _surfaces(client, links: list[str], visit_id: str) -> dict[str, str]:
    """What others see: every public surface, and each friend's view of the visit."""
    urls = ["/d/7-for-jack", "/api/drives/7-for-jack", "/api/v1/drives/7-for-jack",
            "/api/v1/drives/7-for-jack/participants", "/d/7-for-jack/embed", "/d/7-for-jack/badge.svg",
            "/d/7-for-jack/drive.ics", "/", "/memorial/7-for-jack"]
    urls += [f"{link}/visits/{visit_id}" for link in links]
    urls += [f"{link}/visits/{visit_id}/visit.ics" for link in links]
    seen = {}
    for url in urls:
        response = client.get(url)
        seen[url] = response.get_data(as_text=True) if response.status_code == 200 else ""
    return seen


def test_a_name_shows_as_its_owner_chose_on_every_surface_others_see(browser, client):
    page, links, visit_id = _signed_up_pair(browser)
    browser.login()
    assert browser.submit(page, {}, action=f"{page}/anniversary").status_code == 302
    browser.logout()
    seen = _surfaces(client, links, visit_id)
    for url, body in seen.items():
        for word in ("Quentin", "Hale", "Paula", "Verne"):
            assert word not in body, f"{url} shows {word!r}"
    for url in ("/d/7-for-jack", "/api/v1/drives/7-for-jack", "/api/v1/drives/7-for-jack/participants",
                f"{links[1]}/visits/{visit_id}"):
        assert "Q. I. H." in seen[url], url
    assert "1 person not named here" in seen[f"{links[0]}/visits/{visit_id}"]


def _text_values(db) -> list[tuple[str, str, str]]:
    """Every text value in every table: (table, column, value)."""
    found = []
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, (sa.String, sa.Text))]
            for row in connection.execute(sa.select(*columns)) if columns else []:
                found += [(table.name, c.name, v) for c, v in zip(columns, row, strict=True) if isinstance(v, str)]
    return found


def test_after_a_friend_erases_their_data_no_row_or_log_line_names_them(app, smtp_server, browser, client, db):
    browser.register()
    page = create_drive(browser)
    invite = invite_path(browser, page)
    sent = browser.submit(page, {"addresses": "Paula Verne <paula@example.org>", "message": ""},
                          action=f"{page}/invitations")
    assert sent.status_code == 200 and "paula@example.org" in sent.get_data(as_text=True)
    browser.logout()
    paula = sign_up(browser, invite, "Paula Verne", email="paula@example.org", show_name="y")
    report(browser, paula)
    paula_id = db.session.scalar(db.select(Participant.id))
    db.session.rollback()
    browser.login()
    url = f"{page}/participants/{paula_id}"
    stage = browser.submit(url, {"stage-stage": "booked", "stage-booked_on": SOON,
                                 "stage-booked_place": "Central Clinic"}, action=f"{url}/stage", prefix="stage")
    assert stage.status_code == 302
    assert browser.submit(page, {"participant_id": str(paula_id), "units": "1", "donation_type": "whole_blood",
                                 "donated_on": today().isoformat()}, action=f"{page}/donations").status_code == 302
    edited = browser.submit(url, {"name": "Paula Verne", "units": "2", "donation_type": "whole_blood",
                                  "planned_on": ""})
    assert edited.status_code == 302, re.findall(r'class="field__error"[^<]*>([^<]+)', edited.get_data(as_text=True))
    assert "booked Paula Verne" in browser.get(f"{page}/settings").get_data(as_text=True)
    browser.logout()

    token = paula.rsplit("/", 1)[1]
    assert browser.submit(f"{paula}/delete", {}).status_code == 302

    traces = ("Paula", "Verne", "paula@example.org", token, "Central Clinic")
    for table, column, value in _text_values(db):
        for trace in traces:
            assert trace not in value, f"{table}.{column} still holds {trace!r}: {value!r}"
    browser.login()
    for organiser_page in (page, f"{page}/invitations", f"{page}/export/participants.csv",
                           f"{page}/export/donations.csv", f"{page}/participants/{paula_id}"):
        body = browser.get(organiser_page).get_data(as_text=True)
        for trace in traces:
            assert trace not in body, f"{organiser_page} still shows {trace!r}"
    assert "2 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_an_edited_honoree_leaves_no_stale_copy(browser, client):
    browser.register()
    start = today() - timedelta(days=2)
    dates = {"starts_on": start.isoformat(), "ends_on": (start + timedelta(days=30)).isoformat()}
    page = create_drive(browser, honoree="Jack Stanton", **dates)
    assert browser.submit(page, {}, action=f"{page}/anniversary").status_code == 302
    second = browser.submit(page, {}, action=f"{page}/anniversary/next").headers["Location"]
    assert browser.submit(f"{page}/edit", new_drive_form(honoree="J.", **dates)).status_code == 302
    browser.logout()
    for url in ("/memorial/7-for-jack", "/d/7-for-jack", f"/d/{second.rsplit('/', 1)[1]}",
                "/api/v1/drives/7-for-jack"):
        body = client.get(url).get_data(as_text=True)
        assert "Stanton" not in body, url
    assert "Every year for <bdi>J.</bdi>" in client.get(f"/d/{second.rsplit('/', 1)[1]}").get_data(as_text=True)
    assert "given in J.'s name" in client.get("/memorial/7-for-jack").get_data(as_text=True)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (0, 120, 0)).save(out, "PNG")
    return out.getvalue()


def _served(client, url: str):
    response = client.get(url)
    response.close()
    return response


@pytest.mark.parametrize("removal", ["remove", "replace", "delete drive"])
def test_a_removed_cover_photo_is_no_longer_served(app, browser, client, removal):
    browser.register()
    page = create_drive(browser)
    assert upload(browser, page, _png()).status_code == 302
    url, _alt = photo_url(client)
    served = _served(client, url)
    assert served.status_code == 200
    assert "no-cache" in served.headers["Cache-Control"] and "immutable" not in served.headers["Cache-Control"]
    assert "max-age=31536000" not in served.headers["Cache-Control"] and served.headers["ETag"]
    if removal == "remove":
        assert browser.submit(f"{page}/photo", {}, action=f"{page}/photo/remove").status_code == 302
    elif removal == "replace":
        other = io.BytesIO()
        Image.new("RGB", (300, 200), (200, 0, 0)).save(other, "PNG")
        assert upload(browser, page, other.getvalue(), alt="Red").status_code == 302
    else:
        assert browser.submit(f"{page}/delete", {"confirmation": "7 for Jack"}).status_code == 302
    assert _served(client, url).status_code == 404
    assert not (Path(app.instance_path) / "photos" / url.rsplit("/", 1)[1]).exists()


def test_a_photo_shared_by_another_round_stays_until_its_last_user_goes(app, browser, client):
    browser.register()
    start = today() - timedelta(days=2)
    page = create_drive(browser, starts_on=start.isoformat(), ends_on=(start + timedelta(days=30)).isoformat())
    assert upload(browser, page, _png()).status_code == 302
    url, _alt = photo_url(client)
    assert browser.submit(page, {}, action=f"{page}/anniversary").status_code == 302
    second = browser.submit(page, {}, action=f"{page}/anniversary/next").headers["Location"]
    assert browser.submit(f"{page}/photo", {}, action=f"{page}/photo/remove").status_code == 302
    assert _served(client, url).status_code == 200
    assert browser.submit(f"{second}/photo", {}, action=f"{second}/photo/remove").status_code == 302
    assert _served(client, url).status_code == 404


def test_a_rolled_back_removal_keeps_the_photo(app, browser, client):
    browser.register()
    page = create_drive(browser)
    assert upload(browser, page, _png()).status_code == 302
    url, _alt = photo_url(client)
    with app.test_request_context():
        drive = _db.session.scalar(_db.select(Drive))
        photos.remove_cover_photo(drive, _db.session.scalar(_db.select(User)))
        _db.session.rollback()
    assert _served(client, url).status_code == 200


def test_only_the_friend_decides_whether_their_name_shows(app, browser, db):
    browser.register()
    page = create_drive(browser)
    invite = invite_path(browser, page)
    browser.logout()
    sign_up(browser, invite, "Quentin Ian Hale")  # anonymous
    participant_id = db.session.scalar(db.select(Participant.id))
    db.session.rollback()
    browser.login()
    url = f"{page}/participants/{participant_id}"
    assert 'name="show_name"' not in browser.get(url).get_data(as_text=True)
    crafted = browser.submit(url, {"name": "Quentin Ian Hale", "units": "1", "donation_type": "whole_blood",
                                   "planned_on": "", "show_name": "y"})
    assert crafted.status_code == 302
    assert db.session.scalar(db.select(Participant.show_name)) is False
    assert "Quentin" not in app.test_client().get("/d/7-for-jack").get_data(as_text=True)


def _private_urls(browser, client) -> list[str]:
    browser.register()
    page = create_drive(browser)
    invite = invite_path(browser, page)
    link = sign_up(browser, invite, "Quentin Ian Hale", email="quentin@example.org")
    return [page, "/drives/", f"{page}/edit", f"{page}/invitations", f"{page}/participants/1",
            f"{page}/export/participants.csv", f"{page}/export/donations.csv", f"{page}/photo", f"{page}/poster",
            f"{page}/qr/invite.svg", "/account/tokens", "/account/delete", "/drives/new",
            link, f"{link}/welcome", f"{link}/pledge.ics", f"{link}/delete", "/drives/no-such-drive"]


def test_pages_with_personal_data_are_never_stored_by_a_cache(browser, client):
    for url in _private_urls(browser, client):
        response = browser.get(url)
        response.close()
        assert "no-store" in response.headers.get("Cache-Control", ""), (url, response.status_code)


def test_public_cached_views_keep_their_cache_headers(app, browser):
    browser.register()
    create_drive(browser)
    stranger = app.test_client()
    for url in ("/d/7-for-jack", "/api/drives/7-for-jack", "/d/7-for-jack/badge.svg"):
        assert stranger.get(url).headers["Cache-Control"].startswith("public, max-age="), url
