"""Words of support: anyone with a drive's link leaves a few words; its organisers read each one
before it shows on the page, and can hide it again."""

import re

import pytest

import factories
from donation_drive.core.extensions import db as _db
from donation_drive.drives import closing, lifecycle
from donation_drive.models import ActivityEntry, Dedication, Drive, SupportMessage, SupportStatus
from donation_drive.participation.models import NameShownAs
from donation_drive.words import operations as words
from support import csrf_token

PAGE = "/d/7-for-jack"
LEAVE = "/d/7-for-jack/words/new"
WORDS_TAB = "/drives/7-for-jack/words"
MESSAGE = "Thinking of you all.\r\nJack is remembered."
HIDDEN_INPUT = re.compile(r'<input[^>]*type="hidden"[^>]*>')


@pytest.fixture
def jack(app, db) -> Drive:
    """Sam's "7 for Jack", open; nobody logged in."""
    drive = factories.drive(factories.organiser())
    db.session.commit()
    return drive


def shown_form(client) -> dict[str, str]:
    """The form's hidden fields (CSRF token, spam stamp, one-time key) as a browser sends them back."""
    html = client.get(LEAVE).get_data(as_text=True)
    fields = {}
    for tag in HIDDEN_INPUT.findall(html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        fields[name.group(1)] = value.group(1) if value else ""
    assert {"csrf_token", "form_shown", "submission_key"} <= fields.keys()
    return fields


def leave(client, body: str = MESSAGE, name: str = "Ben Okafor", form: dict | None = None, **choices: str):
    """Fill in and send the form as a visitor would: the name shown only when `show_name` is given."""
    return client.post(LEAVE, data={**(form or shown_form(client)), "body": body, "name": name,
                                    "name_shown_as": "first_name", "website": "", **choices})


def left(db) -> list[SupportMessage]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(SupportMessage).order_by(SupportMessage.id)))


@pytest.fixture
def viewer(app):
    """Someone else opening the drive's page, never logged in."""
    return app.test_client()


def log_in_sam(browser) -> None:
    assert browser.login().status_code == 302


def decide(browser, message: SupportMessage, decision: str):
    return browser.submit(WORDS_TAB, {}, action=f"{WORDS_TAB}/{message.id}/{decision}")


def to_do(html: str) -> str:
    return html[html.index('id="to-do"'):html.index("</section>", html.index('id="to-do"'))]


def test_a_visitor_leaves_words_that_wait_for_the_organisers(client, jack, db):
    page = client.get(PAGE).get_data(as_text=True)
    assert f'href="{LEAVE}">Leave words of support</a>' in page

    form = client.get(LEAVE)
    assert form.status_code == 200
    html = form.get_data(as_text=True)
    for label in ("Your message", "Your name", "Show my name on the progress page", "Full name",
                  "First name only", "Initials only"):
        assert label in html
    assert 'name="show_name" type="checkbox" value="y">' in html  # not shown unless they choose

    response = leave(client)
    assert response.status_code == 302 and response.headers["Location"] == "/d/7-for-jack/words/thanks"
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<h1>Thank you</h1>" in thanks
    assert "The family will see your message; it appears on the page once they approve it." in thanks
    assert f'href="{PAGE}"' in thanks

    [message] = left(db)
    assert (message.status, message.body, message.name) == (SupportStatus.PENDING, "Thinking of you all.\nJack is remembered.",
                                                            "Ben Okafor")
    assert "Thinking of you all" not in client.get(PAGE).get_data(as_text=True)
    for public in ("/d/7-for-jack/live", "/api/v1/drives/7-for-jack", "/api/drives/7-for-jack"):
        assert "Thinking of you all" not in client.get(public).get_data(as_text=True), public


def test_the_organiser_shows_a_message_with_the_name_as_its_author_chose(browser, client, viewer, jack, db):
    assert leave(client, show_name="y", name_shown_as="full_name").status_code == 302
    [message] = left(db)
    before = viewer.get(PAGE)

    log_in_sam(browser)
    tab = browser.get(WORDS_TAB).get_data(as_text=True)
    assert 'aria-current="page">Words</a>' in tab
    assert "Ben Okafor" in tab and "Would be signed “Ben Okafor” on the page" in tab
    assert "Show on the page</button>" in tab and "Don&#39;t show</button>" in tab
    assert decide(browser, message, "show").headers["Location"] == WORDS_TAB

    after = viewer.get(PAGE, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and after.headers["ETag"] != before.headers["ETag"]
    shown = after.get_data(as_text=True)
    assert "Thinking of you all.\nJack is remembered.</blockquote>" in shown
    assert "Ben Okafor" in shown
    assert db.session.scalar(db.select(ActivityEntry.summary).order_by(ActivityEntry.id.desc())) == \
        "showed a message of support on the page"
    assert left(db)[0].decided_by_id == jack.organisers[0].user_id


def test_a_hidden_message_leaves_the_page_and_can_be_shown_again(browser, client, viewer, jack, db):
    leave(client, show_name="y")
    [message] = left(db)
    log_in_sam(browser)
    decide(browser, message, "show")
    assert "Thinking of you all" in viewer.get(PAGE).get_data(as_text=True)

    decide(browser, message, "hide")
    assert "Thinking of you all" not in viewer.get(PAGE).get_data(as_text=True)
    tab = browser.get(WORDS_TAB).get_data(as_text=True)
    assert "Not shown" in tab and "Show on the page</button>" in tab

    decide(browser, message, "show")
    assert "Thinking of you all" in viewer.get(PAGE).get_data(as_text=True)


def test_a_message_whose_author_chose_no_name_is_signed_a_friend(browser, client, viewer, jack, db):
    leave(client, name="Ben Okafor")  # the box left unticked, as it starts
    log_in_sam(browser)
    decide(browser, left(db)[0], "show")
    page = viewer.get(PAGE).get_data(as_text=True)
    assert "A friend" in page and "Ben" not in page


@pytest.mark.parametrize(("shown_as", "author"), [("first_name", "Ben"), ("initials", "B. O.")])
def test_names_show_as_their_author_chose(client, jack, db, shown_as, author):
    leave(client, show_name="y", name_shown_as=shown_as)
    words.decide(left(db)[0], jack.organisers[0].user, SupportStatus.SHOWN)
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    assert re.search(rf'<figcaption class="word__author"><bdi>{re.escape(author)}</bdi> <span', page)
    assert "Okafor" not in page


def test_messages_show_newest_first(client, jack, db):
    for body in ("The first words.", "The second words."):
        leave(client, body)
    for message in left(db):
        words.decide(message, jack.organisers[0].user, SupportStatus.SHOWN)
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    assert page.index("The second words.") < page.index("The first words.")


def test_a_form_sent_twice_leaves_one_message(client, jack, db):
    form = shown_form(client)
    first, again = leave(client, form=form), leave(client, form=form)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert len(left(db)) == 1


def test_a_filled_honeypot_is_refused_and_nothing_is_stored(client, jack, unchanged):
    form = shown_form(client)
    with unchanged():
        response = leave(client, form=form, website="http://spam.example")
    assert response.status_code == 422
    assert "looked as if a computer filled it in" in response.get_data(as_text=True)


def test_a_message_without_the_form_s_token_is_refused(client, jack, unchanged):
    with unchanged():
        response = client.post(LEAVE, data={"body": MESSAGE, "name": "Ben"})
    assert response.status_code == 400


TOO_LONG = "x" * 501


@pytest.mark.parametrize(("field", "body", "name", "said"), [
    ("body", "", "Ben", "Please write a few words."),
    ("body", " \r\n \t ", "Ben", "Please write a few words."),
    ("body", TOO_LONG, "Ben", "Please keep your message under 500 characters."),
    ("body", "Love\x00to you", "Ben", "Please remove the invisible control character (NUL) from this text."),
    ("body", "Love\x1b[31m to you", "Ben", "Please remove the invisible control characters from this text"),
    ("body", "Love\x07 to you", "Ben", "Please remove the invisible control characters from this text"),
    ("name", MESSAGE, "", "Please enter a name."),
    ("name", MESSAGE, "B" * 81, "Please keep this under 80 characters."),
    ("name", MESSAGE, "Ben\x08", "Please remove the invisible control characters from this text"),
])
def test_bad_input_is_refused_beside_its_field_and_nothing_is_stored(client, jack, unchanged, field, body, name, said):
    form = shown_form(client)
    with unchanged():
        response = leave(client, body, name, form=form)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(rf'<p class="field__error" id="{field}-error">(.*?)</p>', html, re.S)
    assert error and said in error.group(1)
    assert 'aria-invalid="true"' in html


def test_an_unknown_name_choice_is_refused(client, jack, unchanged):
    form = shown_form(client)
    with unchanged():
        response = leave(client, form=form, show_name="y", name_shown_as="email_address")
    assert response.status_code == 422
    assert "Please choose one of the options." in response.get_data(as_text=True)


def test_markup_in_a_message_is_shown_as_typed_never_run(client, jack, db):
    leave(client, '<script>alert("x")</script>\n<b>bold</b> & <a href="https://spam.example">link</a>',
          name="<img src=x onerror=alert(1)>", show_name="y", name_shown_as="full_name")
    words.decide(left(db)[0], jack.organisers[0].user, SupportStatus.SHOWN)
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;\n&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<script>alert" not in page and "<b>bold" not in page and 'href="https://spam.example"' not in page


def test_a_closed_drive_still_gathers_words(client, jack, db):
    closing.close_drive(jack, jack.organisers[0].user)
    db.session.commit()
    assert 'href="/d/7-for-jack/words/new"' in client.get(PAGE).get_data(as_text=True)
    assert leave(client).status_code == 302
    assert len(left(db)) == 1


def test_an_unknown_drive_has_no_form(client, jack):
    assert client.get("/d/no-such-drive/words/new").status_code == 404
    assert client.get("/d/no-such-drive/words/thanks").status_code == 404


def test_leaving_words_is_rate_limited_per_visitor_with_a_friendly_page(app, client, jack, db, unchanged):
    app.config["RATELIMIT_SUPPORT_MESSAGE"] = "2 per minute"
    for _ in range(2):
        assert leave(client).status_code == 302
    form = shown_form(client)  # reading the form is never limited; only sending it
    with unchanged():
        response = leave(client, form=form)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert "Please slow down" in page and "Please wait" in page
    assert int(response.headers["Retry-After"]) <= 60


def test_leaving_words_is_rate_limited_per_drive_from_any_address(app):
    # No `db` fixture: its app context would hold one `g` (and CSRF token) for every visitor.
    with app.app_context():
        factories.drive(factories.organiser())
        _db.session.commit()
    app.config["RATELIMIT_SUPPORT_MESSAGES_PER_DRIVE"] = "3 per hour"
    visitors = [app.test_client() for _ in range(4)]
    for number, visitor in enumerate(visitors):
        visitor.environ_base["REMOTE_ADDR"] = f"192.0.2.{number + 1}"
    for visitor in visitors[:3]:
        assert leave(visitor).status_code == 302
    assert leave(visitors[3]).status_code == 429
    with app.app_context():
        assert len(left(_db)) == 3
        _db.session.remove()


def test_the_words_tab_is_only_for_the_drive_s_organisers(app, browser, client, jack, db):
    leave(client)
    [message] = left(db)
    factories.organiser("Olga Other", "olga@example.org")
    db.session.commit()
    assert client.get(WORDS_TAB).status_code == 302  # a stranger is asked to log in
    assert browser.login("olga@example.org").status_code == 302
    assert browser.get(WORDS_TAB).status_code == 404
    token = csrf_token(browser.get("/drives/").get_data(as_text=True))
    for action in ("show", "hide", "delete"):
        assert browser.client.post(f"{WORDS_TAB}/{message.id}/{action}", data={"csrf_token": token}).status_code == 404
    assert left(db)[0].status is SupportStatus.PENDING


def test_a_co_organiser_reads_words_too(browser, client, jack, db):
    helper = factories.organiser("Hana Helper", "hana@example.org")
    factories.co_organiser(jack, jack.organisers[0].user, helper)
    db.session.commit()
    leave(client)
    assert browser.login("hana@example.org").status_code == 302
    decide(browser, left(db)[0], "show")
    assert left(db)[0].status is SupportStatus.SHOWN


def test_a_message_of_another_drive_is_not_found_on_this_one(browser, client, jack, db):
    other = factories.drive(jack.organisers[0].user, "Blood for Bea", honoree="Bea")
    message = words.leave_message(other, words.Draft("For Bea.", "Ann", False))
    db.session.commit()
    log_in_sam(browser)
    assert decide(browser, message, "show").status_code == 404


def test_a_hidden_message_can_be_deleted_for_good_a_shown_one_cannot(browser, client, jack, db):
    leave(client)
    [message] = left(db)
    log_in_sam(browser)
    decide(browser, message, "show")
    assert browser.submit(WORDS_TAB, {}, action=f"{WORDS_TAB}/{message.id}/delete").status_code == 409
    decide(browser, message, "hide")
    tab = browser.get(WORDS_TAB).get_data(as_text=True)
    assert "Delete for good</button>" in tab
    assert browser.submit(WORDS_TAB, {}, action=f"{WORDS_TAB}/{message.id}/delete").status_code == 302
    assert left(db) == []
    entries = db.session.scalars(db.select(ActivityEntry.summary)).all()
    assert "deleted a message of support" in entries and not any("Ben" in entry for entry in entries)


def test_the_overview_counts_the_words_waiting_to_be_read(browser, client, jack, db):
    log_in_sam(browser)
    overview = "/drives/7-for-jack"
    assert "of support to read" not in to_do(browser.get(overview).get_data(as_text=True))
    leave(client, "The first words.")
    leave(client, "The second words.")
    waiting = to_do(browser.get(overview).get_data(as_text=True))
    assert f'href="{WORDS_TAB}#waiting">2 messages of support to read</a>' in waiting
    decide(browser, left(db)[0], "show")
    assert ">1 message of support to read</a>" in to_do(browser.get(overview).get_data(as_text=True))


def test_a_participant_s_words_go_when_they_delete_their_details(browser, jack, db):
    ben, token = factories.participant(jack, "Ben Okafor")
    words.leave_message(jack, words.Draft("From Ben.", "Ben Okafor", True, NameShownAs.FULL_NAME), participant=ben)
    db.session.commit()
    assert browser.submit(f"/p/{token}/delete", {}).status_code == 302
    assert left(db) == []


def test_deleting_a_drive_deletes_its_words(client, jack, db):
    leave(client)
    lifecycle.delete_drive(db.session.get(Drive, jack.id), "7 for Jack")
    db.session.commit()
    assert left(db) == []


def test_words_left_on_a_drive_for_a_cause_wait_for_its_organisers_not_a_family(client, db):
    factories.drive(factories.organiser(), "Leeds hospital drive", honoree="St James's hospital",
                    dedication=Dedication.CAUSE)
    db.session.commit()
    thanks = client.get("/d/leeds-hospital-drive/words/thanks").get_data(as_text=True)
    assert "The organisers will see your message" in thanks and "family" not in thanks
