"""Closing as a ritual: the organiser writes a closing message, previews the memorial the page becomes,
then closes; later they can change the message or reopen. The worker closes ended drives with none."""

from datetime import UTC, datetime, timedelta

import pytest

import factories
from donation_drive.core.fields import NUL_MESSAGE
from donation_drive.core.rules import today
from donation_drive.core.text import CONTROL_CHARACTERS
from donation_drive.drives.closing import CLOSING_MESSAGE_MAX, TOO_LONG
from donation_drive.drives.lifecycle import close_ended_drives
from donation_drive.models import ActivityEntry, Drive, DriveStatus

SETTINGS = "/drives/7-for-jack/settings"
CLOSE = "/drives/7-for-jack/close"
MESSAGE = "Thank you, all of you.\r\n\r\nSeven bags for the seven Jack's mum needed. We will never forget it."


@pytest.fixture
def organiser(browser, db):
    """Sam, logged in, with "7 for Jack": four bags given, Ben named on the board."""
    sam = factories.organiser()
    jack = factories.drive(sam)
    ben, _link = factories.participant(jack, "Ben")
    factories.logged_donation(jack, sam, units=3)
    factories.logged_donation(jack, sam, participant=ben)
    db.session.commit()
    assert browser.login().status_code == 302
    return browser


def jack(db) -> Drive:
    db.session.expire_all()
    return db.session.scalar(db.select(Drive).where(Drive.slug == "7-for-jack"))


def test_settings_lead_to_the_closing_page_which_asks_for_a_message(organiser):
    settings = organiser.get(SETTINGS).get_data(as_text=True)
    assert f'href="{CLOSE}"' in settings and "Close the drive…" in settings
    page = organiser.get(CLOSE).get_data(as_text=True)
    assert "Closing message" in page
    assert "thank everyone who gave blood" in page
    assert "Preview the memorial" in page and "Close the drive</button>" in page


def test_preview_shows_the_memorial_with_the_message_and_saves_nothing(organiser, client, db, unchanged):
    with unchanged():
        preview = organiser.submit(CLOSE, {"closing_message": MESSAGE, "preview": "yes"})
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "Nothing is saved yet" in html
    assert "Seven bags for the seven Jack&#39;s mum needed." in html
    shown = html[html.index('class="preview"'):html.index('id="closing-form"')]  # above the form…
    assert "Thank you, all of you." in html.split('id="closing-form"')[1]  # …which keeps the message
    assert "4 units of blood given in memory of Jack" in shown
    assert "of 7 units" not in shown and "%" not in shown  # as the memorial will read: no shortfall
    assert "Ben" in shown  # the board, with the names
    assert jack(db).is_open
    assert "Join this drive" in client.get("/d/7-for-jack").get_data(as_text=True)


def test_closing_with_a_message_makes_the_page_its_memorial(organiser, client, db):
    closed = organiser.submit(CLOSE, {"closing_message": MESSAGE})
    assert closed.status_code == 302
    assert "The drive is closed. Its page stays up as a memorial." in organiser.get(closed.headers["Location"]).get_data(as_text=True)
    drive = jack(db)
    assert drive.status is DriveStatus.CLOSED and drive.closed_at is not None
    # Kept as plain text with one kind of line break, the blank line between paragraphs kept.
    assert drive.closing_message == MESSAGE.replace("\r\n", "\n")
    assert db.session.scalar(db.select(ActivityEntry.summary).order_by(ActivityEntry.id.desc())) == (
        "closed the drive with a closing message")
    memorial = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "Closing words" in memorial and "We will never forget it." in memorial


def test_closing_without_a_message_is_allowed(organiser, db):
    assert organiser.submit(CLOSE, {"closing_message": "  "}).status_code == 302
    drive = jack(db)
    assert not drive.is_open and drive.closing_message == ""


def test_closing_bumps_the_public_version(organiser, db):
    version = jack(db).version
    organiser.submit(CLOSE, {"closing_message": MESSAGE})
    assert jack(db).version > version


@pytest.mark.parametrize(
    ("message", "said"),
    [
        ("x" * (CLOSING_MESSAGE_MAX + 1), TOO_LONG),
        ("Thank you\x00", NUL_MESSAGE),
        ("Thank you\x1b[31m", CONTROL_CHARACTERS),
    ],
    ids=["too long", "NUL", "control character"],
)
@pytest.mark.parametrize("button", [{}, {"preview": "yes"}], ids=["close", "preview"])
def test_a_message_that_cannot_be_kept_is_refused_beside_the_field_and_the_drive_stays_open(
        organiser, unchanged, db, message, said, button):
    with unchanged():
        response = organiser.submit(CLOSE, {"closing_message": message, **button})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    field = html[html.index('class="field__error" id="closing_message-error"'):]
    assert said.replace("'", "&#39;") in field.split("</p>")[0]
    assert 'aria-invalid="true"' in html
    assert jack(db).is_open


def test_line_breaks_count_as_one_character_each(organiser, db):
    """The browser's maxlength counts a line break once but sends it as two ("\\r\\n")."""
    message = ("a\r\n" * (CLOSING_MESSAGE_MAX // 2))
    assert organiser.submit(CLOSE, {"closing_message": message}).status_code == 302
    assert len(jack(db).closing_message) == CLOSING_MESSAGE_MAX - 1


def test_a_closed_drive_s_message_can_be_written_later_changed_and_kept_on_reopening(organiser, client, db):
    drive = jack(db)
    drive.ends_on = today() - timedelta(days=1)
    db.session.commit()
    assert close_ended_drives(datetime.now(UTC)) == 1  # the worker closes the ended drive, with no message
    db.session.commit()

    settings = organiser.get(SETTINGS).get_data(as_text=True)
    assert "It has no closing message yet." in settings and "Write a closing message" in settings
    page = organiser.get(CLOSE).get_data(as_text=True)
    assert "Save the closing message" in page and "Close the drive</button>" not in page

    saved = organiser.submit(CLOSE, {"closing_message": "Thank you for Jack."})
    assert saved.status_code == 302 and saved.headers["Location"].endswith("/settings#status")
    assert jack(db).closing_message == "Thank you for Jack."
    assert "Thank you for Jack." in client.get("/d/7-for-jack").get_data(as_text=True)
    settings = organiser.get(SETTINGS).get_data(as_text=True)
    assert "Edit the closing message" in settings and "Thank you for Jack." in settings

    changed = organiser.submit(CLOSE, {"closing_message": "Thank you, everyone, for Jack."})
    assert changed.status_code == 302
    summaries = list(db.session.scalars(db.select(ActivityEntry.summary).order_by(ActivityEntry.id)))
    assert summaries[-2:] == ["wrote the closing message", "changed the closing message"]

    assert organiser.submit(SETTINGS, {}, action="/drives/7-for-jack/reopen").status_code == 302
    drive = jack(db)
    assert drive.is_open and drive.closed_at is None
    assert drive.closing_message == "Thank you, everyone, for Jack."  # ready for when it closes again
    public = client.get("/d/7-for-jack").get_data(as_text=True)
    assert "4 of 7 units" in public and "Closing words" not in public
    assert "Thank you, everyone, for Jack." in organiser.get(CLOSE).get_data(as_text=True)


def test_strangers_cannot_close_or_preview_another_organiser_s_drive(organiser, unchanged, db):
    factories.organiser("Stranger", "stranger@example.org")
    db.session.commit()
    organiser.logout()
    organiser.login("stranger@example.org", factories.PASSWORD)
    assert organiser.get(CLOSE).status_code == 404
    with unchanged():
        for data in ({"closing_message": MESSAGE}, {"closing_message": MESSAGE, "preview": "yes"}):
            assert organiser.post(CLOSE, data, token_page="/drives/").status_code == 404
        assert organiser.post("/drives/7-for-jack/reopen", {}, token_page="/drives/").status_code == 404
