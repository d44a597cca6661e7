"""Back, then submit again: every form that creates something creates once, and answers with the first result.

Each case opens the form's page as a browser would, keeps the rendered form (its CSRF token and
one-time key) and sends it twice, as pressing Back and submitting again does; then it opens the
page afresh (a new key) and sends again, which creates a second row.
"""

import html
import re
from typing import NamedTuple

import pytest
import sqlalchemy as sa

import test_fuzz_forms
from donation_drive.core.rules import today
from donation_drive.models import (
    Donation,
    Drive,
    FormSubmission,
    GroupVisit,
    Participant,
    Update,
)
from test_fuzz_forms import FORMS
from test_journeys import new_drive_form

#: The fuzz tests' fixture: Sam logged in with his drive, and each form's page made on first use.
places = test_fuzz_forms.places

FORM = re.compile(r"<form\b.*?</form>", re.DOTALL)
HIDDEN_INPUT = re.compile(r"<input\b[^>]*\btype=\"hidden\"[^>]*>")
ATTRIBUTE = re.compile(r'\b(name|value)="([^"]*)"')

REPORT = {"units": "1", "donated_on": today().isoformat(), "donation_type": "whole_blood"}
SIGN_UP = {"name": "Bo Friend", "email": "", "units": "1", "donation_type": "whole_blood", "planned_on": ""}


class Case(NamedTuple):
    #: Its entry in tests/test_fuzz_forms.py FORMS: the page that shows it and where it is sent.
    form: str
    data: dict[str, str]
    #: What a sending creates.
    model: type


CASES = [
    Case("sign up", SIGN_UP, Participant),
    Case("sign up from a personal invitation", SIGN_UP, Participant),
    # A second report on the same day asks "is this another donation?": these answer yes.
    Case("report", {f"report-{name}": value for name, value in {**REPORT, "confirmed": "yes"}.items()}, Donation),
    Case("report from an email", {**REPORT, "confirmed": "yes"}, Donation),
    Case("log units", {"participant_id": "0", **REPORT, "units": "3"}, Donation),
    Case("post update", {"update-body": "Three of us booked."}, Update),
    Case("propose visit", {"visit_on": today().isoformat(), "starts_at": "09:30", "centre": "Leeds Donor Centre",
                           "places": "4"}, GroupVisit),
    Case("add participant", {"name": "Cy Friend", "units": "1", "donation_type": "whole_blood",
                             "planned_on": ""}, Participant),
    Case("new drive", new_drive_form(title="7 more for Jack"), Drive),
    Case("pass it on", new_drive_form(title="7 for Jack in York"), Drive),
]


def rendered_form(browser, page: str, field: str) -> dict[str, str]:
    """The hidden fields of the form on `page` that holds `field`: what the browser sends again."""
    response = browser.get(page)
    assert response.status_code == 200, f"{page} answered {response.status_code}"
    [form] = [form for form in FORM.findall(response.get_data(as_text=True)) if f'name="{field}"' in form]
    fields = {}
    for tag in HIDDEN_INPUT.findall(form):
        attributes = dict(ATTRIBUTE.findall(tag))
        fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return fields


def submission_key(form: dict[str, str]) -> str | None:
    return next((value for name, value in form.items() if name.endswith("submission_key")), None)


def count(db, model: type) -> int:
    found = db.session.scalar(sa.select(sa.func.count()).select_from(model))
    db.session.rollback()
    return found


@pytest.mark.parametrize("case", CASES, ids=[case.form for case in CASES])
def test_the_same_form_sent_twice_creates_once_and_answers_with_the_first_result(app, browser, db, places, case):
    app.config["SIGN_UP_MIN_SECONDS"] = 0  # the spam guard's timing is not under test
    form = FORMS[case.form]
    page, action = form.page.format_map(places), (form.action or form.page).format_map(places)
    before = count(db, case.model)
    rendered = {**rendered_form(browser, page, next(iter(case.data))), **case.data}
    assert submission_key(rendered), "the form carries no one-time key"

    first = browser.client.post(action, data=rendered)
    again = browser.client.post(action, data=rendered)
    assert first.status_code in (200, 302), first.get_data(as_text=True)
    assert count(db, case.model) == before + 1
    assert again.status_code == 302, again.get_data(as_text=True)
    if first.status_code == 302:
        assert again.headers["Location"] == first.headers["Location"]
    assert "already sent" in browser.get(again.headers["Location"]).get_data(as_text=True) or case.form.startswith(
        "sign up"), "the repeat says why nothing new appeared"

    fresh = {**rendered_form(browser, page, next(iter(case.data))), **case.data}
    assert submission_key(fresh) != submission_key(rendered)
    assert browser.client.post(action, data=fresh).status_code in (200, 302)
    assert count(db, case.model) == before + 2


def test_a_form_key_sent_to_another_drive_is_refused(browser, db, places):
    """One key can't replay into another drive: the log-units form of one drive, sent to another."""
    second = browser.client.post("/drives/new", data={
        **rendered_form(browser, "/drives/new", "title"), **new_drive_form(title="Another drive")})
    other = second.headers["Location"]
    rendered = {**rendered_form(browser, f"/drives/{places['slug']}/donations", "donated_on"), "participant_id": "0",
                **REPORT}
    assert browser.client.post(f"/drives/{places['slug']}/donations", data=rendered).status_code == 302
    before = count(db, Donation)

    replayed = browser.client.post(f"{other}/donations", data=rendered)
    assert replayed.status_code == 422
    assert "This form was already sent." in replayed.get_data(as_text=True)
    assert count(db, Donation) == before


def test_a_repeat_of_a_form_whose_donation_was_deleted_is_refused(browser, db, places):
    """What the form made is gone (the friend deleted their data): the repeat makes nothing again."""
    private = f"/p/{places['private_token']}"
    rendered = {**rendered_form(browser, private, "report-units"),
                **{f"report-{name}": value for name, value in REPORT.items()}}
    assert browser.client.post(f"{private}/donations", data=rendered).status_code == 302
    db.session.execute(sa.delete(Donation))
    db.session.commit()

    again = browser.client.post(f"{private}/donations", data=rendered)
    assert again.status_code == 422
    assert "This form was already sent." in again.get_data(as_text=True)
    assert count(db, Donation) == 0
    assert count(db, FormSubmission) >= 1
