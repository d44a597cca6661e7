"""A closed drive's page is its memorial: the person, the story, who gave, the closing message, the
updates, words of support and the drives it inspired; no percentages, shortfalls, process notes,
join links, calendar, lost-link hint, days left or live updates. A family should want to keep it."""

import re

import pytest

import factories
from donation_drive.drives import anniversaries, closing
from donation_drive.models import Drive, SupportMessage, SupportStatus
from donation_drive.public.caching import clear_caches
from test_caching import Spy
from test_pages_handed_their_data import RenderSpy

PAGE = "/d/7-for-jack"
CLOSING_WORDS = "Thank you, all of you.\n\nSeven bags for the seven. <b>We will never forget it.</b>"


@pytest.fixture
def jack(app, db):
    """"7 for Jack", closed with a closing message: four of seven bags given, Ben named, an update,
    an approved and a waiting word of support, and a drive it inspired."""
    sam = factories.organiser()
    drive = factories.drive(sam)
    ben, _link = factories.participant(drive, "Ben Okafor")
    factories.participant(drive, "Amira", shown=False)
    factories.logged_donation(drive, sam, units=3)
    factories.logged_donation(drive, sam, participant=ben)
    factories.update(drive, sam, "We did it together, one Saturday morning.")
    db.session.add_all([
        SupportMessage(drive_id=drive.id, name="Cleo Park", show_name=True, body="Thinking of you all.",
                       status=SupportStatus.SHOWN),
        SupportMessage(drive_id=drive.id, name="Dan", body="Not yet read by the family.", status=SupportStatus.PENDING),
    ])
    inspired = factories.drive(sam, "Bags for Jack in York", honoree="Jack", place="York")
    inspired.inspired_by_id = drive.id
    closing.close_drive(drive, sam, CLOSING_WORDS)
    db.session.commit()
    return drive


def test_the_memorial_shows_the_person_the_story_who_gave_and_the_closing_words(client, jack):
    html = client.get(PAGE).get_data(as_text=True)
    assert "In memory of" in html and "Jack" in html and "<h1" in html and "7 for Jack</bdi></h1>" in html
    assert "4 units of blood given in memory of Jack" in html
    assert "His mum needed seven bags of blood." in html  # the story
    assert "Ben" in html and "given together" in html  # the board, named as each chose
    assert "Amira" not in html
    assert "Closing words" in html
    # The family's words as they typed them: escaped, never markup, paragraphs kept for the CSS.
    assert "&lt;b&gt;We will never forget it.&lt;/b&gt;" in html
    assert "Thank you, all of you.\n\nSeven bags for the seven." in html
    assert "We did it together, one Saturday morning." in html  # the updates
    assert "Thinking of you all." in html and "Not yet read by the family." not in html  # words of support
    assert "Bags for Jack in York" in html  # the drives it inspired
    assert "https://www.blood.co.uk/" in html  # where to give blood now


def test_the_memorial_says_nothing_of_a_shortfall_a_process_or_joining(client, jack):
    html = client.get(PAGE).get_data(as_text=True).split("<main", 1)[1]
    html = re.sub(r'href="[^"]*"', "", html)  # the share links' own %-encoding is no percentage
    assert "Share…" in html  # the share buttons are there, with a message that asks nobody to join
    for gone in ("of 7 units", "%", "pledged", "booked", "Donations count", "Join this drive",
                 "/join/", "drive.ics", "calendar", "lost your private link", "days left", "live-progress.js",
                 "data-live-progress"):
        assert gone not in html, gone


def test_a_shared_memorial_link_previews_as_a_tribute(client, jack):
    """What a messaging app shows of the link: what was given, not "4 of 7" or "Join"."""
    head = client.get(PAGE).get_data(as_text=True).split("</head>", 1)[0]
    assert '<meta property="og:description" content="7 for Jack: 4 units of blood given in memory of Jack.">' in head
    assert "of 7 units" not in head and "Join" not in head


def test_a_memorial_with_nothing_counted_shows_no_zero(client, db):
    sam = factories.organiser()
    drive = factories.drive(sam, "Blood for Ana", honoree="Ana", story="")
    closing.close_drive(drive, sam)
    db.session.commit()
    html = client.get("/d/blood-for-ana").get_data(as_text=True)
    assert "A blood-donation drive in memory of Ana" in html
    assert ">0<" not in html and "0 units" not in html and "Closing words" not in html


def test_the_memorial_is_answered_from_caches_and_changes_with_its_closing_message(client, jack, db):
    first = client.get(PAGE)
    etag = first.headers["ETag"]
    assert client.get(PAGE, headers={"If-None-Match": etag}).status_code == 304
    closing.set_closing_message(db.session.get(Drive, jack.id), jack.organisers[0].user, "Thank you for Jack.")
    db.session.commit()
    clear_caches(client.application)  # another worker's cache: the version decides, not the memory
    again = client.get(PAGE, headers={"If-None-Match": etag})
    assert again.status_code == 200
    assert "Thank you for Jack." in again.get_data(as_text=True)


def test_a_yearly_round_s_memorial_links_to_every_round(client, jack, db):
    sam = jack.organisers[0].user
    anniversaries.repeat_yearly(jack, sam)
    db.session.commit()
    html = client.get(PAGE).get_data(as_text=True)
    assert "Every year for <bdi>Jack</bdi>" in html
    assert 'href="/memorial/7-for-jack"' in html
    assert 'href="/d/7-for-jack" aria-current="page"' in html
    assert "4 units of blood given" in html


def test_no_sql_runs_while_the_memorial_renders(app, jack):
    clear_caches(app)
    with RenderSpy(app) as spy:
        response = app.test_client().get(PAGE)
    assert response.status_code == 200
    assert spy.during["public/tribute.html"] == [], "\n".join(spy.during["public/tribute.html"])


def test_the_memorial_costs_as_many_queries_however_many_took_part(app, jack, db):
    def statements() -> int:
        clear_caches(app)
        with Spy(app) as spy:
            assert app.test_client().get(PAGE).status_code == 200
        return len(spy.statements)

    few = statements()
    sam = jack.organisers[0].user
    closing.reopen_drive(jack, sam)
    for number in range(12):
        friend, _link = factories.participant(jack, f"Friend {number}")
        factories.logged_donation(jack, sam, participant=friend)
    closing.close_drive(jack, sam)
    db.session.commit()
    assert statements() == few


def test_a_memorial_of_an_unknown_region_names_no_service_it_cannot_link(app, client, jack, db):
    jack.region = "atlantis"  # a region since removed, or a row from an old database
    db.session.commit()
    clear_caches(app)
    html = client.get(PAGE).get_data(as_text=True)
    assert "book with your local blood service" in html
    assert 'href=""' not in html and "blood.co.uk" not in html
