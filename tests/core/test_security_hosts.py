"""No link the app sends out names a host chosen by whoever made the request.

Without SERVER_NAME, absolute links are built from the request's Host, so only this machine's
names (or ALLOWED_HOSTS, from TRUSTED_HOSTS in the environment) are answered; with SERVER_NAME
every link is built from it, whatever Host a request names.
"""

import re

import pytest

import factories
from donation_drive import create_app
from donation_drive.core.extensions import db as _db
from support import base_config, csrf_token, outbox, text_of

EVIL = "http://evil.example"


@pytest.fixture
def friend(app) -> str:
    """An organiser (sam@example.org) with a drive, and a friend signed up with her email (made directly)."""
    with app.app_context():
        factories.participant(factories.drive(factories.organiser()), "Amira Haddad", email="amira@example.org")
        _db.session.commit()
    return "amira@example.org"


@pytest.fixture
def unconfigured(app, friend):
    """The app as `flask run` starts it with no configuration (no SERVER_NAME), once `friend` is in."""
    app.config["SERVER_NAME"] = None
    return app


def submit_under(client, base_url: str, page: str, data: dict):
    """Fetch a form and post it, both under `base_url`'s host, as a script with a forged Host would."""
    form_page = client.get(page, base_url=base_url)
    if form_page.status_code != 200:
        return form_page
    return client.post(page, base_url=base_url,
                       data={"csrf_token": csrf_token(form_page.get_data(as_text=True)), **data})


UNTRUSTED = "does not answer to the address you used"


@pytest.mark.parametrize("page, data", [
    ("/d/7-for-jack/lost-link", {"email": "amira@example.org"}),
    ("/auth/reset/", {"email": "sam@example.org"}),
])
def test_a_form_that_emails_a_link_refuses_a_forged_host(unconfigured, client, unchanged, page, data):
    messages = len(outbox(unconfigured))
    with unchanged():
        form_page = client.get(page, base_url=EVIL)
        posted = submit_under(client, EVIL, page, data)
    assert form_page.status_code == 400
    assert UNTRUSTED in form_page.get_data(as_text=True)
    assert posted.status_code == 400
    assert len(outbox(unconfigured)) == messages


def test_a_forged_host_cannot_post_even_with_a_form_from_our_own_host(unconfigured, client, unchanged):
    form_page = client.get("/d/7-for-jack/lost-link")
    session = client.get_cookie("session")
    client.set_cookie("session", session.value, domain="evil.example")
    messages = len(outbox(unconfigured))
    with unchanged():
        posted = client.post("/d/7-for-jack/lost-link", base_url=EVIL, data={
            "csrf_token": csrf_token(form_page.get_data(as_text=True)), "email": "amira@example.org"})
    assert posted.status_code == 400
    assert UNTRUSTED in posted.get_data(as_text=True)
    assert len(outbox(unconfigured)) == messages


@pytest.mark.parametrize("path", ["/", "/d/7-for-jack", "/api/v1/drives/7-for-jack", "/healthz"])
def test_any_page_under_a_forged_host_is_refused(unconfigured, client, path):
    response = client.get(path, base_url=EVIL)
    assert response.status_code == 400
    assert "evil.example" not in response.get_data(as_text=True)


@pytest.mark.parametrize("base_url", ["http://localhost", "http://127.0.0.1:5000", "http://[::1]:5000",
                                      "http://LOCALHOST:8080"])
def test_flask_run_on_this_machine_needs_no_configuration(unconfigured, client, base_url):
    response = submit_under(client, base_url, "/d/7-for-jack/lost-link", {"email": "amira@example.org"})
    assert response.status_code == 302
    link = re.search(r"(\S+)/sign-in/[\w.-]+", text_of(outbox(unconfigured)[-1])).group(1)
    assert link == base_url.lower()


def test_the_hosts_named_in_trusted_hosts_are_the_only_ones_answered(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("TRUSTED_HOSTS", "drive.example.org, .drives.example.net")
    config = {**base_config(database_url, tmp_path), "SERVER_NAME": None}
    client = create_app(config).test_client()
    assert client.get("/", base_url="https://drive.example.org").status_code == 200
    assert client.get("/", base_url="https://leeds.drives.example.net").status_code == 200
    assert client.get("/", base_url="https://drives.example.net").status_code == 200
    assert client.get("/", base_url="http://127.0.0.1:5000").status_code == 400
    assert client.get("/", base_url="https://evildrives.example.net").status_code == 400


def test_with_server_name_every_emailed_link_uses_it_whatever_the_host(app, client, friend):
    response = submit_under(client, EVIL, "/d/7-for-jack/lost-link", {"email": "amira@example.org"})
    assert response.status_code == 302
    message = text_of(outbox(app)[-1])
    assert re.search(r"http://drive\.test/sign-in/[\w.-]+", message)
    assert "evil.example" not in message

    response = submit_under(client, EVIL, "/auth/reset/", {"email": "sam@example.org"})
    assert response.status_code == 302
    message = text_of(outbox(app)[-1])
    assert re.search(r"http://drive\.test/auth/reset/[\w-]+", message)
    assert "evil.example" not in message


@pytest.mark.parametrize("path", ["/d/7-for-jack/drive.ics", "/api/v1/drives/7-for-jack"])
def test_with_server_name_calendars_and_the_api_name_it_whatever_the_host(client, friend, path):
    body = client.get(path, base_url=EVIL).get_data(as_text=True)
    assert "drive.test" in body
    assert "evil.example" not in body
