"""Organiser accounts: register, log in, log out — and what is refused."""

import io

import pytest

from donation_drive.core.web import FILE_PART_MESSAGE
from donation_drive.models import User
from support import csrf_token


def test_register_logs_in_and_lands_on_my_drives(browser):
    response = browser.register(email="  Sam@Example.ORG ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/drives/"
    assert "You have no drives yet" in browser.get("/drives/").get_data(as_text=True)


def test_email_is_stored_normalised_and_password_hashed(browser, db):
    browser.register(email="  Sam@Example.ORG ", password="a long enough password")
    user = db.session.scalar(db.select(User))
    assert user.email == "sam@example.org"
    assert "a long enough password" not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))


def test_login_with_any_case_of_the_email(browser):
    browser.register()
    browser.logout()
    response = browser.login(email="SAM@example.org")
    assert response.status_code == 302


def test_wrong_password_is_refused_with_a_clear_message(browser):
    browser.register()
    browser.logout()
    response = browser.login(password="not the password")
    assert response.status_code == 422
    assert "don&#39;t match an account" in response.get_data(as_text=True)
    assert browser.get("/drives/").status_code == 302


def test_logout_needs_a_post_with_csrf(browser, client):
    browser.register()
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert browser.get("/drives/").status_code == 200
    assert browser.logout().status_code == 302
    assert browser.get("/drives/").status_code == 302


@pytest.mark.parametrize(
    ("form", "field_message"),
    [
        ({"name": "", "email": "a@example.org", "password": "long enough pw"}, "Please enter a name."),
        ({"name": "A" * 81, "email": "a@example.org", "password": "long enough pw"}, "under 80 characters"),
        ({"name": "Ann", "email": "not-an-email", "password": "long enough pw"}, "email address like"),
        ({"name": "Ann", "email": "", "password": "long enough pw"}, "Please enter your email"),
        ({"name": "Ann", "email": "a@example.org", "password": "short"}, "Please use 12 to 256"),
        ({"name": "Ann", "email": "a@example.org", "password": "x" * 257}, "Please use 12 to 256"),
    ],
)
def test_bad_registrations_are_refused_and_store_nothing(browser, unchanged, form, field_message):
    with unchanged():
        response = browser.submit("/auth/register", form)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_message in page
    assert 'aria-invalid="true"' in page


def test_duplicate_email_is_refused(browser, client, unchanged):
    browser.register()
    browser.logout()
    with unchanged():
        response = browser.register(name="Someone else")
    # Refused without saying so (that would reveal who has an account): the owner is emailed.
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/check-email"
    assert browser.get("/drives/").status_code == 302


def test_a_post_without_csrf_token_changes_nothing(client, unchanged):
    with unchanged():
        response = client.post(
            "/auth/register", data={"name": "Ann", "email": "a@example.org", "password": "long enough pw"}
        )
    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)


def test_a_wrong_csrf_token_changes_nothing(client, unchanged):
    with unchanged():
        response = client.post(
            "/auth/register",
            data={"csrf_token": "forged", "name": "Ann", "email": "a@example.org", "password": "long enough pw"},
        )
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_login_never_redirects_off_site(browser, target):
    browser.register()
    browser.logout()
    response = browser.submit(
        f"/auth/login?next={target}",
        {"email": "sam@example.org", "password": "a long enough password"},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/drives/"


def test_login_follows_a_local_next(browser):
    browser.register()
    browser.logout()
    response = browser.submit(
        "/auth/login?next=/drives/new", {"email": "sam@example.org", "password": "a long enough password"}
    )
    assert response.headers["Location"] == "/drives/new"


def test_login_with_its_email_sent_as_a_file_is_refused(browser, unchanged):
    """A script (or a broken client) sending a text field as a file part used to get a 500."""
    browser.register()
    browser.logout()
    token = csrf_token(browser.get("/auth/login").get_data(as_text=True))
    with unchanged():
        response = browser.client.post("/auth/login", content_type="multipart/form-data", data={
            "csrf_token": token, "email": (io.BytesIO(b"sam@example.org"), "email.txt"),
            "password": "a long enough password"})
    assert response.status_code == 400
    assert FILE_PART_MESSAGE in response.get_data(as_text=True)
    assert browser.get("/drives/").status_code == 302
