"""Updates on the progress page, and the activity log on the organiser's settings page."""

import re

from donation_drive.core.rules import today
from donation_drive.models import ActivityEntry, Update
from test_journeys import create_drive, invite_path, report, sign_up


def post_update(browser, organiser_page: str, body: str):
    return browser.submit(
        organiser_page, {"update-body": body}, action=f"{organiser_page}/updates", prefix="update"
    )


def update_ids(browser, organiser_page: str) -> list[str]:
    html = browser.get(f"{organiser_page}/updates").get_data(as_text=True)
    return re.findall(rf"{organiser_page}/updates/(\d+)/edit", html)


def test_organiser_posts_updates_shown_newest_first_with_dates(browser, client):
    browser.register()
    page = create_drive(browser)
    assert post_update(browser, page, "Three of us booked for Saturday.").status_code == 302
    assert post_update(browser, page, "We did it — 7 bags in one morning").status_code == 302

    html = client.get("/d/7-for-jack").get_data(as_text=True)
    first = html.index("We did it — 7 bags in one morning")
    second = html.index("Three of us booked for Saturday.")
    assert first < second, "newest update first"
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)


def test_organiser_edits_and_deletes_an_update(browser, client, db):
    browser.register()
    page = create_drive(browser)
    post_update(browser, page, "Tomorrow at 9.")
    (update_id,) = update_ids(browser, page)
    edit_url = f"{page}/updates/{update_id}/edit"

    assert browser.submit(edit_url, {"update-body": "Tomorrow at 10, not 9."}, prefix="update").status_code == 302
    html = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "Tomorrow at 10, not 9." in html and "Tomorrow at 9." not in html

    deleted = browser.submit(edit_url, {}, action=f"{page}/updates/{update_id}/delete")
    assert deleted.status_code == 302
    assert "Tomorrow at 10" not in client.get("/d/7-for-jack").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Update.id))) == 0


def test_empty_or_too_long_update_is_refused_and_nothing_saved(browser, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        empty = post_update(browser, page, "   ")
        too_long = post_update(browser, page, "x" * 2001)
    assert empty.status_code == 422
    assert "Please write something for the update." in empty.get_data(as_text=True)
    assert too_long.status_code == 422
    assert "under 2,000 characters" in too_long.get_data(as_text=True)


def test_an_update_holding_a_nul_character_is_refused_and_nothing_saved(browser, unchanged):
    """PostgreSQL can't store NUL: the update used to crash there (500), and SQLite kept it."""
    browser.register()
    page = create_drive(browser)
    with unchanged():
        response = post_update(browser, page, "Seven bags\x00 today")
    assert response.status_code == 422
    assert "invisible control character (NUL)" in response.get_data(as_text=True)


def test_update_html_is_shown_as_text(browser, client):
    browser.register()
    page = create_drive(browser)
    post_update(browser, page, "<script>alert(1)</script> thanks")
    html = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def test_stranger_cannot_post_edit_or_delete_updates(browser, client, unchanged):
    browser.register()
    page = create_drive(browser)
    post_update(browser, page, "Hello")
    (update_id,) = update_ids(browser, page)
    browser.logout()
    browser.register(name="Stranger", email="stranger@example.org")
    token_page = browser.get("/drives/new").get_data(as_text=True)
    from support import csrf_token

    token = csrf_token(token_page)
    with unchanged():
        for url in (f"{page}/updates", f"{page}/updates/{update_id}/delete"):
            assert client.post(url, data={"csrf_token": token, "update-csrf_token": token, "update-body": "x"}).status_code == 404
        assert client.get(f"{page}/updates/{update_id}/edit").status_code == 404


def test_update_of_another_drive_is_not_found(browser, unchanged):
    browser.register()
    first = create_drive(browser)
    post_update(browser, first, "First drive news")
    (update_id,) = update_ids(browser, first)
    second = create_drive(browser, title="Second drive")
    with unchanged():
        assert browser.get(f"{second}/updates/{update_id}/edit").status_code == 404


def test_activity_log_records_who_did_what_and_when(browser, db):
    browser.register(name="Sam Organiser")
    page = create_drive(browser)
    invite = invite_path(browser, page)
    browser.logout()
    friend = sign_up(browser, invite, "Alex")
    report(browser, friend)
    browser.login()
    browser.submit(page, {"participant_id": "0", "units": "2", "donation_type": "whole_blood",
                          "donated_on": today().isoformat()}, action=f"{page}/donations")
    html = browser.get(f"{page}/donations").get_data(as_text=True)
    donation_id = re.search(rf"{page}/donations/(\d+)/confirm", html).group(1)
    browser.submit(page, {}, action=f"{page}/donations/{donation_id}/confirm")
    post_update(browser, page, "Thank you all")
    browser.submit(page, {}, action=f"{page}/close")

    html = browser.get(f"{page}/settings").get_data(as_text=True)
    activity = html[html.index('id="activity"'):]
    for said in ("<bdi>Sam Organiser</bdi> created the drive", "<bdi>Sam Organiser</bdi> confirmed 1 unit from Alex",
                 "posted an update: “Thank you all”", "<bdi>Sam Organiser</bdi> closed the drive"):
        assert said in activity
    # A participant's own report is theirs, not an organiser action.
    summaries = db.session.scalars(db.select(ActivityEntry.summary)).all()
    assert not any("reported" in summary for summary in summaries)
    assert all(entry.created_at is not None for entry in db.session.scalars(db.select(ActivityEntry)))
