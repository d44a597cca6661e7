"""The organiser's side: creating and editing drives, logging and checking units, closing."""

from datetime import timedelta

import pytest

import factories
from donation_drive.core.rules import today
from donation_drive.models import Donation, DonationStatus, Drive, DriveOrganiser, OrganiserRole, Participant
from test_journeys import create_drive, invite_path, new_drive_form, report, sign_up


@pytest.fixture
def organiser(browser, db):
    """Sam, logged in; the account is made directly (registering is tested in test_auth.py)."""
    factories.organiser()
    db.session.commit()
    assert browser.login().status_code == 302
    return browser


def log_units(browser, organiser_page: str, **overrides):
    form = {"participant_id": "0", "units": "7", "donation_type": "whole_blood",
            "donated_on": today().isoformat()}
    form.update(overrides)
    return browser.submit(organiser_page, form, action=f"{organiser_page}/donations")


def test_logged_out_visitors_are_sent_to_log_in(client):
    response = client.get("/drives/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")


def test_dashboard_lists_my_drives_with_their_progress(organiser):
    create_drive(organiser)
    create_drive(organiser, title="Blood for Ana", target_units="20")
    page = organiser.get("/drives/").get_data(as_text=True)
    assert "7 for Jack" in page and "0 of 7 units" in page
    assert "Blood for Ana" in page and "0 of 20 units" in page


def test_creator_is_the_owner(organiser, db):
    create_drive(organiser)
    link = db.session.scalar(db.select(DriveOrganiser))
    assert link.role is OrganiserRole.OWNER


def test_same_title_gets_a_new_slug(organiser):
    assert create_drive(organiser) == "/drives/7-for-jack"
    assert create_drive(organiser) == "/drives/7-for-jack-2"


def test_a_drive_called_new_does_not_hide_the_new_drive_form(organiser):
    assert create_drive(organiser, title="New") == "/drives/new-2"
    assert "Start a drive" in organiser.get("/drives/new").get_data(as_text=True)


def test_new_drive_form_has_the_promised_labels(organiser):
    page = organiser.get("/drives/new").get_data(as_text=True)
    for label in ("Title", "Dedication", "Name of the person", "Story", "Target units", "Start date", "End date"):
        assert label in page
    assert 'type="date"' in page


def test_invite_code_is_long_and_random(organiser, db):
    create_drive(organiser)
    create_drive(organiser)
    codes = db.session.scalars(db.select(Drive.invite_code)).all()
    assert len(set(codes)) == 2
    assert all(len(code) >= 22 for code in codes)  # 16 random bytes, base64url


def test_edit_keeps_the_slug_and_changes_the_page(organiser, client):
    page = create_drive(organiser)
    response = organiser.submit(f"{page}/edit", new_drive_form(title="Seven for Jack", target_units="10"))
    assert response.status_code == 302
    public = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "Seven for Jack" in public and "0 of 10 units" in public


BAD_DRIVES = [
    ({"title": ""}, "Please give the drive a title."),
    ({"title": "x" * 121}, "under 120 characters"),
    ({"honoree": ""}, "Please enter a name."),
    ({"story": "x" * 5001}, "under 5,000 characters"),
    ({"target_units": "0"}, "from 1 to 10,000"),
    ({"target_units": "-3"}, "from 1 to 10,000"),
    ({"target_units": "100000000000000000000"}, "from 1 to 10,000"),
    ({"target_units": "seven"}, "whole number"),
    ({"target_units": ""}, "Please set a target."),
    ({"starts_on": "2026-02-30"}, "real date"),
    ({"ends_on": "next week"}, "real date"),
    ({"ends_on": ""}, "Please enter a date."),
    ({"dedication": "in_spite_of"}, "Please choose one of the options."),
    ({"visibility": "secret"}, "Please choose one of the options."),
    ({"place": "x" * 121}, "under 120 characters"),
]


@pytest.mark.parametrize(("override", "message"), BAD_DRIVES)
def test_bad_drive_input_is_refused_beside_the_field(organiser, unchanged, override, message):
    with unchanged():
        response = organiser.submit("/drives/new", new_drive_form(**override))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page or "field--error" in page


def test_end_before_start_is_refused(organiser, unchanged):
    start = today()
    with unchanged():
        response = organiser.submit(
            "/drives/new",
            new_drive_form(starts_on=start.isoformat(), ends_on=(start - timedelta(days=1)).isoformat()),
        )
    assert response.status_code == 422
    assert "end date must be on or after the start date" in response.get_data(as_text=True)


def test_a_drive_longer_than_three_years_is_refused(organiser, unchanged):
    start = today()
    with unchanged():
        response = organiser.submit(
            "/drives/new", new_drive_form(ends_on=(start + timedelta(days=4 * 365)).isoformat())
        )
    assert response.status_code == 422


def test_values_are_kept_after_an_error(organiser):
    response = organiser.submit("/drives/new", new_drive_form(target_units="0", story="Our story"))
    page = response.get_data(as_text=True)
    assert 'value="7 for Jack"' in page
    assert "Our story" in page


def test_organiser_logs_units_for_the_group(organiser, client, db):
    page = create_drive(organiser)
    assert log_units(organiser, page).status_code == 302
    donation = db.session.scalar(db.select(Donation))
    assert donation.status is DonationStatus.CONFIRMED and donation.participant_id is None
    assert "7 of 7 units — target reached" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_organiser_logs_units_for_one_participant(organiser, db):
    page = create_drive(organiser)
    invite = invite_path(organiser, page)
    sign_up(organiser, invite, "Amira")
    participant_id = db.session.scalar(db.select(Participant.id))
    response = log_units(organiser, page, participant_id=str(participant_id), units="1")
    assert response.status_code == 302
    donation = db.session.scalar(db.select(Donation))
    assert donation.participant.name == "Amira"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"units": "0"}, "from 1 to 1000"),
        ({"units": "1001"}, "from 1 to 1000"),
        ({"units": "-1"}, "from 1 to 1000"),
        ({"units": "1.5"}, "whole number"),
        ({"donated_on": (today() + timedelta(days=1)).isoformat()}, "can&#39;t be in the future"),
        ({"donated_on": (today() - timedelta(days=1)).isoformat()}, "pick that day or a later one"),
        ({"donated_on": "31/12/2026"}, "real date"),
        ({"donation_type": "lemonade"}, "Please choose one of the options."),
        ({"participant_id": "999"}, "Please choose one of the options."),
        ({"participant_id": "abc"}, "Please choose one of the options."),
    ],
)
def test_bad_logged_units_are_refused(organiser, unchanged, override, message):
    page = create_drive(organiser)
    with unchanged():
        response = log_units(organiser, page, **override)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_organiser_confirms_and_rejects_reported_donations(organiser, client, db):
    page = create_drive(organiser)
    invite = invite_path(organiser, page)
    first = sign_up(organiser, invite, "Amira")
    second = sign_up(organiser, invite, "Ben")
    report(organiser, first)
    report(organiser, second)
    assert "2 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)
    ids = db.session.scalars(db.select(Donation.id).order_by(Donation.id)).all()

    organiser.submit(page, {}, action=f"{page}/donations/{ids[0]}/confirm")
    organiser.submit(page, {}, action=f"{page}/donations/{ids[1]}/reject")

    db.session.expire_all()
    statuses = db.session.scalars(db.select(Donation.status).order_by(Donation.id)).all()
    assert statuses == [DonationStatus.CONFIRMED, DonationStatus.REJECTED]
    assert "1 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)


@pytest.mark.parametrize("donation_id", [2**31, 2**63, 10**30])
def test_a_donation_id_larger_than_the_database_holds_is_not_found(organiser, unchanged, donation_id):
    """Such ids used to reach the database and crash the lookup (500) on SQLite and PostgreSQL."""
    page = create_drive(organiser)
    with unchanged():
        assert organiser.submit(page, {}, action=f"{page}/donations/{donation_id}/confirm").status_code == 404


def test_closing_keeps_the_page_and_stops_sign_ups_and_reports(organiser, client):
    page = create_drive(organiser)
    invite = invite_path(organiser, page)
    friend = sign_up(organiser, invite, "Amira")
    assert organiser.submit(page, {}, action=f"{page}/close").status_code == 302

    public = client.get("/d/7-for-jack")
    assert public.status_code == 200
    assert "Give blood in memory of Jack" in public.get_data(as_text=True)  # its memorial
    join = organiser.get(invite).get_data(as_text=True)
    assert "This drive has closed" in join and "Its page is now a memorial in memory of <bdi>Jack</bdi>" in join
    assert "Join this drive" not in join and "% of the target" not in join  # no form, no shortfall
    assert report(organiser, friend).status_code == 422
    assert log_units(organiser, page).status_code == 422

    organiser.submit(page, {}, action=f"{page}/reopen")
    assert "Join this drive" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_rotated_invite_link_joins_nobody(organiser, unchanged):
    page = create_drive(organiser)
    old_invite = invite_path(organiser, page)
    organiser.submit(page, {}, action=f"{page}/invite-link")
    new_invite = invite_path(organiser, page)
    assert new_invite != old_invite
    response = organiser.get(old_invite)
    assert response.status_code == 410
    assert "changed this drive&#39;s invite link" in response.get_data(as_text=True)
    with unchanged():
        late = organiser.post(old_invite, {"name": "Late"}, token_page=page)
    assert late.status_code == 410
    assert "changed this drive&#39;s invite link" in late.get_data(as_text=True)
    assert organiser.get(new_invite).status_code == 200


class TestStrangers:
    """Someone who doesn't organise a drive sees 404 for every part of it."""

    @pytest.fixture
    def stranger(self, browser, db):
        factories.drive(factories.organiser(), starts_on=today())
        factories.organiser("Mallory", "mallory@example.org")
        db.session.commit()
        assert browser.login("mallory@example.org").status_code == 302
        return browser

    @pytest.mark.parametrize("path", ["/drives/7-for-jack", "/drives/7-for-jack/edit"])
    def test_stranger_cannot_see_organiser_pages(self, stranger, path):
        assert stranger.get(path).status_code == 404

    @pytest.mark.parametrize(
        "action", ["donations", "close", "reopen", "invite-link", "donations/1/confirm", "donations/1/reject"]
    )
    def test_stranger_cannot_change_the_drive(self, stranger, unchanged, action):
        with unchanged():
            response = stranger.submit("/drives/", {}, action=f"/drives/7-for-jack/{action}")
        assert response.status_code == 404

    def test_stranger_does_not_see_it_on_their_dashboard(self, stranger):
        assert "7 for Jack" not in stranger.get("/drives/").get_data(as_text=True)


def test_a_drive_that_has_already_ended_is_refused_beside_its_end_date(organiser, unchanged):
    yesterday = today() - timedelta(days=1)
    with unchanged():
        response = organiser.submit("/drives/new", new_drive_form(starts_on=(yesterday - timedelta(days=7)).isoformat(),
                                                                  ends_on=yesterday.isoformat()))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The end date has already passed" in page
    assert "Your drive is ready" not in page


def test_the_new_drive_form_suggests_an_end_date_four_weeks_ahead(organiser):
    page = organiser.get("/drives/new").get_data(as_text=True)
    assert f'value="{(today() + timedelta(days=28)).isoformat()}"' in page


def test_an_open_drive_cannot_be_edited_to_end_in_the_past(organiser, db, unchanged):
    page = create_drive(organiser, starts_on=(today() - timedelta(days=5)).isoformat())
    with unchanged():
        response = organiser.submit(f"{page}/edit", new_drive_form(
            starts_on=(today() - timedelta(days=5)).isoformat(), ends_on=(today() - timedelta(days=1)).isoformat()))
    assert response.status_code == 422
    assert "To stop it now, close the drive." in response.get_data(as_text=True)


def test_an_ended_drive_keeps_its_dates_when_its_story_is_edited(organiser, db):
    start = today() - timedelta(days=10)
    page = create_drive(organiser, starts_on=start.isoformat())
    drive = db.session.scalar(db.select(Drive))
    drive.ends_on = today() - timedelta(days=1)  # it ran its course (the form rightly refuses past dates)
    db.session.commit()
    response = organiser.submit(f"{page}/edit", new_drive_form(
        starts_on=start.isoformat(), ends_on=(today() - timedelta(days=1)).isoformat(), story="We gave 7."))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(db.select(Drive.story)) == "We gave 7."
