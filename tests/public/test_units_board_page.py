"""The progress page with the person at its heart: the heading, the units board with names as
each donor chose, and every count in the drive's own noun (page, live part, embed, badge, dashboard)."""

import re
from html import unescape

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.counting.board import BOARD_MARKS_MAX
from donation_drive.drives import closing, operations as drives
from donation_drive.models import Drive, NameShownAs, UnitNoun
from test_api_public import PASSWORD


def seed_board(app, *, target: int = 7, noun: UnitNoun = UnitNoun.UNITS) -> None:
    """Jack's drive: Amira (shown, first name), Ben (not shown), Chloe (initials) each gave one unit;
    the organiser logged one more for the group."""
    with app.app_context():
        owner = factories.organiser()
        drive = factories.drive(owner, target=target)
        drive.unit_noun = noun
        for name, shown, shown_as in (("Amira Haddad", True, NameShownAs.FIRST_NAME),
                                      ("Ben Okafor", False, NameShownAs.FULL_NAME),
                                      ("Chloe Martin", True, NameShownAs.INITIALS)):
            friend, _ = factories.participant(drive, name, shown=shown, shown_as=shown_as)
            factories.reported_donation(friend)
        factories.logged_donation(drive, owner, 1)
        _db.session.commit()


def board_of(html: str) -> str:
    match = re.search(r'<div class="board" data-live-part="board">.*?\n</div>', html, re.S)
    assert match, "no units board"
    return unescape(match.group(0))


def marks(board: str) -> list[str]:
    """What each mark of the board says to someone who can see it: a name, or "" when still to give."""
    items = re.findall(r"<li class=\"board__mark[^\"]*\"[^>]*>(.*?)</li>", board, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def test_the_board_draws_seven_drops_filled_and_named_as_each_donor_chose(app, client):
    seed_board(app)
    board = board_of(client.get("/d/7-for-jack").get_data(as_text=True))
    assert marks(board) == ["Amira", "a friend", "C. M.", "given together", "", "", ""]
    assert "Ben" not in board and "Okafor" not in board
    assert '<p class="visually-hidden" id="board-caption">4 of 7 units given</p>' in board
    assert '<ol class="board__marks" aria-labelledby="board-caption">' in board
    # Still to give: drawn for the eye only, the caption says how many.
    assert board.count('<li class="board__mark" aria-hidden="true">') == 3
    assert "<img" not in board and "http" not in board  # drops drawn inline, nothing from other hosts


def test_the_board_is_a_live_part_word_for_word(app, client):
    seed_board(app)
    page = board_of(client.get("/d/7-for-jack").get_data(as_text=True))
    assert board_of(client.get("/d/7-for-jack/live").get_data(as_text=True)) == page


def test_the_board_moves_when_a_donation_counts(app, client):
    seed_board(app)
    before = client.get("/d/7-for-jack")
    with app.test_request_context():
        drive = drives.public_drive("7-for-jack")
        factories.logged_donation(drive, drive.organisers[0].user, 4)
        _db.session.commit()
    after = client.get("/d/7-for-jack", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200  # a new version: no stale 304
    board = board_of(after.get_data(as_text=True))
    assert marks(board)[4:] == ["given together", "given together", "given together", "given together , past the target"]
    assert "8 of 7 units given" in board
    assert board.count("board__mark--beyond") == 1


def test_a_target_too_large_to_draw_gets_a_compact_bar_and_its_percentage(app, client):
    seed_board(app, target=BOARD_MARKS_MAX + 10)
    page = unescape(client.get("/d/7-for-jack").get_data(as_text=True))
    board = board_of(page)
    assert "board__mark" not in board
    assert f'<progress class="board__bar" max="{BOARD_MARKS_MAX + 10}" value="4" aria-label="4 of 50 units given">' in board
    assert f"4 of {BOARD_MARKS_MAX + 10} units" in page


def test_a_small_target_says_no_percentage_and_pledged_only_once(app, client):
    seed_board(app)
    page = unescape(client.get("/d/7-for-jack").get_data(as_text=True))
    assert "% of the target</p>" not in page and "progress__meta" not in page
    said = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert said.count("pledged") == 1
    assert "4 units donated" in said and "3 units pledged" in said


def test_the_person_leads_the_page_and_the_story_follows_the_count(app, client):
    seed_board(app)
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    assert '<p class="heading__dedication">In memory of <span class="heading__honoree"><bdi>Jack</bdi></span></p>' in page
    assert page.index("heading__honoree") < page.index("<h1><bdi>7 for Jack</bdi></h1>") < page.index("heading__facts")
    assert page.index('data-live-part="count"') < page.index('data-live-part="board"') < page.index("The story")
    assert page.index("The story") < page.index("Milestones" if "Milestones" in page else "Who took part")


def test_every_count_the_public_sees_says_the_drive_s_own_noun(app, client):
    seed_board(app, noun=UnitNoun.BAGS)
    page = unescape(client.get("/d/7-for-jack").get_data(as_text=True))
    said = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "4 of 7 bags" in said and "4 bags donated" in said and "3 bags pledged" in said
    assert "4 of 7 bags given" in page
    assert '<meta property="og:description" content="In memory of Jack: 4 of 7 bags. Join the blood-donation drive.">' in page
    assert "units" not in said.split("Who took part")[0].replace("units given", "")
    embed = unescape(client.get("/d/7-for-jack/embed").get_data(as_text=True))
    assert "4 of 7 bags" in embed and "3 bags pledged" in embed
    assert "4 of 7 bags" in client.get("/d/7-for-jack/badge.svg").get_data(as_text=True)
    # The JSON keeps its own words: field names and "units" stay as scripts know them.
    body = client.get("/api/drives/7-for-jack").get_json()
    assert body["units_donated"] == 4 and body["target_units"] == 7


def test_my_drives_counts_each_drive_in_its_own_noun(app, browser):
    seed_board(app, noun=UnitNoun.DONATIONS)
    browser.login(email="sam@example.org", password=PASSWORD)
    dashboard = unescape(browser.get("/drives/").get_data(as_text=True))
    assert "4 of 7 donations" in dashboard and "3 donations pledged" in dashboard
    assert "% of the target" not in dashboard


def test_a_board_past_its_target_draws_every_unit_given(app, client, db):
    seed_board(app)
    with app.app_context():
        drive = db.session.scalar(db.select(Drive).where(Drive.slug == "7-for-jack"))
        for number in range(30):
            friend, _ = factories.participant(drive, f"Friend {number}")
            factories.reported_donation(friend)
        _db.session.commit()
    board = board_of(client.get("/d/7-for-jack").get_data(as_text=True))
    assert len(marks(board)) == 34 and "34 of 7 units given" in board


def test_a_closed_drive_s_board_shows_what_was_given_and_no_shortfall(app, client):
    seed_board(app, noun=UnitNoun.BAGS)
    with app.test_request_context():
        drive = drives.public_drive("7-for-jack")
        closing.close_drive(drive, drive.organisers[0].user)
        _db.session.commit()
    page = client.get("/d/7-for-jack").get_data(as_text=True)
    board = board_of(page)
    assert marks(board) == ["Amira", "a friend", "C. M.", "given together"]
    assert '<p class="visually-hidden" id="board-caption">4 bags given</p>' in board
    assert "of 7" not in board and '<li class="board__mark" aria-hidden="true">' not in board
    heading = page.split('<header class="heading">', 1)[1].split("</header>", 1)[0]
    assert "days left" not in heading and "Jack" in heading
