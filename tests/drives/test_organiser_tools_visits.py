"""Going together: organisers propose group visits; participants take places from their private
page, see who else is going (only those who agreed), and add the visit to their calendar."""

import re
from datetime import timedelta

from icalendar import Calendar

from donation_drive.core.rules import today
from donation_drive.models import GroupVisit, VisitPlace
from support import csrf_token
from test_journeys import create_drive, invite_path, sign_up


def propose(browser, page: str, **overrides):
    form = {"visit_on": (today() + timedelta(days=5)).isoformat(), "starts_at": "09:30",
            "centre": "Leeds Donor Centre", "places": "2"}
    form.update(overrides)
    return browser.submit(f"{page}/visits/new", form)


def drive_with_visit(browser, *friends: tuple[str, bool]) -> tuple[str, list[str], str]:
    browser.register()
    page = create_drive(browser)
    assert propose(browser, page).status_code == 302
    invite = invite_path(browser, page)
    browser.logout()
    links = [sign_up(browser, invite, name, **({"show_name": "y"} if shown else {})) for name, shown in friends]
    html = browser.get(links[0]).get_data(as_text=True)
    visit_path = re.search(r'href="(/p/[\w-]+/visits/\d+)"', html).group(1)
    return page, links, visit_path.rsplit("/", 1)[1]


def take_place(browser, private: str, visit_id: str):
    return browser.submit(private, {}, action=f"{private}/visits/{visit_id}/join")


def test_friends_go_together_and_see_places_left_and_who_agreed_to_be_shown(browser, db):
    page, links, visit_id = drive_with_visit(browser, ("Alex Smith", True), ("Bea Jones", False), ("Cal", True))
    visit_page = f"{links[0]}/visits/{visit_id}"
    html = browser.get(visit_page).get_data(as_text=True)
    assert "2 of 2 places left" in html and "Leeds Donor Centre" in html and "09:30" in html

    assert take_place(browser, links[0], visit_id).status_code == 302
    assert take_place(browser, links[1], visit_id).status_code == 302
    html = browser.get(f"{links[2]}/visits/{visit_id}").get_data(as_text=True)
    assert "0 of 2 places left" in html
    assert "<li>Alex</li>" in html and "Bea" not in html
    assert "1 person not named here" in html
    assert "This visit is full" in html

    full = take_place(browser, links[2], visit_id)
    assert full.status_code == 409 and "this visit is full" in full.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(VisitPlace.id))) == 2
    db.session.rollback()

    browser.login()
    assert "2 of 2 places taken" in browser.get(f"{page}/people").get_data(as_text=True)


def test_a_place_can_be_given_up_and_joining_twice_is_refused(browser, db, unchanged):
    _page, links, visit_id = drive_with_visit(browser, ("Alex", True))
    take_place(browser, links[0], visit_id)
    with unchanged():
        again = take_place(browser, links[0], visit_id)
    assert again.status_code == 409 and "already have a place" in again.get_data(as_text=True)
    left = browser.submit(f"{links[0]}/visits/{visit_id}", {}, action=f"{links[0]}/visits/{visit_id}/leave")
    assert left.status_code == 302
    assert "2 of 2 places left" in browser.get(f"{links[0]}/visits/{visit_id}").get_data(as_text=True)


def test_the_visit_goes_in_the_calendar(browser):
    _page, links, visit_id = drive_with_visit(browser, ("Alex", True))
    take_place(browser, links[0], visit_id)
    response = browser.get(f"{links[0]}/visits/{visit_id}/visit.ics")
    assert response.mimetype == "text/calendar"
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    start = event.decoded("dtstart")
    assert start.date() == today() + timedelta(days=5)
    assert (start.hour, start.minute) == (9, 30)
    assert str(event["location"]) == "Leeds Donor Centre"


def test_bad_visits_are_refused(browser, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        past = propose(browser, page, visit_on=(today() - timedelta(days=1)).isoformat())
        no_places = propose(browser, page, places="0")
        no_centre = propose(browser, page, centre="  ")
        bad_time = propose(browser, page, starts_at="25:99")
    for response in (past, no_places, no_centre, bad_time):
        assert response.status_code == 422
    assert "can&#39;t be in the past" in past.get_data(as_text=True)
    assert "from 1 to 50 places" in no_places.get_data(as_text=True)
    assert "which donation centre" in no_centre.get_data(as_text=True)
    assert "like 09:30" in bad_time.get_data(as_text=True)


def test_visits_of_another_drive_and_strangers_are_not_found(browser, db, unchanged):
    page, links, visit_id = drive_with_visit(browser, ("Alex", True))
    browser.login()
    other = create_drive(browser, title="Another drive")
    other_invite = invite_path(browser, other)
    browser.logout()
    outsider = sign_up(browser, other_invite, "Outsider")
    with unchanged():
        assert browser.get(f"{outsider}/visits/{visit_id}").status_code == 404
        assert take_place(browser, links[0], "999999").status_code == 404
        assert browser.get(f"/p/not-a-token/visits/{visit_id}").status_code == 404
    browser.register(name="Stranger", email="stranger@example.org")
    token = csrf_token(browser.get("/drives/").get_data(as_text=True))
    with unchanged():
        assert browser.client.post(f"{page}/visits/{visit_id}/cancel", data={"csrf_token": token}).status_code == 404
        assert browser.get(f"{page}/visits/new").status_code == 404


def test_organiser_cancels_a_visit(browser, db):
    page, _links, visit_id = drive_with_visit(browser, ("Alex", True))
    browser.login()
    assert browser.submit(page, {}, action=f"{page}/visits/{visit_id}/cancel").status_code == 302
    assert db.session.scalar(db.select(db.func.count(GroupVisit.id))) == 0
    assert "cancelled the group visit" in browser.get(f"{page}/settings").get_data(as_text=True)
