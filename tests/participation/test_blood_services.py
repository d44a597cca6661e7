"""Every form that asks for a donation type offers the drive's blood service's types, by its names,
and refuses any other; a drive whose region we no longer know falls back to "your local blood
service": no other country's service, no dates, and every page still opens."""

import re
from html import unescape

import pytest

import factories
from donation_drive.core.rules import today
from donation_drive.models import Donation, DonationType, Drive, Participant
from test_journeys import create_drive, invite_path, report, sign_up

BRAZIL_TYPES = [("whole_blood", "Whole blood"), ("platelets", "Platelets (apheresis)")]
NHS_TYPES = [("whole_blood", "Whole blood"), ("platelets", "Platelets"), ("plasma", "Plasma")]
EVERY_TYPE = [(kind.value, kind.label) for kind in DonationType]


def type_options(page_html: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', page_html, re.S)
    assert select, f"no {name} select on the page"
    return [(value, unescape(label))
            for value, label in re.findall(r'<option[^>]*value="([^"]+)"[^>]*>([^<]*)</option>', select.group(0))]


def set_region(db, region: str) -> None:
    """Straight into the database, as an old row or a region since removed would hold it."""
    db.session.execute(db.update(Drive).values(region=region))
    db.session.commit()


@pytest.fixture
def organiser_page(browser) -> str:
    browser.register()
    return create_drive(browser)


def report_link(db) -> str:
    return f"/r/{factories.report_link_token(db.session.scalar(db.select(Participant)))}"


# Sign-up

def test_sign_up_on_a_brazilian_drive_offers_brazils_types(browser, db, organiser_page):
    set_region(db, "brazil")
    invite = invite_path(browser, organiser_page)
    assert type_options(browser.get(invite).get_data(as_text=True), "donation_type") == BRAZIL_TYPES


def test_sign_up_refuses_a_type_the_brazilian_service_doesnt_take(browser, db, organiser_page, unchanged):
    set_region(db, "brazil")
    invite = invite_path(browser, organiser_page)
    with unchanged():
        response = browser.submit(invite, {"name": "Ana", "email": "", "units": "1", "donation_type": "plasma",
                                           "planned_on": ""})
    assert response.status_code == 422
    assert ("Your state's hemocentro doesn't take Plasma donations. "
            "Please choose one it does: Whole blood or Platelets (apheresis).") in unescape(response.get_data(as_text=True))


# The two report forms: the private page's and the reminder email's

def test_the_private_pages_report_form_offers_the_regions_types(browser, db, organiser_page):
    private = sign_up(browser, invite_path(browser, organiser_page), "Ana")
    assert type_options(browser.get(private).get_data(as_text=True), "report-donation_type") == NHS_TYPES
    set_region(db, "brazil")
    assert type_options(browser.get(private).get_data(as_text=True), "report-donation_type") == BRAZIL_TYPES


def test_the_reminder_emails_report_form_offers_the_regions_types(browser, db, organiser_page):
    sign_up(browser, invite_path(browser, organiser_page), "Ana")
    set_region(db, "us")
    page_html = browser.get(report_link(db)).get_data(as_text=True)
    assert ("double_red_cells", "Power Red") in type_options(page_html, "donation_type")
    set_region(db, "england")
    page_html = browser.get(report_link(db)).get_data(as_text=True)
    assert type_options(page_html, "donation_type") == NHS_TYPES


def test_a_report_of_a_type_the_service_doesnt_take_is_refused_beside_the_field(browser, db, organiser_page,
                                                                                  unchanged):
    private = sign_up(browser, invite_path(browser, organiser_page), "Ana")
    with unchanged():
        response = report(browser, private, donation_type="double_red_cells")
    assert response.status_code == 422
    assert "NHS Blood and Transplant doesn&#39;t take Double red cells (Power Red) donations." in \
        response.get_data(as_text=True)
    with unchanged():
        response = browser.submit(report_link(db), {"units": "1", "donated_on": today().isoformat(),
                                                    "donation_type": "double_red_cells"})
    assert response.status_code == 422
    assert "doesn&#39;t take Double red cells (Power Red) donations" in response.get_data(as_text=True)


def test_a_friend_may_report_the_type_they_pledged_after_the_region_changed(browser, db, organiser_page):
    set_region(db, "us")
    private = sign_up(browser, invite_path(browser, organiser_page), "Ana", donation_type="double_red_cells")
    set_region(db, "england")
    assert report(browser, private, units=2, donation_type="double_red_cells").status_code == 302
    assert db.session.scalar(db.select(Donation.donation_type)) is DonationType.DOUBLE_RED_CELLS


# A region we don't know

def test_a_drive_of_an_unknown_region_gives_generic_guidance_and_no_dates(browser, client, db, organiser_page):
    invite = invite_path(browser, organiser_page)
    set_region(db, "atlantis")

    joining = browser.get(invite)
    assert joining.status_code == 200
    joining_html = joining.get_data(as_text=True)
    assert "Then book your donation with your local blood service, who check that you can donate." in joining_html
    assert type_options(joining_html, "donation_type") == EVERY_TYPE

    private = sign_up(browser, invite, "Ana", donation_type="plasma")
    before = browser.get(private).get_data(as_text=True)
    assert "Appointments are made with your local blood service, who check that you can donate" in before
    assert "Book with" not in before

    assert report(browser, private, donation_type="plasma").status_code == 302
    after = browser.get(private)
    after_html = after.get_data(as_text=True)
    assert after.status_code == 200
    assert "Ask your local blood service when you may donate again." in after_html
    assert "donate again from" not in after_html

    emailed = browser.get(report_link(db))
    assert emailed.status_code == 200 and "donate again from" not in emailed.get_data(as_text=True)

    for page in (invite, private, organiser_page, *(f"{organiser_page}/{tab}" for tab in
                 ("advanced", "donations", "people", "settings", "updates"))):
        response = browser.get(page)
        outside_the_picker = re.sub(r'<select[^>]*name="region".*?</select>', "", response.get_data(as_text=True),
                                    flags=re.S)
        assert response.status_code == 200, page
        assert "blood.co.uk" not in outside_the_picker and "NHS Blood" not in outside_the_picker, page
    assert client.get(organiser_page.replace("/drives/", "/d/")).status_code == 200


def test_the_organiser_of_an_unknown_regions_drive_is_asked_to_choose_a_service(browser, db, organiser_page):
    set_region(db, "atlantis")
    html = unescape(browser.get(f"{organiser_page}/advanced").get_data(as_text=True))
    assert "Now: None of those listed (donors are asked to check with their local blood service)." in html
    assert browser.submit(f"{organiser_page}/advanced", {"region": "brazil"},
                          action=f"{organiser_page}/region").status_code == 302
    assert db.session.scalar(db.select(Drive.region)) == "brazil"
