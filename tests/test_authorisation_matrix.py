"""Who may use which route: every rule of the app's URL map × method × role has an expected answer.

ADDING A ROUTE? Add ONE line to EXPECTED below: "METHOD /rule": PROFILE, using the rule exactly
as `app.url_map` spells it. Pick the profile that says who may use it (PUBLIC, LOGGED_IN,
ORGANISER, OWNER, PRIVATE_LINK, SECRET_LINK, API_TOKEN, ...), or write a dict of role -> status.
If the rule has a URL argument not in SAMPLE_ARGUMENTS, add a sample value there too.
A rule of the URL map without an entry fails `test_every_route_is_in_the_matrix`.

Roles: a stranger; a participant holding their private link; a participant of another drive;
an organiser of another drive; a co-organiser of the drive; its owner. Requests carry a valid
CSRF token, so what is tested is who may act, not whether the form was filled in well.
Expected values: a status code, LOGIN (redirect to the login page), ALLOWED (the request got
through the access check: any answer below 500 other than 401, 403, 404 or the login redirect),
ALLOWED_OR_404 (allowed, but the sample object may not exist for this role's drive).
"""

import functools
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

try:  # test helpers moved from conftest.py to support.py
    from support import csrf_token
except ImportError:
    from conftest import csrf_token
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.core.tokens import new_invite_code, new_private_link_token, token_hash
from donation_drive.models import (
    Dedication,
    Donation,
    DonationStatus,
    DonationType,
    Drive,
    DriveOrganiser,
    LoggedBy,
    OrganiserRole,
    Participant,
    User,
    Visibility,
)

ROLES = ("stranger", "participant", "other_participant", "other_organiser", "co_organiser", "owner")
LOGIN, ALLOWED, ALLOWED_OR_404 = "LOGIN", "ALLOWED", "ALLOWED_OR_404"


def _profile(**statuses) -> dict[str, object]:
    return {role: statuses.get(role, statuses.get("default")) for role in ROLES}


#: Anyone, with or without an account or a link.
PUBLIC = _profile(default=ALLOWED)
#: Anyone, though the sample object (a memorial) may not exist.
PUBLIC_OBJECT = _profile(default=ALLOWED_OR_404)
#: Any logged-in organiser; the others are sent to log in.
LOGGED_IN = _profile(default=LOGIN, other_organiser=ALLOWED, co_organiser=ALLOWED, owner=ALLOWED)
#: The drive's owner and co-organisers; another organiser gets 404 (the drive is not theirs).
ORGANISER = _profile(default=LOGIN, other_organiser=404, co_organiser=ALLOWED, owner=ALLOWED)
#: As ORGANISER, but the sample object (an update, a visit, an invitation) may not exist.
ORGANISER_OBJECT = _profile(default=LOGIN, other_organiser=404, co_organiser=ALLOWED_OR_404, owner=ALLOWED_OR_404)
#: The owner only; a co-organiser is told why not.
OWNER = _profile(default=LOGIN, other_organiser=404, co_organiser=403, owner=ALLOWED)
OWNER_OBJECT = _profile(default=LOGIN, other_organiser=404, co_organiser=403, owner=ALLOWED_OR_404)
#: Only the holder of the private link; everyone else, holding no link, gets 404.
PRIVATE_LINK = _profile(default=404, participant=ALLOWED)
PRIVATE_LINK_OBJECT = _profile(default=404, participant=ALLOWED_OR_404)
#: A secret emailed link (reset, invitation, unsubscribe...): a made-up one works for nobody.
SECRET_LINK = _profile(default=ALLOWED_OR_404)
#: JSON endpoints for scripts: a session cookie is not enough, only an API token.
API_TOKEN = _profile(default=401)

EXPECTED: dict[str, dict[str, object]] = {
    "GET /": PUBLIC,
    "GET /static/<path:filename>": PUBLIC,
    "GET /privacy": PUBLIC,
    "GET /language/<language_code>": PUBLIC,
    "GET /healthz": PUBLIC,
    "GET /readyz": PUBLIC,
    "GET /auth/check-email": PUBLIC,
    "POST /auth/check-email": PUBLIC,
    "GET /auth/login": PUBLIC,
    "POST /auth/login": PUBLIC,
    "POST /auth/logout": _profile(default=LOGIN, other_organiser=ALLOWED, co_organiser=ALLOWED, owner=ALLOWED),
    "GET /auth/confirm/<token>": SECRET_LINK,
    "POST /auth/confirm/<token>": SECRET_LINK,
    "GET /auth/register": PUBLIC,
    "POST /auth/register": PUBLIC,
    "GET /auth/reset/": PUBLIC,
    "POST /auth/reset/": PUBLIC,
    "GET /auth/reset/<token>": _profile(default=410),
    "POST /auth/reset/<token>": _profile(default=410),
    "GET /d/<slug>": PUBLIC,
    "GET /d/<slug>/drive.ics": PUBLIC,
    "GET /d/<slug>/badge.svg": PUBLIC,
    "GET /d/<slug>/embed": PUBLIC,
    "GET /d/<slug>/embed/live": PUBLIC,
    "GET /d/<slug>/live": PUBLIC,
    "GET /d/<slug>/preview.png": PUBLIC,
    "GET /d/<slug>/lost-link": PUBLIC,
    "POST /d/<slug>/lost-link": PUBLIC,
    "GET /d/<slug>/lost-link/sent": PUBLIC,
    "GET /sign-in/<token>": SECRET_LINK,
    "POST /sign-in/<token>": SECRET_LINK,
    "GET /d/<slug>/pass-it-on": PUBLIC,
    "POST /d/<slug>/pass-it-on": PUBLIC,
    "GET /memorial/<slug>": PUBLIC_OBJECT,
    "GET /d/<slug>/words/new": PUBLIC,
    "POST /d/<slug>/words/new": PUBLIC,
    "GET /d/<slug>/words/thanks": PUBLIC,
    "GET /drives/<slug>/words": ORGANISER,
    "POST /drives/<slug>/words/<int:message_id>/<any(show, hide):decision>": ORGANISER_OBJECT,
    "POST /drives/<slug>/words/<int:message_id>/delete": ORGANISER_OBJECT,
    "GET /photos/<name>": SECRET_LINK,
    "GET /join/<code>": PUBLIC,
    "POST /join/<code>": PUBLIC,
    "GET /i/<token>": SECRET_LINK,
    "POST /i/<token>": SECRET_LINK,
    "GET /r/<token>": SECRET_LINK,
    "POST /r/<token>": SECRET_LINK,
    "GET /unsubscribe/<token>": SECRET_LINK,
    "POST /unsubscribe/<token>": SECRET_LINK,
    "GET /api/drives/<slug>": PUBLIC,
    "GET /api/docs": PUBLIC,
    "GET /api/openapi.json": PUBLIC,
    "GET /api/v1/drives/<slug>": PUBLIC,
    "GET /api/v1/drives/<slug>/participants": PUBLIC,
    "GET /api/v1/drives/<slug>/updates": PUBLIC,
    "GET /api/v1/drives/<slug>/milestones": PUBLIC,
    "GET /api/v1/drives/<slug>/donations": API_TOKEN,
    "POST /api/v1/drives/<slug>/donations": API_TOKEN,
    "POST /api/v1/drives/<slug>/donations/<int:donation_id>/confirm": API_TOKEN,
    "POST /api/v1/drives/<slug>/donations/<int:donation_id>/reject": API_TOKEN,
    "GET /api/v1/me/drives": API_TOKEN,
    "GET /account/delete": LOGGED_IN,
    "POST /account/delete": LOGGED_IN,
    "GET /account/tokens": LOGGED_IN,
    "POST /account/tokens": LOGGED_IN,
    "POST /account/tokens/<int:token_id>/revoke": _profile(default=LOGIN, other_organiser=ALLOWED_OR_404,
                                                           co_organiser=ALLOWED_OR_404, owner=ALLOWED_OR_404),
    "GET /drives/": LOGGED_IN,
    "GET /drives/new": LOGGED_IN,
    "POST /drives/new": LOGGED_IN,
    "GET /drives/co-organise/<token>": _profile(default=LOGIN, other_organiser=ALLOWED_OR_404,
                                                co_organiser=ALLOWED_OR_404, owner=ALLOWED_OR_404),
    "POST /drives/co-organise/<token>": _profile(default=LOGIN, other_organiser=ALLOWED_OR_404,
                                                 co_organiser=ALLOWED_OR_404, owner=ALLOWED_OR_404),
    "GET /drives/<slug>": ORGANISER,
    "GET /drives/<slug>/donations": ORGANISER,
    "GET /drives/<slug>/people": ORGANISER,
    "GET /drives/<slug>/updates": ORGANISER,
    "GET /drives/<slug>/settings": ORGANISER,
    "GET /drives/<slug>/advanced": ORGANISER,
    "GET /drives/<slug>/edit": ORGANISER,
    "POST /drives/<slug>/edit": ORGANISER,
    "GET /drives/<slug>/close": ORGANISER,
    "POST /drives/<slug>/close": ORGANISER,
    "POST /drives/<slug>/reopen": ORGANISER,
    "POST /drives/<slug>/donations": ORGANISER,
    "POST /drives/<slug>/donations/<int:donation_id>/<any(confirm, reject):decision>": ORGANISER,
    "POST /drives/<slug>/donations/<any(confirm, reject):decision>-all": ORGANISER,
    "POST /drives/<slug>/invite-link": ORGANISER,
    "GET /drives/<slug>/export/<any(participants, donations):what>.csv": ORGANISER,
    "POST /drives/<slug>/counting": ORGANISER,
    "POST /drives/<slug>/updates": ORGANISER,
    "GET /drives/<slug>/updates/<int:update_id>/edit": ORGANISER_OBJECT,
    "POST /drives/<slug>/updates/<int:update_id>/edit": ORGANISER_OBJECT,
    "POST /drives/<slug>/updates/<int:update_id>/delete": ORGANISER_OBJECT,
    "GET /drives/<slug>/participants/new": ORGANISER,
    "POST /drives/<slug>/participants/new": ORGANISER,
    "GET /drives/<slug>/participants/<int:participant_id>": ORGANISER,
    "POST /drives/<slug>/participants/<int:participant_id>": ORGANISER,
    "GET /drives/<slug>/participants/<int:participant_id>/remove": ORGANISER,
    "POST /drives/<slug>/participants/<int:participant_id>/remove": ORGANISER,
    "POST /drives/<slug>/participants/<int:participant_id>/stage": ORGANISER,
    "POST /drives/<slug>/participants/<int:participant_id>/new-link": ORGANISER,
    "GET /drives/<slug>/photo": ORGANISER,
    "POST /drives/<slug>/photo": ORGANISER,
    "POST /drives/<slug>/photo/remove": ORGANISER,
    "GET /drives/<slug>/extend": ORGANISER,
    "POST /drives/<slug>/extend": ORGANISER,
    "POST /drives/<slug>/anniversary": ORGANISER,
    "POST /drives/<slug>/anniversary/next": ORGANISER,
    "POST /drives/<slug>/anniversary/stop": ORGANISER,
    "GET /drives/<slug>/visits/new": ORGANISER,
    "POST /drives/<slug>/visits/new": ORGANISER,
    "POST /drives/<slug>/visits/<int:visit_id>/cancel": ORGANISER_OBJECT,
    "GET /drives/<slug>/invitations": ORGANISER,
    "POST /drives/<slug>/invitations": ORGANISER,
    "POST /drives/<slug>/invitations/<int:invitation_id>/<any(resend, revoke):action>": ORGANISER_OBJECT,
    "POST /drives/<slug>/region": ORGANISER,
    "GET /drives/<slug>/poster": ORGANISER,
    "GET /drives/<slug>/qr/<any(invite, progress):target>.<any(svg, png):kind>": ORGANISER,
    "GET /drives/<slug>/delete": OWNER,
    "POST /drives/<slug>/delete": OWNER,
    "POST /drives/<slug>/co-organisers": OWNER,
    "POST /drives/<slug>/co-organisers/<int:organiser_id>/remove": OWNER,
    "POST /drives/<slug>/co-organisers/invitations/<int:invitation_id>/cancel": OWNER_OBJECT,
    "GET /p/<token>": PRIVATE_LINK,
    "GET /p/<token>/welcome": PRIVATE_LINK,
    "GET /p/<token>/pledge.ics": PRIVATE_LINK,
    "POST /p/<token>/pledge": PRIVATE_LINK,
    "POST /p/<token>/withdraw": PRIVATE_LINK,
    "POST /p/<token>/donations": PRIVATE_LINK,
    "GET /p/<token>/delete": PRIVATE_LINK,
    "POST /p/<token>/delete": PRIVATE_LINK,
    "POST /p/<token>/replace-link": PRIVATE_LINK,
    "GET /p/<token>/visits/<int:visit_id>": PRIVATE_LINK_OBJECT,
    "POST /p/<token>/visits/<int:visit_id>/<any(join, leave):action>": PRIVATE_LINK_OBJECT,
    "GET /p/<token>/visits/<int:visit_id>/visit.ics": PRIVATE_LINK_OBJECT,
}

#: A value for each URL argument; `token` depends on the role (see _url).
SAMPLE_ARGUMENTS = {
    "filename": "css/main.css",
    "language_code": "es",
    "action": None,  # the first choice of an any() converter is used
    "decision": None,
    "what": None,
    "target": None,
    "kind": None,
    "update_id": 1,
    "visit_id": 1,
    "invitation_id": 1,
    "token_id": 1,
    "message_id": 1,
    "name": "0" * 64 + ".jpg",
}


@dataclass
class World:
    slug: str
    invite_code: str
    private_token: str
    participant_id: int
    donation_id: int
    co_organiser_id: int
    #: What each organiser's session cookie holds once logged in.
    users: dict[str, str]


@functools.cache
def _password_hash() -> str:
    return generate_password_hash("a long enough password")  # slow on purpose, so made once


def _build_world() -> World:
    """Two drives, their organisers and participants, written straight to the database."""
    password_hash = _password_hash()
    users = {role: User(name=role, email=f"{role}@example.org", password_hash=password_hash,
                        email_confirmed_at=datetime.now(UTC))
             for role in ("owner", "co_organiser", "other_organiser")}
    _db.session.add_all(users.values())
    drive = _drive("7-for-jack", users["owner"])
    co = DriveOrganiser(drive=drive, user=users["co_organiser"], role=OrganiserRole.CO_ORGANISER)
    other_drive = _drive("another-drive", users["other_organiser"])
    token = new_private_link_token()
    participant = Participant(drive=drive, name="Ann Participant", email="ann@example.org",
                              private_link_hash=token_hash(token))
    other = Participant(drive=other_drive, name="Ben Other", private_link_hash=token_hash(new_private_link_token()))
    donation = Donation(drive=drive, participant=participant, units=1, donation_type=DonationType.WHOLE_BLOOD,
                        donated_on=today(), logged_by=LoggedBy.PARTICIPANT, status=DonationStatus.REPORTED)
    _db.session.add_all([co, participant, other, donation])
    _db.session.commit()
    return World(drive.slug, drive.invite_code, token, participant.id, donation.id, co.id,
                 {role: user.get_id() for role, user in users.items()})


def _drive(slug: str, owner: User) -> Drive:
    drive = Drive(slug=slug, title=slug, dedication=Dedication.IN_MEMORY, honoree="Jack", story="",
                  target_units=7, starts_on=today(), ends_on=today(), place="", visibility=Visibility.PUBLIC,
                  invite_code=new_invite_code())
    drive.organisers.append(DriveOrganiser(user=owner, role=OrganiserRole.OWNER))
    _db.session.add(drive)
    return drive


def _fresh_world(app: Flask) -> World:
    """Empty every table and build the world again, in an app context of its own.

    Requests must not run inside a shared app context: `g` would carry the logged-in user
    and the CSRF token from one client's request into the next.
    """
    with app.app_context():
        for table in reversed(_db.metadata.sorted_tables):
            _db.session.execute(table.delete())
        _db.session.commit()
        world = _build_world()
        _db.session.remove()
    return world


def _client(app: Flask, world: World, role: str) -> FlaskClient:
    client = app.test_client()
    if role in world.users:
        with client.session_transaction() as session:
            session["_user_id"] = world.users[role]
            session["_fresh"] = True
    return client


def _url(rule, role: str, world: World) -> str:
    values = {}
    for argument in rule.arguments:
        converter = rule._converters.get(argument)
        if argument == "slug":
            values[argument] = world.slug
        elif argument == "code":
            values[argument] = world.invite_code
        elif argument == "token":
            holder = rule.rule.startswith("/p/") and role == "participant"
            values[argument] = world.private_token if holder else "made-up-token-0000000000000000000000000000"
        elif argument == "donation_id":
            values[argument] = world.donation_id
        elif argument == "participant_id":
            values[argument] = world.participant_id
        elif argument == "organiser_id":
            values[argument] = world.co_organiser_id
        elif converter is not None and hasattr(converter, "items"):
            values[argument] = next(iter(converter.items))
        else:
            assert argument in SAMPLE_ARGUMENTS, f"add a sample value for <{argument}> to SAMPLE_ARGUMENTS"
            values[argument] = SAMPLE_ARGUMENTS[argument]
    url = rule.rule
    for argument, value in values.items():
        url = re.sub(rf"<(?:[^:<>]+(?:\([^)]*\))?:)?{argument}>", str(value), url)
    return url


def _request(client: FlaskClient, method: str, url: str):
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client.get("/auth/login").get_data(as_text=True))
        response = client.open(url, method=method, data={"csrf_token": token},
                               headers={"X-CSRFToken": token})
    response.close()
    return response


def _matches(expected: object, response) -> bool:
    status = response.status_code
    to_login = status == 302 and response.headers.get("Location", "").startswith("/auth/login")
    if expected == LOGIN:
        return to_login
    if expected in (ALLOWED, ALLOWED_OR_404):
        denied = {401, 403} if expected == ALLOWED_OR_404 else {401, 403, 404}
        return status < 500 and status not in denied and not to_login
    return status == expected


def _routes(app: Flask) -> list[tuple[str, object]]:
    return [
        (f"{method} {rule.rule}", rule)
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]


def test_every_route_is_in_the_matrix(app):
    missing = [key for key, _rule in _routes(app) if key not in EXPECTED]
    assert missing == [], "add these to EXPECTED in tests/test_authorisation_matrix.py:\n" + "\n".join(missing)


@pytest.fixture
def generous_limits(app):
    """Hundreds of requests from one address: rate limits are tested in test_security_ratelimits.py."""
    for name in ("LOGIN", "REGISTRATION", "PASSWORD_RESET", "SIGN_UP", "DONATION_REPORT", "LOST_LINK",
                 "INVITATIONS", "API_WRITE"):
        app.config[f"RATELIMIT_{name}"] = "100000 per minute"


@pytest.mark.timeout(600)  # hundreds of requests in one test
def test_each_role_gets_the_expected_answer_on_every_route(app, generous_limits):
    failures = []
    world = _fresh_world(app)
    for key, rule in _routes(app):
        method = key.split(" ", 1)[0]
        if key not in EXPECTED:
            continue  # reported by test_every_route_is_in_the_matrix
        # Denied roles first: their requests must change nothing, so the world stays as built.
        order = sorted(ROLES, key=lambda role: EXPECTED[key][role] in (ALLOWED, ALLOWED_OR_404))
        dirty = False
        for role in order:
            if dirty:
                # An allowed POST may have changed anything (closed, deleted, logged out): start again.
                world = _fresh_world(app)
            dirty = method != "GET" and EXPECTED[key][role] in (ALLOWED, ALLOWED_OR_404)
            url = _url(rule, role, world)
            response = _request(_client(app, world, role), method, url)
            if not _matches(EXPECTED[key][role], response):
                failures.append(f"{key} as {role}: expected {EXPECTED[key][role]}, got {response.status_code}"
                                f" {response.headers.get('Location', '')}")
        if dirty:
            world = _fresh_world(app)
    assert failures == [], "\n".join(failures)
