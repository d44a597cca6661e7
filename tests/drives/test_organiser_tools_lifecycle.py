"""The drive's life: extend the end date, delete (owner only, typed title), CSV export, milestones."""

import csv
import io
import re
from datetime import timedelta

from donation_drive.core.rules import today
from donation_drive.counting.milestones import EXCEEDED, held
from donation_drive.counting.progress import Progress
from donation_drive.drives.exports import neutralise
from donation_drive.models import ActivityEntry, Donation, Drive, Milestone, Participant, Update
from support import csrf_token
from test_journeys import create_drive, invite_path, report, sign_up
from test_organiser_tools_coorganisers import owner_and_co_organiser


def log_units(browser, page: str, units: int):
    return browser.submit(page, {"participant_id": "0", "units": str(units), "donation_type": "whole_blood",
                                 "donated_on": today().isoformat()}, action=f"{page}/donations")


def test_organiser_extends_the_end_date(browser, client):
    browser.register()
    page = create_drive(browser)
    later = today() + timedelta(days=60)
    response = browser.submit(f"{page}/extend", {"extend-ends_on": later.isoformat()}, prefix="extend")
    assert response.status_code == 302
    assert client.get("/api/drives/7-for-jack").get_json()["ends_on"] == later.isoformat()
    assert "extended the end date" in browser.get(f"{page}/settings").get_data(as_text=True)


def test_bad_extensions_are_refused(browser, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        earlier = browser.submit(f"{page}/extend", {"extend-ends_on": today().isoformat()}, prefix="extend")
        too_far = browser.submit(f"{page}/extend", {"extend-ends_on": (today() + timedelta(days=4000)).isoformat()}, prefix="extend")
        garbage = browser.submit(f"{page}/extend", {"extend-ends_on": "next tuesday"}, prefix="extend")
    assert earlier.status_code == too_far.status_code == garbage.status_code == 422
    assert "pick a later date" in earlier.get_data(as_text=True)
    assert "at most three years" in too_far.get_data(as_text=True)
    assert "Please enter a real date" in garbage.get_data(as_text=True)


def test_sign_ups_stop_after_the_end_date_without_anyone_acting(browser, client, db):
    browser.register()
    page = create_drive(browser, starts_on=(today() - timedelta(days=10)).isoformat())
    db.session.scalar(db.select(Drive)).ends_on = today() - timedelta(days=1)  # its last day has passed
    db.session.commit()
    invite = invite_path(browser, page)
    browser.logout()
    token = csrf_token(browser.get("/auth/login").get_data(as_text=True))
    refused = browser.client.post(invite, data={"csrf_token": token, "name": "Late", "units": "1",
                                                "donation_type": "whole_blood"})
    assert refused.status_code == 409
    assert "no longer taking sign-ups" in refused.get_data(as_text=True)
    assert "has ended and no longer takes sign-ups" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_owner_deletes_a_drive_with_its_participants_personal_data(browser, client, db):
    browser.register()
    page = create_drive(browser)
    invite = invite_path(browser, page)
    browser.submit(page, {"update-body": "Thanks"}, action=f"{page}/updates", prefix="update")
    browser.logout()
    private = sign_up(browser, invite, "Alex", email="alex@example.org")
    report(browser, private)
    browser.login()
    response = browser.submit(f"{page}/delete", {"confirmation": "7 for Jack"})
    assert response.status_code == 302 and response.headers["Location"] == "/drives/"
    for model in (Drive, Participant, Donation, Update, ActivityEntry):
        assert db.session.scalar(db.select(db.func.count()).select_from(model)) == 0, model
    assert client.get("/d/7-for-jack").status_code == 404
    assert client.get(private).status_code == 404
    assert client.get(invite).status_code == 404


def test_wrong_delete_confirmation_deletes_nothing(browser, client, unchanged):
    browser.register()
    page = create_drive(browser)
    assert "7 for Jack" in browser.get(f"{page}/delete").get_data(as_text=True)
    with unchanged():
        wrong = browser.submit(f"{page}/delete", {"confirmation": "7 for jack!"})
        empty = browser.submit(f"{page}/delete", {"confirmation": ""})
    assert wrong.status_code == empty.status_code == 422
    assert "isn&#39;t the drive&#39;s title, so nothing was deleted" in wrong.get_data(as_text=True)
    assert client.get("/d/7-for-jack").status_code == 200


def test_co_organiser_cannot_delete_the_drive(browser, client, unchanged):
    page = owner_and_co_organiser(browser)
    assert "Delete this drive" not in browser.get(f"{page}/settings").get_data(as_text=True)
    token = csrf_token(browser.get(page).get_data(as_text=True))
    with unchanged():
        response = browser.client.post(f"{page}/delete", data={"csrf_token": token, "confirmation": "7 for Jack"})
        page_get = browser.get(f"{page}/delete")
    assert response.status_code == page_get.status_code == 403
    assert "Only the drive&#39;s owner can do that" in response.get_data(as_text=True)
    assert client.get("/d/7-for-jack").status_code == 200


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_csv_export_has_a_bom_and_neutralises_formulas(browser):
    browser.register()
    page = create_drive(browser)
    invite = invite_path(browser, page)
    browser.logout()
    names = ["=HYPERLINK(\"http://evil\")", "+1+2", "-3", "@SUM(A1)", "Zoë Brontë"]
    links = [sign_up(browser, invite, name) for name in names]
    report(browser, links[0])
    browser.login()

    response = browser.get(f"{page}/export/participants.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0][:3] == ["Name", "Email", "Units pledged"]
    exported = [row[0] for row in rows[1:]]
    assert exported == ["'=HYPERLINK(\"http://evil\")", "'+1+2", "'-3", "'@SUM(A1)", "Zoë Brontë"]

    donations = read_csv(browser.get(f"{page}/export/donations.csv"))
    assert donations[1][1] == "'=HYPERLINK(\"http://evil\")"
    assert donations[1][2] == "1"


def test_neutralise_leaves_numbers_and_plain_text_alone():
    assert neutralise(-3) == -3
    assert neutralise("Jack") == "Jack"
    assert neutralise("\rX") == "'\rX"
    assert neutralise("\tX") == "'\tX"


def test_participants_and_strangers_cannot_export(browser, client):
    browser.register()
    page = create_drive(browser)
    browser.logout()
    assert client.get(f"{page}/export/participants.csv").status_code == 302  # to the login page
    browser.register(name="Stranger", email="stranger@example.org")
    assert browser.get(f"{page}/export/donations.csv").status_code == 404


def test_milestones_are_held_by_whole_number_thresholds():
    def at(units: int, target: int = 12) -> set[int]:
        return held(Progress(target_units=target, units_donated=units, units_pledged=0, participant_count=0))

    assert at(2) == set()
    assert at(3) == {25}
    assert at(9) == {25, 50, 75}
    assert at(12) == {25, 50, 75, 100}
    assert at(13) == {25, 50, 75, 100, EXCEEDED}


def test_milestones_timeline_with_dates_on_the_progress_page(browser, client, db):
    browser.register()
    page = create_drive(browser, target_units="4")
    log_units(browser, page, 1)
    log_units(browser, page, 2)
    html = client.get("/d/7-for-jack").get_data(as_text=True)
    timeline = html[html.index("Milestones"):]
    assert "A quarter of the way" in timeline and "Three quarters of the way" in timeline
    assert "Target reached" not in timeline
    assert f'<time datetime="{today().isoformat()}">' in timeline
    log_units(browser, page, 2)
    html = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "Target reached" in html and "Target exceeded" in html
    assert db.session.scalar(db.select(db.func.count(Milestone.id))) == 5


def test_a_rejected_report_takes_back_a_milestone_not_yet_held(browser, client, db):
    browser.register()
    page = create_drive(browser, target_units="1")
    invite = invite_path(browser, page)
    browser.logout()
    report(browser, sign_up(browser, invite, "Alex"))
    assert "Target reached" in client.get("/d/7-for-jack").get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Milestone.id))) == 4
    db.session.rollback()
    browser.login()
    html = browser.get(f"{page}/donations").get_data(as_text=True)
    donation_id = re.search(rf"{page}/donations/(\d+)/reject", html).group(1)
    browser.submit(page, {}, action=f"{page}/donations/{donation_id}/reject")
    assert db.session.scalar(db.select(db.func.count(Milestone.id))) == 0
    assert "Milestones" not in client.get("/d/7-for-jack").get_data(as_text=True)
