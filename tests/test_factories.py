"""The test-data factories make what the pages then show, and their secrets open the right pages."""

import factories
from donation_drive.models import DonationType
from support import Browser
from test_organiser_tools_story import jpeg_with_gps


def test_factory_data_is_what_the_pages_show_and_each_secret_opens_its_page(app, db, client):
    sam = factories.organiser()
    jack = factories.drive(sam)
    ben, ben_link = factories.participant(jack, "Ben Hall", units=2)
    factories.participant(jack, "Cara Hidden", shown=False)
    factories.logged_donation(jack, sam, units=2, kind=DonationType.DOUBLE_RED_CELLS, participant=ben)
    factories.reported_donation(ben, units=1)
    _invitation, invite_token = factories.invitation(jack, sam, "dee@example.org", "Dee")
    _pending, confirmation = factories.pending_account("Pat Pending", "pat@example.org")
    _co_invitation, co_token = factories.co_organiser_invitation(jack, sam, "priya@example.org")
    slug, invite_code = jack.slug, jack.invite_code
    db.session.commit()

    progress = client.get(f"/d/{slug}").get_data(as_text=True)
    assert "3 of 7 units" in progress and "Ben" in progress and "Cara" not in progress
    assert "Ben Hall" in client.get(f"/p/{ben_link}").get_data(as_text=True)
    assert client.get(f"/join/{invite_code}").status_code == 200
    assert "Dee" in client.get(f"/i/{invite_token}").get_data(as_text=True)
    assert client.get(f"/auth/confirm/{confirmation}").status_code == 200
    assert client.get(f"/auth/confirm/not-{confirmation}").status_code == 410
    assert Browser(client).login().status_code == 302
    assert client.get(f"/drives/{slug}").status_code == 200
    assert "7 for Jack" in client.get(f"/drives/co-organise/{co_token}").get_data(as_text=True)


def test_the_later_factories_show_on_the_pages_and_their_secrets_open_them(app, db, client):
    sam = factories.organiser()
    jack = factories.drive(sam)
    ben, ben_link = factories.participant(jack, "Ben Hall", email="ben@example.org")
    factories.update(jack, sam, "Three of us booked.")
    visit = factories.group_visit(jack, sam, centre="Leeds Donor Centre")
    factories.cover_photo(jack, sam, jpeg_with_gps(size=(20, 20)), alt="Jack on the beach")
    _token, api_secret = factories.api_token(sam)
    reset = factories.password_reset(sam)
    report = factories.report_link_token(ben)
    slug, visit_id = jack.slug, visit.id
    db.session.commit()

    progress = client.get(f"/d/{slug}").get_data(as_text=True)
    assert "Three of us booked." in progress and 'alt="Jack on the beach"' in progress
    assert "Leeds Donor Centre" in client.get(f"/p/{ben_link}/visits/{visit_id}").get_data(as_text=True)
    mine = client.get("/api/v1/me/drives", headers={"Authorization": f"Bearer {api_secret}"})
    assert [drive["slug"] for drive in mine.get_json()["drives"]] == [slug]
    assert client.get(f"/auth/reset/{reset}").status_code == 200
    assert client.get(f"/auth/reset/not-{reset}").status_code == 410
    assert "Ben Hall" in client.get(f"/r/{report}").get_data(as_text=True)
