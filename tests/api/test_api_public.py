"""The public JSON API: a drive's progress and its shown participants, and its errors."""

import re
from datetime import timedelta
from html import unescape

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.drives import operations as drives
from donation_drive.models import DonationType, Participant, User
from donation_drive.participation import operations as participation

ALIAS_FIELDS = {
    "slug", "title", "dedication", "honoree", "target_units", "units_donated", "units_pledged",
    "participant_count", "percent", "target_reached", "summary", "status", "starts_on", "ends_on",
    "place", "url",
}


PASSWORD = factories.PASSWORD
#: Still imported under these names by test_counting.py, test_public.py and test_query_counts.py.
seed_organiser, seed_drive = factories.organiser, factories.drive


def seed_jack(app) -> dict:
    """"7 for Jack" with three friends, two of whom agreed to be shown, and one unit reported."""
    with app.app_context():
        owner = factories.organiser()
        drive = factories.drive(owner)
        amira, amira_link = factories.participant(drive, "Amira Haddad", email="amira@example.org")
        factories.participant(drive, "Ben Okafor", email="ben@example.org", shown=False)
        factories.participant(drive, "Chloe Martin")
        reported = factories.reported_donation(amira)
        found = {"drive_id": drive.id, "owner_id": owner.id, "reported_id": reported.id,
                 "amira_id": amira.id, "private_link": f"/p/{amira_link}"}
        _db.session.commit()
    return found


@pytest.fixture
def jack(app) -> dict:
    return seed_jack(app)


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert set(error) == {"code", "reason", "message", "fields"}
    assert error["code"] == status and error["reason"] == code and error["message"]
    return error


def test_the_original_drive_json_keeps_its_fields(client, jack):
    body = client.get("/api/drives/7-for-jack").get_json()
    assert set(body) == ALIAS_FIELDS
    assert body["units_donated"] == 1 and body["participant_count"] == 3
    assert body["summary"] == "1 of 7 units"
    assert body["url"] == "http://drive.test/d/7-for-jack"


def test_version_1_says_the_same_and_links_the_rest(client, jack):
    alias = client.get("/api/drives/7-for-jack").get_json()
    body = client.get("/api/v1/drives/7-for-jack").get_json()
    assert {key: body[key] for key in ALIAS_FIELDS} == alias
    assert body["links"]["badge"] == "http://drive.test/d/7-for-jack/badge.svg"
    assert body["links"]["embed"] == "http://drive.test/d/7-for-jack/embed"
    assert body["changed_at"].endswith("+00:00")


def test_no_email_or_secret_in_any_public_answer(client, jack):
    for path in ("/api/drives/7-for-jack", "/api/v1/drives/7-for-jack",
                 "/api/v1/drives/7-for-jack/participants?per_page=100"):
        text = client.get(path).get_data(as_text=True)
        assert "@example.org" not in text
        assert "/join/" not in text and "/p/" not in text


def _names_on_the_page(html: str) -> list[str]:
    listed = html.split('<ul class="names">', 1)[1].split("</ul>", 1)[0] if '<ul class="names">' in html else ""
    return [unescape(name) for name in re.findall(r"<li>([^<]*)</li>", listed)]


def test_version_1_lists_the_names_the_page_shows_and_only_those(client, jack):
    body = client.get("/api/v1/drives/7-for-jack").get_json()
    # Ben stayed anonymous: counted, never named; nobody's email, link or planned date.
    assert body["shown_names"] == ["Amira", "Chloe"] == _names_on_the_page(client.get("/d/7-for-jack").get_data(as_text=True))
    assert body["participant_count"] == 3
    text = client.get("/api/v1/drives/7-for-jack").get_data(as_text=True)
    assert "Ben" not in text and "Okafor" not in text and "Haddad" not in text and "@" not in text


def test_the_names_in_the_json_are_bounded_like_the_page(app, client, jack):
    from sqlalchemy import insert

    with app.test_request_context():
        _db.session.execute(insert(Participant), [
            {"drive_id": jack["drive_id"], "name": f"Friend{n:03d} Surname", "show_name": True, "units_pledged": 1,
             "donation_type": DonationType.WHOLE_BLOOD, "private_link_hash": f"{n:064d}"}
            for n in range(participation.SHOWN_NAMES_MAX + 5)
        ])
        _db.session.commit()
    names = client.get("/api/v1/drives/7-for-jack").get_json()["shown_names"]
    assert len(names) == participation.SHOWN_NAMES_MAX
    assert names[:3] == ["Amira", "Chloe", "Friend000"]  # earliest first, as the page lists them
    assert names == _names_on_the_page(client.get("/d/7-for-jack").get_data(as_text=True))


def test_public_participants_are_first_names_of_those_who_agreed(client, jack):
    body = client.get("/api/v1/drives/7-for-jack/participants").get_json()
    assert body["participants"] == [{"display_name": "Amira"}, {"display_name": "Chloe"}]
    assert body["pagination"] == {"page": 1, "per_page": 20, "total": 2, "pages": 1}


def test_participants_come_a_page_at_a_time(client, jack):
    first = client.get("/api/v1/drives/7-for-jack/participants?per_page=1").get_json()
    second = client.get("/api/v1/drives/7-for-jack/participants?per_page=1&page=2").get_json()
    beyond = client.get("/api/v1/drives/7-for-jack/participants?per_page=1&page=3").get_json()
    assert [p["display_name"] for p in first["participants"] + second["participants"]] == ["Amira", "Chloe"]
    assert first["pagination"]["pages"] == 2
    assert beyond["participants"] == []


@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("page=-1", "page"), ("page=abc", "page"), ("page=1.5", "page"),
    ("page=10001", "page"), ("per_page=0", "per_page"), ("per_page=101", "per_page"),
    ("per_page=%EF%BC%91", "per_page"),  # a full-width digit is not a number here
])
def test_bad_pagination_is_a_clear_400(client, jack, query, field):
    error = _assert_error(client.get(f"/api/v1/drives/7-for-jack/participants?{query}"), 400, "invalid_parameter")
    assert field in error["fields"]


@pytest.mark.parametrize("path", [
    "/api/drives/no-such-drive", "/api/v1/drives/no-such-drive",
    "/api/v1/drives/no-such-drive/participants", "/api/v1/drives/Bad%00Slug",
    "/api/v1/drives/" + "x" * 500, "/api/v1/no/such/route",
])
def test_unknown_things_are_a_json_404(client, jack, path):
    _assert_error(client.get(path), 404, "not_found")


def test_wrong_method_is_a_json_405(client, jack):
    _assert_error(client.delete("/api/v1/drives/7-for-jack"), 405, "method_not_allowed")


def test_public_reads_may_be_fetched_from_any_site(client, jack):
    response = client.get("/api/v1/drives/7-for-jack")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_updates_come_newest_first_a_page_at_a_time(app, client, jack):
    with app.app_context():
        drive = drives.public_drive("7-for-jack")
        owner = _db.session.get(User, jack["owner_id"])
        for body in ("We started!", "Halfway there.", "Thank you all."):
            factories.update(drive, owner, body)
        _db.session.commit()
    first = client.get("/api/v1/drives/7-for-jack/updates?per_page=2").get_json()
    assert [u["body"] for u in first["updates"]] == ["Thank you all.", "Halfway there."]
    assert first["pagination"] == {"page": 1, "per_page": 2, "total": 3, "pages": 2}
    assert first["updates"][0]["edited_at"] is None
    assert "@example.org" not in client.get("/api/v1/drives/7-for-jack/updates").get_data(as_text=True)
    _assert_error(client.get("/api/v1/drives/7-for-jack/updates?page=x"), 400, "invalid_parameter")


def test_milestones_list_the_thresholds_reached(app, client, jack):
    from donation_drive.models import Milestone

    with app.test_request_context():
        drive_id = jack["drive_id"]
        _db.session.add_all([
            Milestone(drive_id=drive_id, percent=101, reached_on=today()),
            Milestone(drive_id=drive_id, percent=25, reached_on=today() - timedelta(days=2)),
        ])
        _db.session.commit()
    body = client.get("/api/v1/drives/7-for-jack/milestones").get_json()
    assert [m["threshold"] for m in body["milestones"]] == ["25", "exceeded"]
    assert body["milestones"][1] == {"threshold": "exceeded", "percent": 100, "target_exceeded": True,
                                     "reached_on": today().isoformat()}
    _assert_error(client.get("/api/v1/drives/nope/milestones"), 404, "not_found")


def test_each_participant_is_named_as_they_chose(app, client, jack):
    from donation_drive.models import NameShownAs

    with app.app_context():
        drive = drives.public_drive("7-for-jack")
        factories.participant(drive, "Dev Patel", kind=DonationType.PLASMA, shown_as=NameShownAs.INITIALS)
        factories.participant(drive, "Erin Walsh", kind=DonationType.PLASMA, shown_as=NameShownAs.FULL_NAME)
        factories.participant(drive, "Fay Hidden", kind=DonationType.PLASMA, shown=False, shown_as=NameShownAs.FULL_NAME)
        _db.session.commit()
    body = client.get("/api/v1/drives/7-for-jack/participants").get_json()
    assert [p["display_name"] for p in body["participants"]] == ["Amira", "Chloe", "D. P.", "Erin Walsh"]
    assert "Fay" not in client.get("/api/v1/drives/7-for-jack/participants").get_data(as_text=True)
    drive = client.get("/api/v1/drives/7-for-jack")
    assert drive.get_json()["shown_names"] == ["Amira", "Chloe", "D. P.", "Erin Walsh"]
    assert "Fay" not in drive.get_data(as_text=True) and "Dev" not in drive.get_data(as_text=True)


def test_version_1_carries_every_figure_the_progress_page_shows(app, client, jack):
    """So a script sees what a visitor sees: donated, booked, pledged, deferred, the
    milestones, who took part and the ripple, each as the page says it."""
    from donation_drive.counting import ripple
    from donation_drive.drives import people

    with app.app_context():
        drive = drives.public_drive("7-for-jack")
        owner = _db.session.get(User, jack["owner_id"])
        dev, _ = factories.participant(drive, "Dev Patel")
        fay, _ = factories.participant(drive, "Fay Hidden", shown=False)
        people.set_stage(drive, owner, dev, "booked", booked_on=today() + timedelta(days=2), booked_place="Leeds")
        people.set_stage(drive, owner, fay, "deferred", deferred_on=today())
        factories.logged_donation(drive, owner, 1)  # 2 of 7: past 25 %
        inspired = factories.drive(owner, "Inspired by Jack")
        ripple.start_inspired_drive(inspired, drive)
        factories.logged_donation(inspired, owner, 3)
        _db.session.commit()
    body = client.get("/api/v1/drives/7-for-jack").get_json()
    page = unescape(client.get("/d/7-for-jack").get_data(as_text=True))

    assert body | {
        "units_donated": 2, "people_booked": 1, "units_pledged": 5, "attempts_deferred": 1,
        "participant_count": 5, "people_shown": 3, "people_anonymous": 2,
        "ripple": {"inspired_count": 1, "units_total": 5},
    } == body
    assert "<li><strong>2</strong> units donated</li>" in page
    assert "<li><strong>1</strong> person booked</li>" in page
    assert "<li><strong>5</strong> units pledged</li>" in page
    assert "Thank you to the 1 person who went to donate and was deferred" in page
    assert "<p data-live-others>and 2 people not named here.</p>" in page
    assert "<strong>1 drive</strong>" in page
    assert "<strong>5 units</strong>" in page
    assert body["milestones"] == [{"threshold": "25", "percent": 25, "target_exceeded": False,
                                   "reached_on": today().isoformat()}]
    assert f'<strong>A quarter of the way</strong> — <time datetime="{today().isoformat()}">' in page
    assert body["milestones"] == client.get("/api/v1/drives/7-for-jack/milestones").get_json()["milestones"]
