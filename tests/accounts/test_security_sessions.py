"""Sessions: cookie flags, a fresh session on login, logout that really ends it, safe `next`."""

import pytest

from donation_drive import create_app
from donation_drive.core.extensions import db as _db
from donation_drive.models import User
from support import base_config

PASSWORD = "a long enough password"


def _session_cookie_header(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert cookies, "no session cookie was set"
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(browser):
    response = browser.register()
    cookie = _session_cookie_header(response)
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP by default: a Secure cookie would never come back


def test_session_cookie_is_secure_when_served_over_https(database_url, tmp_path):
    app = create_app({**base_config(database_url, tmp_path), "PREFERRED_URL_SCHEME": "https"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    response = app.test_client().get("/auth/login", base_url="https://drive.test")
    assert "Secure" in _session_cookie_header(response)


def test_login_starts_a_new_session_keeping_nothing(browser, client):
    browser.register()
    browser.logout()
    with client.session_transaction() as session:
        session["planted_by_someone_else"] = "value"
    browser.login()
    with client.session_transaction() as session:
        assert "planted_by_someone_else" not in session
        assert session["_user_id"].startswith("1.")


def test_logout_ends_the_session_even_for_a_copied_cookie(browser, client):
    browser.register()
    stolen = client.get_cookie("session", domain="drive.test").value
    assert browser.get("/drives/").status_code == 200
    browser.logout()
    client.set_cookie("session", stolen, domain="drive.test")
    response = browser.get("/drives/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_logging_in_again_after_logout_works(browser):
    browser.register()
    browser.logout()
    assert browser.login().status_code == 302
    assert browser.get("/drives/").status_code == 200


def test_a_forged_or_old_style_session_id_logs_nobody_in(app, browser, client):
    browser.register()
    with app.app_context():  # not the `db` fixture: its app context would cache the user in `g`
        user = _db.session.scalar(_db.select(User))
    for forged in (str(user.id), f"{user.id}.", f"{user.id}.wrong", "x.y", f"99.{user.session_nonce}"):
        with client.session_transaction() as session:
            session["_user_id"] = forged
        assert browser.get("/drives/").status_code == 302, forged


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "http:evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        " //evil.example",
        "javascript:alert(1)",
        "JavaScript://%0aalert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
    ],
)
def test_next_never_leads_off_site(browser, target):
    browser.register()
    browser.logout()
    response = browser.submit("/auth/login", {"email": "sam@example.org", "password": PASSWORD},
                              action="/auth/login", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/drives/"


def test_next_to_a_page_on_this_site_is_followed(browser):
    browser.register()
    browser.logout()
    response = browser.submit("/auth/login", {"email": "sam@example.org", "password": PASSWORD},
                              query_string={"next": "/drives/new"})
    assert response.headers["Location"] == "/drives/new"
