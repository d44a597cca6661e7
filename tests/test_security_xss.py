"""Every text a user can enter is shown escaped: titles, names, story, place, honoree, pledges."""

import pytest

from test_journeys import create_drive, invite_path, report, sign_up
from xss_payloads import PAYLOADS, RAW_MARKUP


def assert_escaped(html: str, where: str) -> None:
    for raw in RAW_MARKUP:
        assert raw not in html, f"{where} shows {raw!r} unescaped"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_every_user_text_are_escaped_everywhere(browser, client, payload):
    browser.register(name=payload[:80])
    organiser_page = create_drive(browser, title=f"Drive {payload}"[:120], honoree=payload[:80],
                                  story=f"Story {payload}\n\n{payload}", place=payload[:120])
    invite = invite_path(browser, organiser_page)
    private = sign_up(browser, invite, payload[:80], show_name="y", name_shown_as="full_name")
    report(browser, private)
    slug = organiser_page.rsplit("/", 1)[1]
    pages = {
        "organiser page": organiser_page,
        "dashboard": "/drives/",
        "edit page": f"{organiser_page}/edit",
        "progress page": f"/d/{slug}",
        "sign-up page": invite,
        "private page": private,
        "welcome page": f"{private}/welcome",
        "home page": "/",
        "lost-link page": f"/d/{slug}/lost-link",
    }
    for where, url in pages.items():
        response = browser.get(url)
        assert response.status_code == 200, where
        assert_escaped(response.get_data(as_text=True), where)
    api = client.get(f"/api/drives/{slug}")
    assert api.mimetype == "application/json"  # never sniffed as HTML: nosniff is on every response
    assert api.headers["X-Content-Type-Options"] == "nosniff"


def test_a_payload_in_a_bad_form_is_escaped_when_shown_back(browser):
    payload = PAYLOADS[1]
    response = browser.submit("/auth/register", {"name": payload, "email": payload, "password": "x"})
    assert response.status_code == 422
    assert_escaped(response.get_data(as_text=True), "register form")
