"""Privacy: each participant chooses how they appear; public pages never leak personal data;
participants delete their own details; a lost private link is replaced by email."""

import re
from datetime import timedelta

import pytest
from flask import Flask

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.core.templating import long_date, short_date
from donation_drive.drives import operations as drives
from donation_drive.models import Donation, NameShownAs, Participant
from donation_drive.privacy.names import initials, public_name
from support import csrf_token, outbox
from test_journeys import sign_up

PLANNED = today() + timedelta(days=9)


@pytest.fixture
def invite(app) -> str:
    """The invite link of Sam's "7 for Jack": made directly, like the friends who sign up to it below
    where signing up is not what a test is about."""
    with app.app_context():
        link = f"/join/{factories.drive(factories.organiser()).invite_code}"
        _db.session.commit()
    return link


def signed_up(app, name: str = "Amira Haddad", **details) -> str:
    """`name` signed up to "7 for Jack" (see factories.participant for `details`); their private page."""
    with app.app_context():
        _friend, token = factories.participant(drives.public_drive("7-for-jack"), name, **details)
        _db.session.commit()
    return f"/p/{token}"


def test_name_choices_are_pure_and_plain():
    assert public_name("Amira  Haddad", True, NameShownAs.FULL_NAME) == "Amira Haddad"
    assert public_name("Amira Haddad", True, NameShownAs.FIRST_NAME) == "Amira"
    assert public_name("Amira Haddad", True, NameShownAs.INITIALS) == "A. H."
    assert public_name("Amira Haddad", False, NameShownAs.FULL_NAME) is None
    assert initials("  ") == "?"


def test_each_participant_appears_as_they_chose(browser, client, invite):
    sign_up(browser, invite, "Amira Haddad", show_name="y", name_shown_as="full_name")
    sign_up(browser, invite, "Ben Okafor", show_name="y", name_shown_as="first_name")
    sign_up(browser, invite, "Chloe Martin", show_name="y", name_shown_as="initials")
    sign_up(browser, invite, "Dev Patel", name_shown_as="full_name")  # not shown: anonymous
    sign_up(browser, invite, "Erin Walsh", show_name="y")  # the default when shown: first name
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    names = re.findall(r"<li>([^<]+)</li>", page.split('class="names"')[1].split("</ul>")[0])
    assert names == ["Amira Haddad", "Ben", "C. M.", "Erin"]
    assert "Okafor" not in page and "Chloe" not in page and "Dev" not in page
    assert "1 person not named here" in page


def test_a_participant_changes_how_they_appear(app, browser, client, invite, db):
    private = signed_up(app)
    response = browser.submit(private, {"pledge-units": "1", "pledge-donation_type": "whole_blood",
                                        "pledge-planned_on": "", "pledge-show_name": "y",
                                        "pledge-name_shown_as": "initials"},
                              action=f"{private}/pledge", prefix="pledge")
    assert response.status_code == 302
    assert db.session.scalar(db.select(Participant.name_shown_as)) is NameShownAs.INITIALS
    assert "A. H." in client.get("/d/7-for-jack").get_data(as_text=True)


def test_an_unknown_name_choice_is_refused(client, invite, unchanged):
    token = csrf_token(client.get(invite).get_data(as_text=True))  # opening the page may be counted
    with unchanged():
        response = client.post(invite, data={"csrf_token": token, "name": "Ann", "units": "1",
                                             "donation_type": "whole_blood", "show_name": "y",
                                             "name_shown_as": "email_address"})
    assert response.status_code == 422


def _public_get_urls(app: Flask, slug: str) -> list[str]:
    """Every GET route that takes only a drive's slug and needs no login: what strangers reach."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and rule.arguments == {"slug"} and not rule.rule.startswith("/drives"):
            urls.append(rule.rule.replace("<slug>", slug))
    return urls


def test_public_pages_and_json_never_show_emails_links_or_planned_dates(app, client, invite):
    with app.app_context():
        jack = drives.public_drive("7-for-jack")
        amira, token = factories.participant(jack, "Amira Haddad", email="amira@example.org", planned_on=PLANNED)
        factories.participant(jack, "Ben Okafor", email="ben@example.org", planned_on=PLANNED, shown=False)
        factories.reported_donation(amira)
        _db.session.commit()
    secrets_ = ["amira@example.org", "ben@example.org", token, "Haddad", "Okafor",
                PLANNED.isoformat(), long_date(PLANNED), short_date(PLANNED), "sam@example.org"]
    urls = [*_public_get_urls(app, "7-for-jack"), "/", "/api/drives/7-for-jack"]
    assert "/d/7-for-jack" in urls
    for url in urls:
        response = client.get(url)
        response.close()
        if response.status_code != 200 or not response.mimetype.startswith(("text/", "application/json", "image/svg")):
            continue
        body = response.get_data(as_text=True)
        for secret in secrets_:
            assert secret not in body, f"{url} shows {secret!r}"
        # Ben chose not to be shown; his name as a word, not as letters inside a random code.
        assert not re.search(r"(?<![\w-])Ben(?![\w-])", body), f"{url} shows Ben"


def test_a_participant_deletes_their_details_and_their_units_keep_counting(app, browser, client, invite, db):
    with app.app_context():
        amira, token = factories.participant(drives.public_drive("7-for-jack"), "Amira Haddad",
                                             email="amira@example.org", planned_on=PLANNED)
        factories.reported_donation(amira)
        _db.session.commit()
    private = f"/p/{token}"
    assert browser.get(f"{private}/delete").status_code == 200
    response = browser.submit(f"{private}/delete", {})
    assert response.status_code == 302
    assert response.headers["Location"] == "/d/7-for-jack"
    participant = db.session.scalar(db.select(Participant))
    assert (participant.name, participant.email, participant.planned_on, participant.show_name) == (
        "Anonymous", None, None, False)
    assert client.get(private).status_code == 404
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "1 of 7 units" in page
    assert "Amira" not in page
    assert db.session.scalar(db.select(Donation.participant_id)) == participant.id


def test_deleting_needs_the_csrf_token(app, client, invite, unchanged):
    private = signed_up(app)
    with unchanged():
        assert client.post(f"{private}/delete").status_code == 400


def _lost_link(browser, email: str):
    return browser.submit("/d/7-for-jack/lost-link", {"email": email})


def _sign_in_path(app, address: str) -> str:
    [message] = [m for m in outbox(app) if "sign-in link" in m["Subject"] and address in m["To"]][-1:]
    return re.search(r"http://drive\.test(/sign-in/[\w.-]+)", message.get_body(("plain",)).get_content()).group(1)


def _open_private_page(browser, sign_in: str, replace_old: bool = False):
    """Press the sign-in page's button: the answer, a redirect to a private page."""
    return browser.submit(sign_in, {"replace_old": "y"} if replace_old else {})


def test_asking_for_a_lost_link_leaves_the_old_link_working(app, browser, client, invite, unchanged):
    """Anyone who knows a friend's address can ask: asking must never lock the friend out."""
    old = signed_up(app, email="amira@example.org")
    with unchanged():
        response = _lost_link(browser, "Amira@Example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/d/7-for-jack/lost-link/sent"
    assert client.get(old).status_code == 200
    text = outbox(app)[-1].get_body(("plain",)).get_content()
    assert "Your private link still works" in text and "/p/" not in text


def test_the_emailed_sign_in_link_opens_the_private_page_and_keeps_the_old_link(app, browser, client, invite, db):
    old = signed_up(app, email="amira@example.org")
    _lost_link(browser, "amira@example.org")
    sign_in = _sign_in_path(app, "amira@example.org")
    with_a_mail_scanner = client.get(sign_in)
    assert with_a_mail_scanner.status_code == 200
    assert "Open my private page" in with_a_mail_scanner.get_data(as_text=True)
    assert with_a_mail_scanner.headers["Referrer-Policy"] == "no-referrer"
    opened = _open_private_page(browser, sign_in)
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/p/")
    page = browser.get(opened.headers["Location"]).get_data(as_text=True)
    assert "Hello, Amira Haddad" in page and "Your old link still works too" in page
    assert client.get(old).status_code == 200, "the old link keeps working unless the friend replaces it"
    used = client.get(sign_in)
    assert used.status_code == 410 and "ask for a new one" in used.get_data(as_text=True)


def test_the_friend_may_choose_to_replace_the_old_link_when_signing_in(app, browser, client, invite):
    old = signed_up(app, email="amira@example.org")
    _lost_link(browser, "amira@example.org")
    opened = _open_private_page(browser, _sign_in_path(app, "amira@example.org"), replace_old=True)
    new = opened.headers["Location"]
    assert client.get(new).status_code == 200
    assert client.get(old).status_code == 404


@pytest.mark.parametrize("token", ["forged", "eyJwIjoxfQ.aaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbb", "x" * 400])
def test_a_forged_sign_in_link_is_refused(app, client, invite, unchanged, token):
    signed_up(app, email="amira@example.org")
    with unchanged():
        refused = client.get(f"/sign-in/{token}")
        assert client.post(f"/sign-in/{token}", data={}).status_code in (400, 410)
    assert refused.status_code == 410
    assert "This sign-in link has expired" in refused.get_data(as_text=True)


def test_an_expired_sign_in_link_is_refused(app, browser, client, invite, unchanged, monkeypatch):
    from donation_drive.privacy import sign_in
    signed_up(app, email="amira@example.org")
    _lost_link(browser, "amira@example.org")
    path = _sign_in_path(app, "amira@example.org")
    monkeypatch.setattr(sign_in, "LIFETIME_SECONDS", -1)
    with unchanged():
        assert client.get(path).status_code == 410
        token = csrf_token(browser.get(invite).get_data(as_text=True))
        assert browser.client.post(path, data={"csrf_token": token}).status_code == 410


def test_a_friend_replaces_their_own_link_from_their_page(app, browser, client, invite, unchanged):
    old = signed_up(app, email="amira@example.org")
    with unchanged():
        assert client.post(f"{old}/replace-link").status_code == 400, "the button needs its CSRF token"
    replaced = browser.submit(old, {}, action=f"{old}/replace-link")
    assert replaced.status_code == 302
    new = replaced.headers["Location"]
    assert new != old and new.startswith("/p/")
    page = browser.get(new).get_data(as_text=True)
    assert "This is your new private link" in page and f"http://drive.test{new}" in page
    assert client.get(old).status_code == 404


def test_an_unknown_email_gets_the_same_answer_and_nothing_changes(app, browser, invite, unchanged):
    signed_up(app, email="amira@example.org")
    messages_before = len(outbox(app))
    with unchanged():
        response = _lost_link(browser, "nobody@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/d/7-for-jack/lost-link/sent"
    assert len(outbox(app)) == messages_before


def test_a_known_and_an_unknown_address_see_the_same_lost_link_answer(app, browser, invite):
    signed_up(app, email="amira@example.org")
    known, unknown = _lost_link(browser, "amira@example.org"), _lost_link(browser, "nobody@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert browser.get(known.headers["Location"]).get_data() == browser.get(unknown.headers["Location"]).get_data()


def test_when_the_mail_cannot_go_the_old_link_still_works(app, browser, client, invite):
    old = signed_up(app, email="amira@example.org")
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1)  # nothing listens there
    assert _lost_link(browser, "amira@example.org").status_code == 302
    assert client.get(old).status_code == 200


def test_the_lost_link_page_is_reached_from_the_invite_and_progress_pages(client, invite):
    for page in (invite, "/d/7-for-jack"):
        assert 'href="/d/7-for-jack/lost-link"' in client.get(page).get_data(as_text=True)
    bad = client.get("/d/no-such-drive/lost-link")
    assert bad.status_code == 404


def test_a_malformed_email_is_refused_with_a_message(browser, invite, unchanged):
    with unchanged():
        response = _lost_link(browser, "not an email")
    assert response.status_code == 422
    assert "email address like" in response.get_data(as_text=True)


def test_the_privacy_page_says_what_is_kept_and_is_in_the_footer(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "What we keep" in page
    assert 'href="/privacy"' in client.get("/").get_data(as_text=True)
