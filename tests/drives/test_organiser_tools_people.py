"""Managing people and units: edit, remove, add by hand, confirm or reject all, counting rule,
and stages (pledged → booked → donated, and "went but was deferred")."""

import re
from datetime import timedelta

from donation_drive.core.rules import today
from donation_drive.models import Donation, DonationStatus, Participant
from support import csrf_token
from test_journeys import create_drive, invite_path, report, sign_up


def drive_with_friends(browser, *names: str) -> tuple[str, list[str]]:
    browser.register()
    page = create_drive(browser)
    invite = invite_path(browser, page)
    browser.logout()
    links = [sign_up(browser, invite, name, show_name="y") for name in names]
    browser.login()
    return page, links


def participant_id(db, name: str) -> int:
    found = db.session.scalar(db.select(Participant.id).where(Participant.name == name))
    db.session.rollback()  # end this read before the next request or snapshot
    return found


def test_organiser_sees_pledged_vs_donated_and_edits_a_participant(browser, client, db):
    page, links = drive_with_friends(browser, "Alex Smith", "Bea Jones")
    browser.logout()
    report(browser, links[0], units=1)
    browser.login()
    html = browser.get(f"{page}/people").get_data(as_text=True)
    cards = html[html.index('id="participants"'):]
    alex = cards[cards.index("Alex Smith"):cards.index("Bea Jones")]
    assert 'class="stage stage--donated">Donated' in alex and "Pledged 1 × whole blood · donated 1 unit" in alex
    bea = cards[cards.index("Bea Jones"):]
    assert 'class="stage stage--pledged">Pledged' in bea and "Pledged 1 × whole blood · donated 0 units" in bea

    bea = participant_id(db, "Bea Jones")
    edit = f"{page}/participants/{bea}"
    response = browser.submit(edit, {"name": "Beatrice Jones", "units": "2", "donation_type": "platelets",
                                     "planned_on": "", "show_name": "y"})
    assert response.status_code == 302
    assert "Beatrice" in client.get("/d/7-for-jack").get_data(as_text=True)
    assert "edited Beatrice Jones&#39;s details" in browser.get(f"{page}/settings").get_data(as_text=True)


def test_bad_participant_edits_are_refused(browser, db, unchanged):
    page, _ = drive_with_friends(browser, "Alex")
    alex = participant_id(db, "Alex")
    with unchanged():
        empty = browser.submit(f"{page}/participants/{alex}", {"name": "", "units": "1", "donation_type": "whole_blood"})
        absurd = browser.submit(f"{page}/participants/{alex}", {"name": "A", "units": "500", "donation_type": "whole_blood"})
        past = browser.submit(f"{page}/participants/{alex}", {"name": "A", "units": "1", "donation_type": "whole_blood",
                                                               "planned_on": (today() - timedelta(days=3)).isoformat()})
    assert empty.status_code == absurd.status_code == past.status_code == 422
    assert "Please enter a name." in empty.get_data(as_text=True)
    assert "can&#39;t be in the past" in past.get_data(as_text=True)
    assert browser.get(f"{page}/participants/999999").status_code == 404


def test_removing_a_participant_asks_first_and_keeps_their_units(browser, client, db):
    page, links = drive_with_friends(browser, "Alex")
    browser.logout()
    report(browser, links[0], units=2, donation_type="platelets")
    browser.login()
    alex = participant_id(db, "Alex")
    confirm_page = browser.get(f"{page}/participants/{alex}/remove")
    assert confirm_page.status_code == 200
    assert "Remove Alex?" in confirm_page.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 1
    db.session.rollback()

    removed = browser.submit(f"{page}/participants/{alex}/remove", {})
    assert removed.status_code == 302
    assert db.session.scalar(db.select(db.func.count(Participant.id))) == 0
    assert client.get(links[0]).status_code == 404
    assert "2 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_organiser_adds_a_friend_without_email_by_hand(browser, client, db):
    browser.register()
    page = create_drive(browser)
    response = browser.submit(f"{page}/participants/new", {"name": "Grandad Joe", "units": "1",
                                                           "donation_type": "whole_blood", "planned_on": ""})
    assert response.status_code == 200
    link = re.search(r'value="http://drive\.test(/p/[\w-]+)"', response.get_data(as_text=True)).group(1)
    assert client.get(link).status_code == 200
    participant = db.session.scalar(db.select(Participant))
    assert participant.name == "Grandad Joe" and participant.email is None
    assert "added Grandad Joe by hand" in browser.get(f"{page}/settings").get_data(as_text=True)


def test_confirm_all_and_reject_all_reported(browser, client, db, unchanged):
    page, links = drive_with_friends(browser, "A", "B", "C")
    browser.logout()
    for link in links:
        report(browser, link)
    browser.login()
    assert browser.submit(page, {}, action=f"{page}/donations/confirm-all").status_code == 302
    statuses = set(db.session.scalars(db.select(Donation.status)))
    assert statuses == {DonationStatus.CONFIRMED}
    db.session.rollback()
    with unchanged():
        nothing = browser.submit(page, {}, action=f"{page}/donations/reject-all")
    assert nothing.status_code == 302
    assert "No reported donations are waiting" in browser.get(f"{page}/donations").get_data(as_text=True)

    browser.logout()
    report(browser, links[0])
    browser.login()
    browser.submit(page, {}, action=f"{page}/donations/reject-all")
    assert "3 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_counting_only_confirmed_donations_is_a_per_drive_choice(browser, client):
    page, links = drive_with_friends(browser, "A", "B")
    browser.logout()
    report(browser, links[0])
    report(browser, links[1])
    browser.login()
    public = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "2 of 7 units" in public
    assert "Donations count as soon as participants report them" in public

    response = browser.submit(page, {"counting-counts_reported": "confirmed"}, action=f"{page}/counting", prefix="counting")
    assert response.status_code == 302
    public = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "0 of 7 units" in public
    assert "Donations count once an organiser has confirmed them." in public
    assert client.get("/api/drives/7-for-jack").get_json()["units_donated"] == 0

    html = browser.get(f"{page}/donations").get_data(as_text=True)
    donation_id = re.search(rf"{page}/donations/(\d+)/confirm", html).group(1)
    browser.submit(page, {}, action=f"{page}/donations/{donation_id}/confirm")
    assert "1 of 7 units" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_bad_counting_choice_is_refused(browser, unchanged):
    browser.register()
    page = create_drive(browser)
    with unchanged():
        response = browser.submit(page, {"counting-counts_reported": "sometimes"}, action=f"{page}/counting", prefix="counting")
    assert response.status_code == 422


def set_stage(browser, page: str, participant: int, **fields):
    data = {f"stage-{name}": value for name, value in fields.items()}
    url = f"{page}/participants/{participant}"
    return browser.submit(url, data, action=f"{url}/stage", prefix="stage")


def test_stages_pledged_booked_donated_and_deferred_shown_apart(browser, client, db):
    page, links = drive_with_friends(browser, "Alex", "Bea", "Cal", "Dee")
    ids = {name: participant_id(db, name) for name in ("Alex", "Bea", "Cal", "Dee")}
    soon = (today() + timedelta(days=3)).isoformat()
    assert set_stage(browser, page, ids["Alex"], stage="booked", booked_on=soon, booked_place="Leeds centre").status_code == 302
    assert set_stage(browser, page, ids["Bea"], stage="booked", booked_on=soon, booked_place="Leeds centre").status_code == 302
    assert set_stage(browser, page, ids["Cal"], stage="deferred", deferred_on=today().isoformat()).status_code == 302
    browser.logout()
    report(browser, links[1])  # Bea donated: no longer "booked"
    browser.login()

    public = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "<strong>1</strong> unit donated" in public
    assert "<strong>1</strong> person booked" in public
    assert "<strong>4</strong> units pledged" in public
    assert "who went to donate and was deferred" in public
    assert "1 of 7 units" in public  # the deferral is never counted as units

    html = browser.get(f"{page}/people").get_data(as_text=True)
    assert "Booked " in html and ", Leeds centre</p>" in html
    assert "stage--deferred" in html and "stage--donated" in html

    assert set_stage(browser, page, ids["Alex"], stage="pledged").status_code == 302
    # Nobody booked any more: the stage is left out rather than shown as a discouraging zero.
    assert "booked</li>" not in client.get("/d/7-for-jack").get_data(as_text=True)


def test_incomplete_stages_are_refused(browser, db, unchanged):
    page, _ = drive_with_friends(browser, "Alex")
    alex = participant_id(db, "Alex")
    tomorrow = (today() + timedelta(days=1)).isoformat()
    with unchanged():
        no_place = set_stage(browser, page, alex, stage="booked", booked_on=tomorrow, booked_place="")
        no_date = set_stage(browser, page, alex, stage="booked", booked_place="Leeds")
        future_deferral = set_stage(browser, page, alex, stage="deferred", deferred_on=tomorrow)
        nonsense = set_stage(browser, page, alex, stage="donated")
    assert no_place.status_code == no_date.status_code == future_deferral.status_code == nonsense.status_code == 422
    assert "say where the appointment is" in no_place.get_data(as_text=True)
    assert "give the appointment&#39;s date" in no_date.get_data(as_text=True)


def test_strangers_cannot_manage_people(browser, db, unchanged):
    page, _ = drive_with_friends(browser, "Alex")
    alex = participant_id(db, "Alex")
    browser.logout()
    browser.register(name="Stranger", email="stranger@example.org")
    token = csrf_token(browser.get("/drives/").get_data(as_text=True))
    with unchanged():
        for url in (f"{page}/participants/{alex}", f"{page}/participants/{alex}/remove",
                    f"{page}/participants/{alex}/stage", f"{page}/donations/confirm-all",
                    f"{page}/participants/new", f"{page}/counting"):
            assert browser.client.post(url, data={"csrf_token": token}).status_code == 404, url
        assert browser.get(f"{page}/participants/{alex}").status_code == 404
        assert browser.get(f"{page}/export/participants.csv").status_code == 404


def test_an_organiser_gives_a_friend_a_new_private_link_shown_once_and_logged_without_it(browser, client, db):
    page, links = drive_with_friends(browser, "Alex Smith")
    alex = participant_id(db, "Alex Smith")
    given = browser.submit(f"{page}/participants/{alex}", {}, action=f"{page}/participants/{alex}/new-link")
    assert given.status_code == 200
    html = given.get_data(as_text=True)
    new = re.search(r'value="http://drive\.test(/p/[\w-]+)"', html).group(1)
    assert "Pass this new private link on to Alex Smith" in html
    assert client.get(new).status_code == 200
    assert client.get(links[0]).status_code == 404, "the old link stops working"
    log = browser.get(f"{page}/settings").get_data(as_text=True)
    assert "gave Alex Smith a new private link" in log
    assert new.removeprefix("/p/") not in log


def test_another_organiser_cannot_give_a_new_private_link(browser, client, db, unchanged):
    page, links = drive_with_friends(browser, "Alex Smith")
    alex = participant_id(db, "Alex Smith")
    browser.logout()
    browser.register(name="Other Organiser", email="other@example.org")
    token = csrf_token(browser.get("/drives/").get_data(as_text=True))
    with unchanged():
        refused = browser.client.post(f"{page}/participants/{alex}/new-link", data={"csrf_token": token})
    assert refused.status_code == 404
    assert client.get(links[0]).status_code == 200
