"""The sign-up form asks little at first, folds the pledge under "More", offers the donation
types of the drive's blood service and says who invited the friend."""

import re
from datetime import timedelta

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.drives.models import Drive
from donation_drive.models import Participant
from test_journeys import sign_up

MORE = "More: when and what you'll give (optional)"


def _drive(app, region: str = "england"):
    with app.app_context():
        jack = factories.drive(factories.organiser(name="Sam Taylor"))
        jack.region = region
        _db.session.commit()
        return jack.id, jack.invite_code


@pytest.fixture
def invite(app) -> str:
    return f"/join/{_drive(app)[1]}"


@pytest.fixture
def us_invite(app) -> str:
    return f"/join/{_drive(app, 'us')[1]}"


def _form(**overrides) -> dict:
    return {"name": "Amira Haddad", "email": "", "units": "1", "donation_type": "whole_blood", "planned_on": "",
            **overrides}


def _outside_and_inside_more(html: str) -> tuple[str, str]:
    """The form's HTML outside the "More" folder, and inside it."""
    form = html[html.index("<form"):html.index("</form>")]
    start, end = form.index("<details"), form.index("</details>")
    return form[:start] + form[end:], form[start:end]


def _more_tag(html: str) -> str:
    return re.search(r"<details[^>]*more-pledge[^>]*>", html).group(0)


def _type_options(html: str) -> list[tuple[str, str]]:
    select = re.search(r'<select[^>]*name="donation_type".*?</select>', html, re.S).group(0)
    return re.findall(r'<option[^>]*value="([^"]+)"[^>]*>([^<]*)</option>', select)


def test_sign_up_asks_name_email_and_how_the_name_shows_and_folds_the_pledge(browser, invite):
    html = browser.get(invite).get_data(as_text=True)
    outside, inside = _outside_and_inside_more(html)
    for name in ("name", "email", "show_name", "name_shown_as"):
        assert f'name="{name}"' in outside and f'name="{name}"' not in inside
    for name in ("units", "donation_type", "planned_on"):
        assert f'name="{name}"' in inside and f'name="{name}"' not in outside
    assert MORE in inside
    assert " open" not in _more_tag(html)
    assert "Optional: to get your private link and a reminder." in outside
    assert "Units you&#39;ll give" in inside and "Units pledged" not in html
    assert "one bag of whole blood is one unit" in inside


def test_folded_pledge_starts_at_one_unit_of_whole_blood_and_no_date(browser, invite):
    _outside, inside = _outside_and_inside_more(browser.get(invite).get_data(as_text=True))
    assert re.search(r'<input[^>]*name="units"[^>]*value="1"', inside)
    assert re.search(r'<option[^>]*selected[^>]*value="whole_blood"|<option[^>]*value="whole_blood"[^>]*selected', inside)
    assert not re.search(r'<input[^>]*name="planned_on"[^>]*value="[^"]', inside)


def test_more_opens_when_one_of_its_fields_has_an_error(browser, invite):
    response = browser.submit(invite, _form(units="0"))
    assert response.status_code == 422
    assert " open" in _more_tag(response.get_data(as_text=True))


def test_more_opens_when_one_of_its_fields_was_filled(browser, invite):
    planned = (today() + timedelta(days=3)).isoformat()
    response = browser.submit(invite, _form(name="", planned_on=planned))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and " open" in _more_tag(html)
    assert f'value="{planned}"' in html


def test_an_england_drive_offers_the_types_nhs_blood_and_transplant_takes(browser, invite):
    html = browser.get(invite).get_data(as_text=True)
    assert _type_options(html) == [("whole_blood", "Whole blood"), ("platelets", "Platelets"), ("plasma", "Plasma")]
    assert "Power Red" not in html


def test_a_us_drive_offers_the_red_cross_types_by_their_names(browser, us_invite):
    assert _type_options(browser.get(us_invite).get_data(as_text=True)) == [
        ("whole_blood", "Whole blood"), ("double_red_cells", "Power Red"), ("platelets", "Platelets"),
        ("plasma", "AB Elite plasma")]


def test_an_england_drive_refuses_power_red_beside_the_field(browser, invite, unchanged):
    with unchanged():
        response = browser.submit(invite, _form(donation_type="double_red_cells"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("NHS Blood and Transplant doesn&#39;t take Double red cells (Power Red) donations. "
            "Please choose one it does: Whole blood, Platelets or Plasma.") in html
    assert " open" in _more_tag(html)


def test_the_refusal_shows_with_the_form_s_other_errors(browser, invite, unchanged):
    with unchanged():
        html = browser.submit(invite, _form(name="", donation_type="double_red_cells")).get_data(as_text=True)
    assert "doesn&#39;t take Double red cells (Power Red) donations" in html
    assert "Please enter your name" in html or 'id="name-error"' in html


def test_a_us_drive_takes_a_power_red_pledge(browser, us_invite, db):
    sign_up(browser, us_invite, "Luc", donation_type="double_red_cells", units="2")
    friend = db.session.scalar(db.select(Participant))
    assert (friend.units_pledged, friend.donation_type.value) == (2, "double_red_cells")


def test_the_invite_link_says_who_invited_you_and_where_to_book(browser, invite):
    html = browser.get(invite).get_data(as_text=True)
    assert "Sam invited you" in html and "Taylor" not in html
    assert '<a href="https://www.blood.co.uk/">NHS Blood and Transplant</a>' in html


def test_a_us_drive_points_to_the_red_cross_for_booking(browser, us_invite):
    html = browser.get(us_invite).get_data(as_text=True)
    assert '<a href="https://www.redcrossblood.org/give.html/find-drive">the American Red Cross</a>' in html


def test_a_personal_invitation_says_who_invited_you(app, browser):
    drive_id, _code = _drive(app)
    with app.app_context():
        jack = _db.session.get(Drive, drive_id)
        _invitation, token = factories.invitation(jack, jack.organisers[0].user, "lee@example.org", "Lee")
        _db.session.commit()
    html = browser.get(f"/i/{token}").get_data(as_text=True)
    assert "Sam invited you" in html
    assert MORE in html
