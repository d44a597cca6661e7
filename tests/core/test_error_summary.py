"""The error summary at the top of a form lists its problems in the order the page shows the
fields, whatever order the form class declares them in (templates/_macros/forms.html)."""

import re

import pytest

import factories
from donation_drive.core.extensions import db as _db
from test_journeys import new_drive_form
from test_organiser import organiser  # noqa: F401 (a fixture)


def summary_order(page_html: str) -> list[str]:
    summary = re.search(r'<div class="error-summary".*?</ul>', page_html, re.S)
    assert summary, "no error summary"
    return re.findall(r'<a href="#([\w-]+)">', summary.group(0))


def page_order(page_html: str) -> list[str]:
    """The fields with an error, as the page shows them from top to bottom."""
    return re.findall(r'<p class="field__error" id="([\w-]+)-error">', page_html)


@pytest.fixture
def invite(app) -> str:
    with app.app_context():
        jack = factories.drive(factories.organiser())
        _db.session.commit()
        return f"/join/{jack.invite_code}"


def test_the_sign_up_summary_puts_the_name_first_as_the_form_does(browser, invite, unchanged):
    """The form class declares the pledge's fields first; the page asks the name first."""
    with unchanged():
        response = browser.submit(invite, {"name": "", "email": "not an address", "units": "0",
                                           "donation_type": "whole_blood", "planned_on": "someday"})
    assert response.status_code == 422
    page_html = response.get_data(as_text=True)
    assert summary_order(page_html) == page_order(page_html) == ["name", "email", "units", "planned_on"]


def test_the_new_drive_summary_follows_the_form_from_top_to_bottom(organiser, unchanged):
    with unchanged():
        response = organiser.submit("/drives/new", new_drive_form(
            title="", target_units="lots", ends_on="next month", photo_alt="J" * 1000))
    assert response.status_code == 422
    page_html = response.get_data(as_text=True)
    assert len(page_order(page_html)) >= 3
    assert summary_order(page_html) == page_order(page_html)
