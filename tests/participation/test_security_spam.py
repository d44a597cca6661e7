"""The public sign-up form keeps robots out: a honeypot and a minimum fill time, nothing stored."""

import re

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.models import Participant
from donation_drive.participation import spam
from support import csrf_token

FRIEND = {"name": "Ann", "email": "", "units": "1", "donation_type": "whole_blood", "planned_on": ""}


@pytest.fixture
def invite(app) -> str:
    """The invite link of Sam's "7 for Jack", made directly."""
    with app.app_context():
        link = f"/join/{factories.drive(factories.organiser()).invite_code}"
        _db.session.commit()
    return link


def shown_form(client, invite: str) -> dict:
    """The hidden fields of the sign-up form as a browser would send them back."""
    html = client.get(invite).get_data(as_text=True)
    stamp = re.search(r'name="form_shown" type="hidden" value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="form_shown"', html
    )
    assert stamp, "no signed time on the sign-up form"
    return {"csrf_token": csrf_token(html), "form_shown": stamp.group(1)}


class Clock:
    """The time the spam check reads, moved on by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(spam, "now", fake)
    return fake


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


def test_a_person_who_takes_their_time_signs_up(app, client, invite, db, clock):
    app.config["SIGN_UP_MIN_SECONDS"] = 1
    form = shown_form(client, invite)
    clock.wait(1)
    response = client.post(invite, data={**form, **FRIEND})
    assert response.status_code == 302
    assert participants(db) == 1


def test_a_person_refused_for_speed_gets_through_on_the_next_try(app, client, invite, db, clock):
    app.config["SIGN_UP_MIN_SECONDS"] = 1
    refused = client.post(invite, data={**shown_form(client, invite), **FRIEND})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    fresh = re.search(r'name="form_shown" type="hidden" value="([^"]+)"', html).group(1)
    clock.wait(1)
    response = client.post(invite, data={"csrf_token": csrf_token(html), "form_shown": fresh, **FRIEND})
    assert response.status_code == 302
    assert participants(db) == 1


def test_fractions_of_a_second_count(app, client, invite, db, clock, unchanged):
    """Phone autofill fills the form in 3.5 s; whole seconds used to make that "under 3"."""
    app.config["SIGN_UP_MIN_SECONDS"] = 3.5
    form = shown_form(client, invite)
    clock.wait(3.4)
    with unchanged():
        assert client.post(invite, data={**form, **FRIEND}).status_code == 422
    form = shown_form(client, invite)
    clock.wait(3.5)
    assert client.post(invite, data={**form, **FRIEND}).status_code == 302
    assert participants(db) == 1


def test_a_form_refused_for_speed_keeps_what_was_typed(app, client, invite, clock):
    app.config["SIGN_UP_MIN_SECONDS"] = 3
    form = shown_form(client, invite)
    clock.wait(2.9)
    typed = {**FRIEND, "name": "Ann Typed-Fast", "email": "ann@example.org", "units": "2",
             "planned_on": "2030-01-15", "show_name": "y"}
    refused = client.post(invite, data={**form, **typed})
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "quicker than a person" in html
    assert 'value="Ann Typed-Fast"' in html and 'value="ann@example.org"' in html
    assert re.search(r'name="units"[^>]*value="2"|value="2"[^>]*name="units"', html)
    assert 'value="2030-01-15"' in html
    assert re.search(r'<input[^>]*checked[^>]*name="show_name"|<input[^>]*name="show_name"[^>]*checked', html)


def test_a_stamp_from_the_future_is_refused(app, client, invite, clock, unchanged):
    app.config["SIGN_UP_MIN_SECONDS"] = 1
    clock.wait(60)
    form = shown_form(client, invite)
    clock.wait(-60)
    with unchanged():
        assert client.post(invite, data={**form, **FRIEND}).status_code == 422
