"""Helpers the tests share: a form-filling client, the CSRF token reader, database snapshots.

They live here rather than in conftest.py because tests/ and tests/e2e/ each have a conftest
module, and `from conftest import …` would find whichever was imported first.
"""

import email
import re
import subprocess
import sys
from email import policy
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from donation_drive.drives.funnel import ViewCounter
from donation_drive.public.caching import clear_caches

CSRF_PATTERN = re.compile(r'name="(?:[\w-]+-)?csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="(?:[\w-]+-)?csrf_token"')


#: One round of PBKDF2: cheap, still a salted hash that werkzeug checks like any other.
FAST_PASSWORD_HASH = "pbkdf2:sha256:1"
#: The checkout, where `flask` finds the package, the templates and the translations.
REPOSITORY = Path(__file__).resolve().parents[1]


def base_config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret key, not for production",
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME": "drive.test",
        "INSTANCE_PATH": str(instance),
        # Tests submit the sign-up form at once; test_security_spam.py checks the minimum time.
        "SIGN_UP_MIN_SECONDS": 0,
        # View counts wait in memory until the funnel is read, so a GET never writes.
        "FUNNEL_FLUSH_SECONDS": 3600,
        # scrypt costs about a second a hash here; test_password_hashing.py checks the default.
        "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        # Mail is delivered as the request commits, so a test reads it as soon as the request
        # answers; tests/outreach/test_outbox*.py run the thread and the worker themselves.
        "MAIL_DELIVERY": "inline",
    }


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for every app this test process builds.

    Each test builds a new app, and each app would compile every template it renders again;
    Jinja checks each template's source checksum before using what is kept here.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


def share_compiled_templates() -> None:
    """Every Flask app made in this process from now on shares one bytecode cache."""
    if not isinstance(Flask.jinja_options.get("bytecode_cache"), SharedBytecodeCache):
        Flask.jinja_options = {**Flask.jinja_options, "bytecode_cache": SharedBytecodeCache()}


def reset_memory(app: Flask) -> None:
    """Forget what the app keeps in memory between requests, as a new build of it would."""
    clear_caches(app)
    app.extensions["funnel"] = ViewCounter(app.config["FUNNEL_FLUSH_SECONDS"])


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page, read as a browser would submit it."""
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/auth/confirm/[\w.-]+)")


def outbox(app) -> list[EmailMessage]:
    """Messages written to instance/outbox/ (the app has no MAIL_SERVER), oldest first."""
    return read_outbox(Path(app.instance_path))


def read_outbox(instance_path: Path) -> list[EmailMessage]:
    """The messages in an instance folder's outbox/, oldest first."""
    folder = Path(instance_path) / "outbox"
    files = sorted(folder.glob("*.eml"), key=lambda path: path.stat().st_mtime_ns) if folder.is_dir() else []
    return [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]


def flask_command(app: Flask, *args: str, **extra: object) -> list[str]:
    """`flask …` for a copy of this test's app (database, instance folder, mail server) in
    another process, as an operator or cron runs it."""
    settings = {**base_config(app.config["SQLALCHEMY_DATABASE_URI"], Path(app.instance_path)),
                "MAIL_SERVER": app.config["MAIL_SERVER"], "MAIL_PORT": app.config["MAIL_PORT"], **extra}
    return [sys.executable, "-m", "flask", "--app", f"donation_drive:create_app({settings!r})", *args]


def start_flask(app: Flask, log: Path, *args: str, **extra: object) -> subprocess.Popen:
    """`flask_command` started in the repository, what it prints kept in `log` for a failing test to show."""
    with log.open("wb") as output:
        return subprocess.Popen(flask_command(app, *args, **extra), cwd=REPOSITORY,
                                stdout=output, stderr=subprocess.STDOUT)


def text_of(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def confirmation_path(messages: list[EmailMessage], address: str) -> str | None:
    """The path of the newest email-confirmation link sent to `address`, if any."""
    for message in reversed(messages):
        if address.strip().lower() in message["To"].lower():
            found = CONFIRM_LINK.search(text_of(message))
            return found.group(1) if found else None
    return None


class Browser:
    """Fills and submits the app's forms through the test client, CSRF token and all.

    `mailbox` is the SMTP sink when the test sends mail to one; otherwise mail is read from
    the app's outbox folder, as a newcomer running the app without a mail server would.
    """

    def __init__(self, client: FlaskClient, mailbox=None) -> None:
        self.client = client
        self.mailbox = mailbox

    def messages(self) -> list[EmailMessage]:
        if self.mailbox is not None:
            return self.mailbox.messages
        assert not self.client.application.config.get("MAIL_SERVER"), "pass the SMTP sink as mailbox"
        return outbox(self.client.application)

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def submit(self, page_url: str, data: dict, action: str | None = None, prefix: str = "", **kwargs):
        """GET the page, take its CSRF token, POST `data` to `action` (default: the page)."""
        page = self.client.get(page_url)
        assert page.status_code == 200, f"{page_url} answered {page.status_code}"
        token_name = f"{prefix}-csrf_token" if prefix else "csrf_token"
        form = {token_name: csrf_token(page.get_data(as_text=True)), **data}
        return self.client.post(action or page_url, data=form, **kwargs)

    def post(self, url: str, data: dict, token_page: str = "/auth/login", **kwargs):
        """POST `data` to `url` with this session's valid CSRF token, read from `token_page`.

        For an address whose own page shows no form (a used link, a wrong code): the refusal
        then has to come from the view, not from the missing token.
        """
        page = self.client.get(token_page)
        assert page.status_code == 200, f"{token_page} answered {page.status_code}"
        return self.client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data}, **kwargs)

    def register(self, name: str = "Sam Organiser", email: str = "sam@example.org",
                 password: str = "a long enough password", next: str | None = None):
        """Register and open the account from the emailed link: the answer to that last click.

        When no confirmation link came (the address already had an account), the answer to
        the registration form.
        """
        page = "/auth/register" + (f"?next={next}" if next else "")
        registered = self.submit(page, {"name": name, "email": email, "password": password})
        if registered.status_code != 302:
            return registered
        link = confirmation_path(self.messages(), email)
        return self.confirm(link, password) if link else registered

    def confirm(self, link: str, password: str = "a long enough password"):
        """Open an emailed confirmation link, type the account's password and press its button."""
        return self.submit(link, {"password": password})

    def login(self, email: str = "sam@example.org", password: str = "a long enough password"):
        return self.submit("/auth/login", {"email": email, "password": password})

    def logout(self):
        page = self.client.get("/drives/")
        return self.client.post("/auth/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def database_snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused request changed nothing.

    Except the outbox: a request may rightly answer a mistake by mail (registering a taken
    address tells its owner); the tests that read mail check what it sent.
    """
    db.session.expire_all()
    snapshot = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            if table.name == "outbox_message":
                continue
            rows = connection.execute(sa.select(table)).all()
            snapshot[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot
