"""The activity log names whoever acted, by the web or by an API token."""

import pytest

from donation_drive.models import ActivityEntry
from test_api_organiser import GOOD, post_json, token_for
from test_api_public import PASSWORD, seed_jack


@pytest.fixture
def jack(app) -> dict:
    """"7 for Jack" with Amira's reported unit, and an API token for its organiser, Sam."""
    found = seed_jack(app)
    found["token"] = token_for(app, found["owner_id"])
    return found


def entries(db) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(row.actor_name, row.summary) for row in
            db.session.scalars(db.select(ActivityEntry).order_by(ActivityEntry.id))]


@pytest.mark.parametrize("decision, summary", [("confirm", "confirmed 1 unit from Amira Haddad"),
                                               ("reject", "rejected 1 unit from Amira Haddad")])
def test_deciding_a_donation_by_api_token_names_the_tokens_owner(client, jack, db, decision, summary):
    path = f"/api/v1/drives/7-for-jack/donations/{jack['reported_id']}/{decision}"
    assert post_json(client, path, {}, jack["token"]).status_code == 200
    assert entries(db)[-1] == ("Sam Organiser", summary)


def test_logging_units_by_api_token_names_the_tokens_owner(client, jack, db):
    assert post_json(client, "/api/v1/drives/7-for-jack/donations", GOOD, jack["token"]).status_code == 201
    assert entries(db)[-1] == ("Sam Organiser", "logged 7 units for the group")


@pytest.mark.parametrize("decision, summary", [("confirm", "confirmed 1 unit from Amira Haddad"),
                                               ("reject", "rejected 1 unit from Amira Haddad")])
def test_deciding_a_donation_on_the_web_names_the_organiser(browser, jack, db, decision, summary):
    browser.login(password=PASSWORD)
    page = "/drives/7-for-jack"
    response = browser.submit(page, {}, action=f"{page}/donations/{jack['reported_id']}/{decision}")
    assert response.status_code == 302
    assert entries(db)[-1] == ("Sam Organiser", summary)
