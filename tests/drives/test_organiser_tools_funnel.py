"""'Is this working?': views, invite opens, sign-ups and donations per day, without cookies or IPs."""

import re

from donation_drive.core.rules import today
from donation_drive.models import DailyCount
from test_journeys import create_drive, invite_path, report, sign_up


def funnel_text(browser, page: str) -> str:
    html = browser.get(page).get_data(as_text=True)
    return html[html.index('id="funnel"'):]


def test_funnel_counts_views_opens_sign_ups_and_donations_per_day(browser, client, db):
    browser.register()
    page = create_drive(browser)
    invite = invite_path(browser, page)
    browser.logout()
    for _ in range(3):
        client.get("/d/7-for-jack")
    client.get(invite)
    private = sign_up(browser, invite, "Alex")  # opens the invite page once more
    report(browser, private)
    client.get("/d/no-such-drive")
    client.get("/join/not-a-code")
    browser.login()

    overview = browser.get(page).get_data(as_text=True)
    assert "3 progress-page views, 2 invite-link opens, 1 sign-up." in overview
    text = funnel_text(browser, f"{page}/advanced")
    assert "3 progress-page views, 2 invite-link opens, 1 sign-up, 1 donation" in text
    row = re.search(r"<tr><td>[^<]+</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>", text)
    assert row.groups() == ("3", "2", "1", "1")
    rows = db.session.execute(db.select(DailyCount.day, DailyCount.kind, DailyCount.count)).all()
    assert sorted(rows) == [(today(), "invite_open", 2), (today(), "progress_view", 3)]


def test_counting_sets_no_cookie_and_keeps_nothing_about_the_viewer(client, browser, db):
    browser.register()
    create_drive(browser)
    browser.logout()
    fresh = browser.client.application.test_client()
    response = fresh.get("/d/7-for-jack", headers={"X-Forwarded-For": "203.0.113.9"},
                         environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    for table in ("daily_count",):
        columns = {column.name for column in db.metadata.tables[table].columns}
        assert columns == {"drive_id", "day", "kind", "count"}


def test_strangers_do_not_see_the_funnel(browser):
    browser.register()
    page = create_drive(browser)
    browser.logout()
    browser.register(name="Stranger", email="stranger@example.org")
    assert browser.get(page).status_code == 404
