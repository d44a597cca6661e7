"""The app served for a real browser: a migrated SQLite file, a werkzeug server in a thread.

Also seeds the drives whose pages the accessibility, HTML and layout checks look at, with the
test-data factories (tests/factories.py: the domain operations, fast, and independent of the
pages being checked); and holds that seeded site still, for screenshots to be compared.
"""

import base64
import random
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import time_machine
from flask import Flask, got_request_exception
from flask_migrate import upgrade
from playwright.sync_api import BrowserContext
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

import factories
from donation_drive import create_app
from donation_drive.core.extensions import db
from donation_drive.demo import create_demo
from donation_drive.drives import anniversaries, closing, operations as drives, updates
from donation_drive.models import Dedication, DonationType, Drive, NameShownAs, SupportStatus, UnitNoun, User
from donation_drive.outreach.mailings import unsubscribe_token
from donation_drive.privacy.sign_in import sign_in_token
from donation_drive.words import operations as words
from factories import PASSWORD as PASSWORD  # the browser tests' accounts log in with it
from smtp_sink import SmtpSink
from support import FAST_PASSWORD_HASH, confirmation_path, read_outbox

SECRET_KEY = "end-to-end test secret key, not for production"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
#: The two screens every page is designed and checked for: a touch phone and a laptop.
SCREENS: dict[str, dict[str, Any]] = {
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": DESKTOP},
}
#: The moment a steady site stands at (World Blood Donor Day): its seeded dates, "today" and every
#: timestamp follow from it, so its pages look the same whatever day they are photographed.
STEADY_MOMENT = datetime(2026, 6, 14, 10, 0, tzinfo=UTC)
#: The host a steady site's absolute links carry, instead of the live server's port of the day.
STEADY_HOST = "drive.test"
#: Makes a browser context (one per person); phone-sized unless told otherwise.
ContextFactory = Callable[..., BrowserContext]


def app_config(database: Path, instance: Path) -> dict:
    # No SERVER_NAME: absolute links must carry the live server's own host and port.
    return {
        "SECRET_KEY": SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "INSTANCE_PATH": str(instance),
        "RATELIMIT_ENABLED": False,  # one browser logs in many times from 127.0.0.1
        "SIGN_UP_MIN_SECONDS": 0,  # a scripted browser fills the sign-up form faster than a person
        "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        # Mail is in the outbox folder when the page answers; the TLS server runs the worker instead.
        "MAIL_DELIVERY": "inline",
    }


def emailed_confirmation_url(base_url: str, instance_path: str, address: str,
                             mailbox: SmtpSink | None = None) -> str:
    """The link that opens a new account, as the app emailed it to `address`: in its outbox folder
    (the live server delivers as the request commits), or, when the app mails `mailbox` from a
    worker, once it arrives there."""
    if mailbox is None:
        path = confirmation_path(read_outbox(Path(instance_path)), address)
    else:
        path = confirmation_path([mailbox.wait_for_message(
            lambda found: address.lower() in found["To"].lower() and confirmation_path([found], address) is not None
        )], address)
    assert path, f"no account confirmation was emailed to {address}"
    return base_url + path


def migrate_template(folder: Path) -> Path:
    """An empty database built by the migrations, copied for each server."""
    database = folder / "template.sqlite3"
    app = create_app(app_config(database, folder / "instance"))
    with app.app_context():
        upgrade(revision="heads")  # tolerant while another change is mid-way; CI has one head
        db.engine.dispose()
    return database


class QuietRequestHandler(WSGIRequestHandler):
    """One log line per request would bury a failing test's output."""

    def log_request(self, *args, **kwargs) -> None:
        pass


def read_whole(app: Flask) -> Callable:
    """`app` answering with its whole body at once, its iterator closed before anything is sent.

    A browser that moves on mid-response (a tab going to the next page while a stylesheet still
    arrives) drops the connection; werkzeug's development server can then stop before closing a
    file's iterator, and the file left open fails whatever test runs when it is collected.
    """
    def wsgi(environ: dict, start_response: Callable) -> list[bytes]:
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return wsgi


class LiveServer:
    """`app` served on 127.0.0.1 at a free port; records every 5xx so tests can fail on it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.server_errors: list[str] = []
        app.after_request(self._record_server_error)
        got_request_exception.connect(self._record_exception, app)
        self._server: BaseWSGIServer = make_server(
            "127.0.0.1", 0, read_whole(app), threaded=True, request_handler=QuietRequestHandler
        )
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def _record_server_error(self, response):
        from flask import request

        if response.status_code >= 500:
            self.server_errors.append(f"{request.method} {request.path} -> {response.status_code}")
        return response

    def _record_exception(self, _sender: Flask, exception: BaseException, **_extra) -> None:
        self.server_errors.append(f"{type(exception).__name__}: {exception}")

    def start(self) -> "LiveServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


def serve(template: Path, folder: Path, **config: Any) -> LiveServer:
    """A fresh copy of the migrated database, served (with `config` over the browser tests' own)."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / "live.sqlite3"
    shutil.copy(template, database)
    return LiveServer(create_app({**app_config(database, folder / "instance"), **config})).start()


@dataclass
class Seeded:
    """What the seeded site holds, for building the URLs of every page."""

    url: str
    instance_path: str = ""
    organiser_email: str = ""
    organiser_password: str = ""
    newcomer_email: str = "nora@example.org"
    open_slug: str = ""
    closed_slug: str = ""
    over_slug: str = ""
    invite_code: str = ""
    closed_invite_code: str = ""
    retired_invite_code: str = ""
    private_token: str = ""
    #: The private link of a friend who has pledged and not donated yet.
    pledged_token: str = ""
    confirmation_token: str = ""
    sign_in_token: str = ""
    unsubscribe_token: str = ""
    #: A drive counted in bags whose board holds many names; one whose target is too large to draw.
    bags_slug: str = ""
    large_slug: str = ""
    #: A drive in Brazil (its blood service's types); a friend of a drive whose region is unknown.
    brazil_invite_code: str = ""
    unknown_region_token: str = ""


def seed(app: Flask, url: str) -> Seeded:
    """The demo drive ("7 for Jack", what `flask demo` makes) plus a closed and an over-target
    drive of the same organiser, and a second organiser who has no drives yet."""
    seeded = Seeded(url=url, instance_path=app.instance_path)
    with app.app_context():
        demo = create_demo()
        seeded.organiser_email, seeded.organiser_password = demo.email, demo.password
        seeded.open_slug, seeded.invite_code = demo.drive.slug, demo.drive.invite_code
        seeded.private_token = demo.private_link_token
        owner = db.session.scalar(db.select(User).where(User.email == demo.email))
        factories.organiser("Nora Newcomer", seeded.newcomer_email)
        _pending, seeded.confirmation_token = factories.pending_account("Pat Pending", "pat@example.org")
        # Two co-organisers of the demo drive, so deleting the organiser's account offers a choice.
        for name, email in (("Priya Shah", "priya@example.org"), ("Tom Reid", "tom@example.org")):
            helper, _confirmation = factories.pending_account(name, email)
            factories.co_organiser(demo.drive, owner, helper)
        _words_in_every_state(demo.drive, owner)
        seeded.unsubscribe_token = unsubscribe_token(demo.drive, "erin@example.org")

        closed = factories.drive(owner, "Bags for Grandad", 5, honoree="Grandad Joe",
                                 dedication=Dedication.IN_HONOUR)
        factories.participant(closed, "Dev Patel")
        factories.logged_donation(closed, owner, 4)
        updates.post_update(closed, owner, "We did it: four bags in one morning.")
        _show(words.leave_message(closed, words.Draft("He gave so much; so did you all.", "Mary Kane", True)), owner)
        closing.close_drive(closed, owner, "Thank you, every one of you.\n\nGrandad Joe would have been so proud.")
        anniversaries.repeat_yearly(closed, owner)  # its memorial page gathers the yearly rounds
        seeded.closed_slug, seeded.closed_invite_code = closed.slug, closed.invite_code

        over = factories.drive(owner, "Leeds hospital drive", 3, honoree="St James's hospital",
                               dedication=Dedication.CAUSE)
        erin, seeded.pledged_token = factories.participant(over, "Erin Walsh", email="erin@example.org",
                                                           kind=DonationType.PLASMA, shown=False)
        seeded.sign_in_token = sign_in_token(erin)  # only a friend with an address is sent one
        factories.logged_donation(over, owner, 5)
        seeded.over_slug, seeded.retired_invite_code = over.slug, over.invite_code
        drives.rotate_invite_code(over, owner)
        seeded.bags_slug = _many_bags(owner).slug
        large = factories.drive(owner, "A hundred for Leeds", 100, honoree="Leeds General Infirmary",
                                dedication=Dedication.CAUSE)
        factories.logged_donation(large, owner, 37)
        seeded.large_slug = large.slug
        brazil = factories.drive(owner, "Sangue para a Ana", 4, honoree="Ana", place="São Paulo")
        brazil.region = "brazil"
        seeded.brazil_invite_code = brazil.invite_code
        lost = factories.drive(owner, "A drive from before", 3, honoree="Sol")
        lost.region = "atlantis"  # a region since removed: its pages fall back to general advice
        _sol, seeded.unknown_region_token = factories.participant(lost, "Sol Reyes")
        db.session.commit()
    return seeded


def _many_bags(owner: User) -> Drive:
    """Twenty bags for Maya: fifteen given by friends named as each chose, or not named at all."""
    drive = factories.drive(owner, "Twenty for Maya", 20, honoree="Maya")
    drive.unit_noun = UnitNoun.BAGS
    names = ["Olu Adeyemi", "Grace Lin", "Tomás Ruiz", "Hannah Berg", "Yusuf Demir", "Ines Costa", "Kai Tanaka",
             "Lena Vogel", "Sipho Dlamini", "Noor Aziz", "Ewan Ross", "Priti Rao", "Mateo Silva", "Ada Obi", "Jo Kerr"]
    for number, name in enumerate(names):
        friend, _token = factories.participant(drive, name, shown=number % 3 != 2,
                                               shown_as=NameShownAs.INITIALS if number % 5 == 4 else NameShownAs.FIRST_NAME)
        factories.logged_donation(drive, owner, participant=friend)
    return drive


def _words_in_every_state(drive, owner: User) -> None:
    """Words of support waiting, shown (named and not) and hidden: every state the pages show."""
    words.leave_message(drive, words.Draft("We gave together at the blood bank in Leeds.\nJack is remembered.",
                                           "Chidi Okafor", True, NameShownAs.FULL_NAME))
    _show(words.leave_message(drive, words.Draft(
        "Thinking of you all. Seven bags for the seven used: what a gift.", "Amira Haddad", True)), owner)
    _show(words.leave_message(drive, words.Draft("So sorry for your loss.", "Sue", False)), owner)
    words.decide(words.leave_message(drive, words.Draft("Buy cheap watches at example.com", "Spam Bot", False)),
                 owner, SupportStatus.HIDDEN)


def _show(message, owner: User) -> None:
    words.decide(message, owner, SupportStatus.SHOWN)


@contextmanager
def predictable_secrets(seed_text: str = "steady") -> Iterator[None]:
    """Invite codes and private links drawn from a seeded generator: the same ones on every run."""
    draw = random.Random(seed_text)

    def token_urlsafe(nbytes: int | None = None) -> str:
        return base64.urlsafe_b64encode(draw.randbytes(nbytes or 32)).rstrip(b"=").decode()

    with mock.patch("secrets.token_urlsafe", token_urlsafe):
        yield


@contextmanager
def steady_site(template: Path, folder: Path) -> Iterator[tuple[LiveServer, Seeded]]:
    """The seeded site held still, so that its pages look the same on every run: the clock stopped
    at STEADY_MOMENT (in the server's thread too), absolute links on STEADY_HOST, and the seeded
    secrets (invite codes, private links) predictable. Only screenshots need this; a journey keeps
    the real clock and links that reach the live server."""
    with time_machine.travel(STEADY_MOMENT, tick=False):
        server = serve(template, folder, SERVER_NAME=STEADY_HOST)
        try:
            with predictable_secrets():
                seeded = seed(server.app, server.url)
            yield server, seeded
        finally:
            server.stop()
