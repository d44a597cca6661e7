"""A friend opens the invite link and signs up — and what is refused."""

import io
import re
from datetime import timedelta

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.core.web import FILE_PART_MESSAGE
from donation_drive.models import Participant
from support import csrf_token, outbox, text_of
from test_journeys import sign_up


@pytest.fixture
def invite(app) -> str:
    """The invite link of Sam's "7 for Jack", made directly (test_organiser.py creates drives by the form)."""
    with app.app_context():
        jack = factories.drive(factories.organiser(), story="Seven bags for the seven used.")
        link = f"/join/{jack.invite_code}"
        _db.session.commit()
    return link


def sign_up_form(**overrides) -> dict:
    form = {"name": "Amira Haddad", "email": "", "units": "1", "donation_type": "whole_blood", "planned_on": ""}
    form.update(overrides)
    return form


def test_invite_page_shows_dedication_story_progress_and_the_promised_labels(browser, invite):
    page = browser.get(invite).get_data(as_text=True)
    assert "In memory of" in page and "Jack" in page
    assert "Seven bags for the seven used." in page
    assert "0 of 7 units" in page
    for label in ("Name", "Email", "Units", "Donation type", "Planned date", "Show my name"):
        assert f">{label}" in page


def test_friend_signs_up_and_gets_a_private_link(browser, invite, db):
    response = browser.submit(invite, sign_up_form(email="Amira@Example.org", show_name="y",
                                                   planned_on=(today() + timedelta(days=3)).isoformat()))
    assert response.status_code == 302
    welcome = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "You're signed up" in welcome
    assert "only way back" in welcome
    assert "http://drive.test/p/" in welcome
    assert ".ics" in welcome
    participant = db.session.scalar(db.select(Participant))
    assert participant.email == "amira@example.org"
    assert participant.show_name is True


def test_show_my_name_is_off_by_default(browser, invite, db, client):
    sign_up(browser, invite, "Amira Haddad")
    assert db.session.scalar(db.select(Participant.show_name)) is False
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "Amira" not in page
    assert "1 person not named here" in page


def test_public_page_shows_only_first_names_of_those_who_agreed(browser, invite, client):
    sign_up(browser, invite, "Amira Haddad", show_name="y", email="amira@example.org")
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "Amira" in page
    assert "Haddad" not in page
    assert "amira@example.org" not in page


def _answer(browser, response) -> tuple[int, str]:
    """What the submitter sees: the status, and the page it leads to without its secrets."""
    page = browser.get(response.headers["Location"]).get_data(as_text=True) if response.status_code == 302 else \
        response.get_data(as_text=True)
    return response.status_code, re.sub(r"/p/[\w-]+|value=\"[^\"]{30,}\"", "SECRET", page)


def test_a_taken_email_gets_the_same_answer_as_a_new_one_and_its_owner_is_told(app, browser, invite, db):
    """Signing up again must not tell a stranger who took part, nor hand them anyone's link."""
    first = sign_up(browser, invite, "Amira", email="amira@example.org")
    new = browser.submit(invite, sign_up_form(name="Someone", email="new@example.org"))
    taken = browser.submit(invite, sign_up_form(name="Someone", email=" AMIRA@example.org "))
    assert new.status_code == taken.status_code == 302
    assert first not in taken.headers["Location"], "the existing participant's link is not revealed"
    assert _answer(browser, new) == _answer(browser, taken)
    [to_amira] = [m for m in outbox(app) if "amira@example.org" in m["To"]][-1:]
    assert to_amira["Subject"].startswith("Your sign-in link") and "signed up again" in text_of(to_amira)
    emails = db.session.scalars(db.select(Participant.email).order_by(Participant.id)).all()
    assert emails == ["amira@example.org", "new@example.org", None], "the address stays with its owner"


def test_friends_without_email_can_all_sign_up(browser, invite, db):
    for name in ("Amira", "Ben", "Chloe"):
        sign_up(browser, invite, name)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 3


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"name": ""}, "Please enter a name."),
        ({"name": "   "}, "Please enter a name."),
        ({"name": "x" * 81}, "under 80 characters"),
        ({"name": "Amira\x00"}, "invisible control character (NUL)"),
        ({"email": "amira@"}, "email address like"),
        ({"email": "a" * 250 + "@example.org"}, "too long"),
        ({"units": "0"}, "from 1 to 10"),
        ({"units": "11"}, "from 1 to 10"),
        ({"units": "-2"}, "from 1 to 10"),
        ({"units": "lots"}, "whole number"),
        ({"units": "1e9"}, "whole number"),
        ({"donation_type": "coffee"}, "Please choose one of the options."),
        ({"planned_on": "tomorrow"}, "real date"),
        ({"planned_on": (today() - timedelta(days=1)).isoformat()}, "can&#39;t be in the past"),
        ({"planned_on": (today() + timedelta(days=400)).isoformat()}, "This drive ends on"),
    ],
)
def test_bad_sign_ups_are_refused_beside_the_field(browser, invite, unchanged, override, message):
    with unchanged():
        response = browser.submit(invite, sign_up_form(**override))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page


def test_sign_up_without_csrf_token_is_refused(browser, invite, unchanged):
    with unchanged():
        response = browser.client.post(invite, data=sign_up_form())
    assert response.status_code == 400


def test_wrong_invite_code_is_a_friendly_404(client):
    response = client.get("/join/not-a-real-code")
    assert response.status_code == 404
    assert "invite link isn&#39;t valid" in response.get_data(as_text=True)


def test_an_invite_link_holding_a_nul_character_is_not_found(client, unchanged):
    """PostgreSQL can't even look up a NUL: opening such a link used to answer 500 there."""
    with unchanged():
        assert client.get("/join/abc%00def").status_code == 404


def test_post_to_a_wrong_invite_code_changes_nothing(browser, unchanged):
    with unchanged():
        response = browser.post("/join/not-a-real-code", sign_up_form())
    assert response.status_code == 404
    assert "invite link isn&#39;t valid" in response.get_data(as_text=True)


def test_a_sign_up_with_its_name_sent_as_a_file_is_refused(browser, invite, unchanged):
    token = csrf_token(browser.get(invite).get_data(as_text=True))
    with unchanged():
        response = browser.client.post(invite, content_type="multipart/form-data", data={
            "csrf_token": token, **sign_up_form(name=(io.BytesIO(b"Amira Haddad"), "name.txt"))})
    assert response.status_code == 400
    assert FILE_PART_MESSAGE in response.get_data(as_text=True)
