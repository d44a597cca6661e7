"""The public sign-up form keeps robots out: a honeypot and a minimum fill time, nothing stored."""

import re

import pytest

from support import csrf_token
from donation_drive.models import Participant
from test_journeys import create_drive, invite_path

FRIEND = {"name": "Ann", "email": "", "units": "1", "donation_type": "whole_blood", "planned_on": ""}


@pytest.fixture
def invite(browser) -> str:
    browser.register()
    path = invite_path(browser, create_drive(browser))
    browser.logout()
    return path


def shown_form(client, invite: str) -> dict:
    """The hidden fields of the sign-up form as a browser would send them back."""
    html = client.get(invite).get_data(as_text=True)
    stamp = re.search(r'name="form_shown" type="hidden" value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="form_shown"', html
    )
    assert stamp, "no signed time on the sign-up form"
    return {"csrf_token": csrf_token(html), "form_shown": stamp.group(1)}


def participants(db) -> int:
    return db.session.scalar(db.select(db.func.count(Participant.id)))


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, invite):
    html = client.get(invite).get_data(as_text=True)
    honeypot = re.search(r'<div class="visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S)
    assert honeypot and 'name="website"' in honeypot.group(1)
    assert 'tabindex="-1"' in honeypot.group(1)


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(client, invite, db, unchanged):
    form = shown_form(client, invite)  # opening the page may be counted; sending must change nothing
    with unchanged():
        response = client.post(invite, data={**form, **FRIEND, "website": "http://spam.example"})
    assert response.status_code == 422
    assert "looked as if a computer filled it in" in response.get_data(as_text=True)


def test_a_form_sent_faster_than_a_person_can_is_refused(app, client, invite, unchanged):
    app.config["SIGN_UP_MIN_SECONDS"] = 30
    form = shown_form(client, invite)
    with unchanged():
        response = client.post(invite, data={**form, **FRIEND})
    assert response.status_code == 422
    assert "quicker than a person" in response.get_data(as_text=True)


@pytest.mark.parametrize("stamp", ["", "forged", "InNob3duIg.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb"])
def test_a_missing_or_forged_time_is_refused(app, client, invite, unchanged, stamp):
    app.config["SIGN_UP_MIN_SECONDS"] = 1
    form = shown_form(client, invite)
    with unchanged():
        response = client.post(invite, data={**form, **FRIEND, "form_shown": stamp})
    assert response.status_code == 422


def test_a_person_who_takes_their_time_signs_up(app, client, invite, db, signed_clock):
    app.config["SIGN_UP_MIN_SECONDS"] = 1
    form = shown_form(client, invite)
    signed_clock.advance(2)  # the signed time has whole-second precision
    response = client.post(invite, data={**form, **FRIEND})
    assert response.status_code == 302
    assert participants(db) == 1


def test_a_person_refused_for_speed_gets_through_on_the_next_try(app, client, invite, db, signed_clock):
    app.config["SIGN_UP_MIN_SECONDS"] = 1
    refused = client.post(invite, data={**shown_form(client, invite), **FRIEND})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    fresh = re.search(r'name="form_shown" type="hidden" value="([^"]+)"', html).group(1)
    signed_clock.advance(2)
    response = client.post(invite, data={"csrf_token": csrf_token(html), "form_shown": fresh, **FRIEND})
    assert response.status_code == 302
    assert participants(db) == 1
