"""Property test: arbitrary strings and numbers posted into every form never cause a 500, and a
rejected post leaves the database exactly as it was.

ADDING A FORM? Add ONE entry to FORMS: the page that shows it, where it is sent (its address
as `app.url_map` spells it, with {placeholders} for the parts a test must make: {slug},
{private_token}, {update_id}...) and its field names as the browser sends them, prefix and all.
A placeholder not yet in MAKERS needs a maker there. A route that accepts POST without an entry
in FORMS or a reason in EXEMPT fails `test_every_post_route_is_fuzzed`.
"""

import io
import string
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st
from PIL import Image

import factories
from donation_drive.core.ratelimits import LIMITS
from donation_drive.core.web import FILE_PART_MESSAGE
from donation_drive.drives import anniversaries, closing
from donation_drive.models import Drive, DriveOrganiser, GroupVisit, Participant, User
from donation_drive.outreach import mailings
from donation_drive.participation import visits
from donation_drive.privacy import sign_in
from donation_drive.words import operations as words
from donation_drive.words.models import SupportStatus
from support import csrf_token, database_snapshot

#: Few examples per form keep the suite fast; the strategies aim at the edges that matter.
EXAMPLES = 12

value = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "2026-02-30", "9999-12-31", "\x00", "y", "on",
                     "whole_blood", "in_memory", "public", "full_name", "a" * 5000, "7-for-jack", "new", "New"]),
)


def form_of(fields: list[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({}, optional=dict.fromkeys(fields, value))


def _small_jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return out.getvalue()


JPEG = _small_jpeg()

#: What goes in a file input: arbitrary bytes, a real photo cut short or with one byte changed,
#: the real photo, or plain text where a file belongs.
upload = st.one_of(
    st.binary(max_size=2048),
    st.integers(0, len(JPEG) - 1).map(lambda end: JPEG[:end]),
    st.tuples(st.integers(0, len(JPEG) - 1), st.integers(0, 255)).map(
        lambda change: JPEG[:change[0]] + bytes([change[1]]) + JPEG[change[0] + 1:]),
    st.just(JPEG),
    value,
)


def uploads_of(files: tuple[str, ...]) -> st.SearchStrategy[dict[str, bytes | str]]:
    return st.fixed_dictionaries({}, optional=dict.fromkeys(files, upload))


class Form(NamedTuple):
    """A form as a browser sends it."""

    #: The page that shows the form: its CSRF token is read there.
    page: str
    #: Where the form is sent, as `app.url_map` spells it; None: back to the page.
    action: str | None
    #: Its text fields, named as sent ("report-units" for a form with the prefix "report").
    fields: list[str]
    #: Its file inputs: sent in a multipart body, holding arbitrary bytes.
    files: tuple[str, ...] = ()
    #: False for the one form sent without a CSRF token.
    csrf: bool = True

    def csrf_field(self) -> str:
        first = ([*self.fields, *self.files] or [""])[0]
        return f"{first.split('-')[0]}-csrf_token" if "-" in first else "csrf_token"


DRIVE_FIELDS = ["title", "dedication", "honoree", "story", "target_units", "unit_noun", "starts_on", "ends_on", "place",
                "visibility"]
SIGN_UP_FIELDS = ["name", "email", "units", "donation_type", "planned_on", "show_name", "name_shown_as", "website",
                  "form_shown", "submission_key"]
PARTICIPANT_FIELDS = ["name", "units", "donation_type", "planned_on", "show_name"]
ORGANISER = "/drives/{slug}"
#: The organiser's pages beside the overview, where most of a drive's forms are.
DONATIONS, PEOPLE, UPDATES, SETTINGS, ADVANCED = (
    ORGANISER + page for page in ("/donations", "/people", "/updates", "/settings", "/advanced"))
PRIVATE = "/p/{private_token}"

#: Every form a person can fill in or press: where it is shown, where it is sent, its field names.
#: A button that only carries the CSRF token has no fields; the ids in its address are fuzzed.
#: A placeholder may name the state in which the page shows the form: {closed_slug} is the slug
#: of a closed drive, where the "Reopen" button is.
FORMS = {
    # Words of support
    "leave words of support": Form("/d/{slug}/words/new", None, ["body", "name", "show_name", "name_shown_as",
                                                                  "website", "form_shown", "submission_key"]),
    "show words of support": Form(ORGANISER + "/words", ORGANISER + "/words/{support_message_id}/show", []),
    "hide words of support": Form(ORGANISER + "/words", ORGANISER + "/words/{support_message_id}/hide", []),
    "delete words of support": Form(ORGANISER + "/words", ORGANISER + "/words/{hidden_support_message_id}/delete", []),
    # Accounts
    "register": Form("/auth/register", None, ["name", "email", "password"]),
    "confirm email": Form("/auth/confirm/{confirmation_token}", None, ["password"]),
    "confirm email with a new password": Form("/auth/confirm/{confirmation_token}", None, ["new-password"]),
    "login": Form("/auth/login", None, ["email", "password"]),
    "send the confirmation link again": Form("/auth/check-email", None, []),
    "log out": Form("/drives/", "/auth/logout", []),
    "reset": Form("/auth/reset/", None, ["email"]),
    "choose new password": Form("/auth/reset/{reset_token}", None, ["password"]),
    "api token": Form("/account/tokens", None, ["name"]),
    "revoke api token": Form("/account/tokens", "/account/tokens/{api_token_id}/revoke", []),
    "delete account": Form("/account/delete", None, ["password", "plan"]),
    # The organiser's drive
    "new drive": Form("/drives/new", None, [*DRIVE_FIELDS, "slug", "photo_alt", "submission_key"]),
    "edit drive": Form(ORGANISER + "/edit", None, DRIVE_FIELDS),
    "pass it on": Form("/d/{slug}/pass-it-on", None, [*DRIVE_FIELDS, "slug", "submission_key"]),
    "log units": Form(DONATIONS, ORGANISER + "/donations", ["participant_id", "units", "donation_type", "donated_on",
                                                            "submission_key"]),
    "confirm donation": Form(DONATIONS, ORGANISER + "/donations/{donation_id}/confirm", []),
    "reject donation": Form(DONATIONS, ORGANISER + "/donations/{donation_id}/reject", []),
    "confirm all reported": Form("/drives/{slug_with_report}/donations", "/drives/{slug_with_report}/donations/confirm-all", []),
    "reject all reported": Form("/drives/{slug_with_report}/donations", "/drives/{slug_with_report}/donations/reject-all", []),
    "counting rule": Form(DONATIONS, ORGANISER + "/counting", ["counting-counts_reported"]),
    "region": Form(ADVANCED, ORGANISER + "/region", ["region"]),
    "new invite link": Form(ADVANCED, ORGANISER + "/invite-link", []),
    "close drive": Form(ORGANISER + "/close", None, ["closing_message", "preview"]),
    "closing message": Form("/drives/{closed_slug}/close", None, ["closing_message", "preview"]),
    "reopen drive": Form("/drives/{closed_slug}/settings", "/drives/{closed_slug}/reopen", []),
    "extend drive": Form(ORGANISER + "/extend", None, ["extend-ends_on"]),
    "delete drive": Form(ORGANISER + "/delete", None, ["confirmation"]),
    "repeat yearly": Form(ADVANCED, ORGANISER + "/anniversary", []),
    "start next round": Form("/drives/{repeating_slug}/advanced", "/drives/{repeating_slug}/anniversary/next", []),
    "stop repeating": Form("/drives/{repeating_slug}/advanced", "/drives/{repeating_slug}/anniversary/stop", []),
    "cover photo": Form(ORGANISER + "/photo", None, ["photo-alt"], files=("photo-photo",)),
    "remove cover photo": Form("/drives/{slug_with_photo}/photo", "/drives/{slug_with_photo}/photo/remove", []),
    "post update": Form(UPDATES, ORGANISER + "/updates", ["update-body", "update-submission_key"]),
    "edit update": Form(ORGANISER + "/updates/{update_id}/edit", None, ["update-body"]),
    "delete update": Form(ORGANISER + "/updates/{update_id}/edit", ORGANISER + "/updates/{update_id}/delete", []),
    "propose visit": Form(ORGANISER + "/visits/new", None, ["visit_on", "starts_at", "centre", "places", "submission_key"]),
    "cancel visit": Form(PEOPLE, ORGANISER + "/visits/{visit_id}/cancel", []),
    # The organiser's people
    "add participant": Form(ORGANISER + "/participants/new", None, [*PARTICIPANT_FIELDS, "submission_key"]),
    "edit participant": Form(ORGANISER + "/participants/{participant_id}", None, PARTICIPANT_FIELDS),
    "participant stage": Form(ORGANISER + "/participants/{participant_id}",
                              ORGANISER + "/participants/{participant_id}/stage",
                              ["stage-stage", "stage-booked_on", "stage-booked_place", "stage-deferred_on"]),
    "remove participant": Form(ORGANISER + "/participants/{participant_id}/remove", None, []),
    "invite co-organiser": Form(ADVANCED, ORGANISER + "/co-organisers", ["invite-email"]),
    "remove co-organiser": Form(ADVANCED, ORGANISER + "/co-organisers/{co_organiser_id}/remove", []),
    "cancel co-organiser invitation": Form(
        ADVANCED, ORGANISER + "/co-organisers/invitations/{co_organiser_invitation_id}/cancel", []),
    "accept co-organising": Form("/drives/co-organise/{co_organiser_token}", None, []),
    "send invitations": Form(ORGANISER + "/invitations", None, ["addresses", "message"]),
    "resend invitation": Form(ORGANISER + "/invitations", ORGANISER + "/invitations/{invitation_id}/resend", []),
    "revoke invitation": Form(ORGANISER + "/invitations", ORGANISER + "/invitations/{invitation_id}/revoke", []),
    # Participants
    "sign up": Form("/join/{invite_code}", None, SIGN_UP_FIELDS),
    "sign up from a personal invitation": Form("/i/{invitation_token}", None, SIGN_UP_FIELDS),
    "report": Form(PRIVATE, PRIVATE + "/donations", ["report-units", "report-donated_on", "report-donation_type",
                                                     "report-submission_key"]),
    "report from an email": Form("/r/{report_token}", None, ["units", "donated_on", "donation_type", "submission_key"]),
    "pledge": Form(PRIVATE, PRIVATE + "/pledge", ["pledge-units", "pledge-donation_type", "pledge-planned_on",
                                                   "pledge-show_name", "pledge-name_shown_as"]),
    "withdraw pledge": Form(PRIVATE, PRIVATE + "/withdraw", []),
    "take a place on a visit": Form(PRIVATE + "/visits/{visit_id}", PRIVATE + "/visits/{visit_id}/join", []),
    "give up a place on a visit": Form(PRIVATE + "/visits/{joined_visit_id}",
                                       PRIVATE + "/visits/{joined_visit_id}/leave", []),
    "delete my data": Form(PRIVATE + "/delete", None, []),
    "lost link": Form("/d/{slug}/lost-link", None, ["email"]),
    "open the private page from a sign-in link": Form("/sign-in/{sign_in_token}", None, ["replace_old"]),
    "replace my private link": Form(PRIVATE, PRIVATE + "/replace-link", []),
    "give a new private link": Form(ORGANISER + "/participants/{participant_id}",
                                    ORGANISER + "/participants/{participant_id}/new-link", []),
    # No CSRF token: mail apps send it in one click (RFC 8058); the page's button sends the same.
    "unsubscribe": Form("/unsubscribe/{unsubscribe_token}", None, [], csrf=False),
}

#: Routes that accept POST but are no form a person fills in, each with why.
EXEMPT = {
    # JSON for scripts holding an API token, not forms: tests/api/test_api_openapi.py fuzzes them with schemathesis.
    "/api/v1/drives/<slug>/donations": "JSON API, fuzzed by schemathesis",
    "/api/v1/drives/<slug>/donations/<int:donation_id>/confirm": "JSON API, fuzzed by schemathesis",
    "/api/v1/drives/<slug>/donations/<int:donation_id>/reject": "JSON API, fuzzed by schemathesis",
}


# ---- The places the forms' addresses need, each made on first use --------------------------

class Places(dict):
    """Values for the {placeholders} in FORMS, made on first use, so a test makes only what its form needs.

    Sam organises "7 for Jack" and is logged in from the start. The makers make their rows with
    the test-data factories (tests/factories.py), not through the forms: what is under test is
    the one form each test posts. Each leaves Sam logged in unless its docstring says otherwise.
    """

    def __init__(self, browser, db, sam: User, jack: Drive) -> None:
        super().__init__(slug=jack.slug)
        self.browser, self.db = browser, db
        self.sam, self.jack = sam, jack

    def __missing__(self, name: str) -> str:
        made = str(MAKERS[name](self))
        self.db.session.commit()  # the factories only flush; the form's requests must find the rows
        self[name] = made
        return made

    def ann(self) -> Participant:
        """Ann, signed up; her private link is self["private_token"]."""
        self["private_token"]
        return self.db.session.scalar(sa.select(Participant).where(Participant.name == "Ann"))


MAKERS: dict[str, Callable[[Places], object]] = {}


def makes(maker: Callable[[Places], object]) -> Callable[[Places], object]:
    MAKERS[maker.__name__] = maker
    return maker


@makes
def support_message_id(places: Places) -> int:
    """A message of support waits for the organiser to read it."""
    return words.leave_message(places.jack, words.Draft("Thinking of you all.", "Ann", False)).id


@makes
def hidden_support_message_id(places: Places) -> int:
    """A message of support the organiser chose not to show."""
    message = words.leave_message(places.jack, words.Draft("Thinking of you all.", "Ann", False))
    words.decide(message, places.sam, SupportStatus.HIDDEN)
    return message.id


@makes
def invite_code(places: Places) -> str:
    return places.jack.invite_code


@makes
def private_token(places: Places) -> str:
    """Ann signs up with her email address, so mail about the drive goes to her."""
    _ann, token = factories.participant(places.jack, "Ann", email="ann@example.org")
    return token


@makes
def participant_id(places: Places) -> int:
    return places.ann().id


@makes
def donation_id(places: Places) -> int:
    """Ann reports a donation, waiting for the organiser's decision."""
    return factories.reported_donation(places.ann()).id


@makes
def update_id(places: Places) -> int:
    return factories.update(places.jack, places.sam).id


@makes
def visit_id(places: Places) -> int:
    return factories.group_visit(places.jack, places.sam).id


@makes
def joined_visit_id(places: Places) -> int:
    """Ann takes a place on the group visit."""
    visits.join_visit(places.ann(), places.db.session.get(GroupVisit, int(places["visit_id"])))
    return places["visit_id"]


@makes
def closed_slug(places: Places) -> str:
    closing.close_drive(places.jack, places.sam)
    return places["slug"]


@makes
def repeating_slug(places: Places) -> str:
    """The drive comes back every year; this year's round has begun, so the next can be set up."""
    anniversaries.repeat_yearly(places.jack, places.sam)
    return places["slug"]


@makes
def slug_with_photo(places: Places) -> str:
    factories.cover_photo(places.jack, places.sam, JPEG)
    return places["slug"]


@makes
def slug_with_report(places: Places) -> str:
    """A reported donation waits for the organiser's decision."""
    places["donation_id"]
    return places["slug"]


@makes
def co_organiser_invitation_id(places: Places) -> int:
    invitation, _token = factories.co_organiser_invitation(places.jack, places.sam, "lee@example.org")
    return invitation.id


@makes
def co_organiser_token(places: Places) -> str:
    """Robin, who has an account, is invited to co-organise and is left logged in, to accept."""
    robin = factories.organiser("Robin Helper", "robin@example.org")
    _invitation, token = factories.co_organiser_invitation(places.jack, places.sam, robin.email)
    places.db.session.commit()
    places.browser.logout()
    assert places.browser.login("robin@example.org").status_code == 302
    return token


@makes
def co_organiser_id(places: Places) -> int:
    """Kim co-organises "7 for Jack"."""
    kim = factories.co_organiser(places.jack, places.sam, factories.organiser("Kim Helper", "kim@example.org"))
    return places.db.session.scalar(sa.select(DriveOrganiser.id).where(DriveOrganiser.user_id == kim.id))


@makes
def invitation_id(places: Places) -> int:
    """Lee is invited by email; the token of her personal link is kept as invitation_token."""
    invitation, places["invitation_token"] = factories.invitation(places.jack, places.sam, "lee@example.org", "Lee")
    return invitation.id


@makes
def invitation_token(places: Places) -> str:
    places["invitation_id"]
    return places["invitation_token"]


@makes
def api_token_id(places: Places) -> int:
    token, _secret = factories.api_token(places.sam)
    return token.id


@makes
def reset_token(places: Places) -> str:
    """Sam asked for a new password; the token of the emailed link."""
    return factories.password_reset(places.sam)


@makes
def confirmation_token(places: Places) -> str:
    """Pat registered; the account waits for the emailed link to be opened."""
    _pat, token = factories.pending_account("Pat", "pat@example.org")
    return token


@makes
def sign_in_token(places: Places) -> str:
    """Ann asked for a way back to her page; the token of the emailed sign-in link."""
    return sign_in.sign_in_token(places.ann())


@makes
def report_token(places: Places) -> str:
    """Ann's planned day has passed; the token of the reminder's "did you manage?" link."""
    return factories.report_link_token(places.ann())


@makes
def unsubscribe_token(places: Places) -> str:
    """From the List-Unsubscribe header of every mail to Ann about the drive."""
    places["private_token"]
    return mailings.unsubscribe_token(places.jack, "ann@example.org")


@pytest.fixture
def places(app, browser, db) -> Places:
    for name in LIMITS:
        app.config[f"RATELIMIT_{name}"] = "100000 per minute"
    sam = factories.organiser()
    jack = factories.drive(sam)
    db.session.commit()
    assert browser.login().status_code == 302
    return Places(browser, db, sam, jack)


#: Ids for addresses: any size, and the edges of the database's integers.
ids = st.one_of(st.sampled_from([0, 2**31 - 1, 2**31, 2**63, 10**30]), st.integers(0, 10**30))


def placeholders(address: str) -> list[str]:
    return [name for _text, name, _spec, _conversion in string.Formatter().parse(address) if name]


def addresses(action: str, places: Places) -> st.SearchStrategy[str]:
    """The form's address; a quarter of the time with one of its ids or tokens replaced by junk.

    (A form without fields has nothing else to vary: once its real address is tried, junk follows.)
    """
    real = {name: places[name] for name in placeholders(action)}

    def junk_in(name: str) -> st.SearchStrategy[str]:
        junk = (ids.map(str) if name.endswith("_id") else value.filter(bool).map(lambda text: quote(text, safe="")))
        return junk.map(lambda replacement: action.format_map({**real, name: replacement}))

    address = st.just(action.format_map(real))
    if not real:
        return address
    junked = st.sampled_from(sorted(real)).flatmap(junk_in)
    return st.sampled_from([False, False, False, True]).flatmap(lambda junk: junked if junk else address)


def open_form(browser, places: Places, form_name: str) -> tuple[Form, dict[str, str]]:
    """Open the form's page as a browser would; the form, and the CSRF token it carries (if any)."""
    form = FORMS[form_name]
    for name in placeholders(form.page) + placeholders(form.action or ""):
        places[name]  # made first: some makers log someone in or out, which changes the token
    page = browser.get(form.page.format_map(places))
    assert page.status_code == 200, f"{form_name}: {form.page} answered {page.status_code}"
    html = page.get_data(as_text=True)
    if form.action:
        assert f'action="{form.action.format_map(places)}"' in html, f"{form_name}: no such form on {form.page}"
    return form, {form.csrf_field(): csrf_token(html)} if form.csrf else {}


def as_files(uploads: dict[str, bytes | str]) -> dict:
    return {name: (io.BytesIO(data), "photo.jpg") if isinstance(data, bytes) else data
            for name, data in uploads.items()}


def as_file_parts(data: dict[str, str], names: set[str]) -> dict:
    """`data` with the fields in `names` sent as file parts, as a script or a broken client might."""
    return {name: (io.BytesIO(text.encode(errors="replace")), "field.txt") if name in names else text
            for name, text in data.items()}


def text_fields_as_files(fields: list[str]) -> st.SearchStrategy[set[str]]:
    """Most of the time none; otherwise some of the form's text fields, to be sent as files."""
    if not fields:
        return st.just(set())
    return st.one_of(st.just(set()), st.just(set()), st.sets(st.sampled_from(fields), min_size=1))


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_no_input_causes_a_server_error_or_a_half_write(browser, db, places, form_name):
    form, token = open_form(browser, places, form_name)

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=form_of(form.fields), uploads=uploads_of(form.files), file_parts=text_fields_as_files(form.fields),
           url=addresses(form.action or form.page, places))
    def post(data, uploads, file_parts, url):
        before = database_snapshot(db)
        multipart = bool(form.files or file_parts)
        response = browser.client.post(url, data={**token, **as_file_parts(data, file_parts), **as_files(uploads)},
                                       content_type="multipart/form-data" if multipart else None)
        sent = f"{form_name}: {url} {data!r} {uploads!r} files: {sorted(file_parts)}"
        assert response.status_code < 500, f"{sent} -> {response.status_code}"
        if response.status_code >= 400:
            assert database_snapshot(db) == before, f"{sent} was refused but changed the database"

    post()


@pytest.mark.parametrize("form_name", sorted(name for name, form in FORMS.items() if form.fields))
def test_a_nul_character_in_every_field_is_refused_without_a_server_error(browser, db, places, form_name):
    """PostgreSQL can't store NUL in text; the answer must be a 4xx, not a crash."""
    form, token = open_form(browser, places, form_name)
    before = database_snapshot(db)
    response = browser.client.post((form.action or form.page).format_map(places),
                                   data={**token, **dict.fromkeys(form.fields, "x\x00y")},
                                   content_type="multipart/form-data" if form.files else None)
    assert 400 <= response.status_code < 500
    assert database_snapshot(db) == before


@pytest.mark.parametrize("form_name", sorted(name for name, form in FORMS.items() if form.fields))
def test_text_fields_sent_as_files_are_refused(browser, db, places, form_name):
    """Only a file input takes a file; a text field sent as one is refused (it used to answer 500)."""
    form, token = open_form(browser, places, form_name)
    before = database_snapshot(db)
    response = browser.client.post((form.action or form.page).format_map(places),
                                   data={**token, **as_file_parts(dict.fromkeys(form.fields, "1"), set(form.fields))},
                                   content_type="multipart/form-data")
    assert response.status_code == 400, f"{form_name} answered {response.status_code}"
    assert FILE_PART_MESSAGE in response.get_data(as_text=True)
    assert database_snapshot(db) == before


def test_every_post_route_is_fuzzed(app):
    adapter = app.url_map.bind("drive.test")
    sample = {name: "1" for form in FORMS.values() for name in placeholders(form.action or form.page)}
    fuzzed = {adapter.match((form.action or form.page).format_map(sample), method="POST", return_rule=True)[0].rule
              for form in FORMS.values()}
    posted = {rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods}
    missing = sorted(posted - fuzzed - EXEMPT.keys())
    assert missing == [], "add a form for these to FORMS (or a reason to EXEMPT) in tests/test_fuzz_forms.py:\n" + \
        "\n".join(missing)
    assert sorted(EXEMPT.keys() & fuzzed) == [], "these are fuzzed: take them out of EXEMPT"
    assert sorted(EXEMPT.keys() - posted) == [], "these routes are gone: take them out of EXEMPT"
