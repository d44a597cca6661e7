"""Property test: arbitrary strings and numbers posted into every form never cause a 500, and a
rejected post leaves the database exactly as it was."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

try:  # test helpers moved from conftest.py to support.py
    from support import csrf_token, database_snapshot
except ImportError:
    from conftest import csrf_token, database_snapshot
from test_journeys import create_drive, invite_path, sign_up

#: Few examples per form keep the suite fast; the strategies aim at the edges that matter.
EXAMPLES = 12

value = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", " ", "0", "-1", "1e309", "2026-02-30", "9999-12-31", "\x00", "y", "on",
                     "whole_blood", "in_memory", "public", "full_name", "a" * 5000]),
)


def form_of(fields: list[str]):
    return st.fixed_dictionaries({}, optional={name: value for name in fields})


#: Every form a person can fill in: where it is shown, where it is sent, its field names.
FORMS = {
    "register": ("/auth/register", None, ["name", "email", "password"]),
    "login": ("/auth/login", None, ["email", "password"]),
    "reset": ("/auth/reset/", None, ["email"]),
    "new drive": ("/drives/new", None, ["title", "dedication", "honoree", "story", "target_units",
                                        "starts_on", "ends_on", "place", "visibility"]),
    "edit drive": ("{organiser}/edit", None, ["title", "dedication", "honoree", "story", "target_units",
                                              "starts_on", "ends_on", "place", "visibility"]),
    "log units": ("{organiser}", "{organiser}/donations", ["participant_id", "units", "donation_type",
                                                            "donated_on"]),
    "sign up": ("{invite}", None, ["name", "email", "units", "donation_type", "planned_on", "show_name",
                                   "name_shown_as", "website"]),
    "report": ("{private}", "{private}/donations", ["report-units", "report-donated_on",
                                                     "report-donation_type"]),
    "pledge": ("{private}", "{private}/pledge", ["pledge-units", "pledge-donation_type", "pledge-planned_on",
                                                  "pledge-show_name", "pledge-name_shown_as"]),
    "lost link": ("/d/7-for-jack/lost-link", None, ["email"]),
    "delete account": ("/account/delete", None, ["password", "plan"]),
}


@pytest.fixture
def places(app, browser) -> dict[str, str]:
    for name in ("LOGIN", "REGISTRATION", "PASSWORD_RESET", "SIGN_UP", "DONATION_REPORT", "LOST_LINK"):
        app.config[f"RATELIMIT_{name}"] = "100000 per minute"
    browser.register()
    organiser = create_drive(browser)
    invite = invite_path(browser, organiser)
    private = sign_up(browser, invite, "Ann", email="ann@example.org")
    return {"organiser": organiser, "invite": invite, "private": private}


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_no_input_causes_a_server_error_or_a_half_write(browser, db, places, form_name):
    page, action, fields = FORMS[form_name]
    page_url = page.format(**places)
    action_url = (action or page).format(**places)
    prefix = fields[0].split("-")[0] + "-" if "-" in fields[0] else ""
    token_field = f"{prefix}csrf_token"
    token = csrf_token(browser.get(page_url).get_data(as_text=True))

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=form_of(fields))
    def post(data):
        before = database_snapshot(db)
        response = browser.client.post(action_url, data={token_field: token, **data})
        assert response.status_code < 500, f"{form_name}: {data!r} -> {response.status_code}"
        if response.status_code >= 400:
            assert database_snapshot(db) == before, f"{form_name}: {data!r} was refused but changed the database"

    post()


@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_a_nul_character_in_every_field_is_refused_without_a_server_error(browser, db, places, form_name):
    """PostgreSQL can't store NUL in text; the answer must be a 4xx, not a crash."""
    page, action, fields = FORMS[form_name]
    page_url = page.format(**places)
    prefix = fields[0].split("-")[0] + "-" if "-" in fields[0] else ""
    token = csrf_token(browser.get(page_url).get_data(as_text=True))
    before = database_snapshot(db)
    response = browser.client.post((action or page).format(**places),
                                   data={f"{prefix}csrf_token": token, **{name: "x\x00y" for name in fields}})
    assert 400 <= response.status_code < 500
    assert database_snapshot(db) == before
