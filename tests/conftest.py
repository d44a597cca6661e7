"""Fixtures: an app on a fresh database per test, a client that fills forms as a browser does.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set
(a schema of its own per test run, emptied after each test and dropped at the end).
"""

import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from donation_drive import create_app
from donation_drive.extensions import db as _db

CSRF_PATTERN = re.compile(r'name="(?:[\w-]+-)?csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="(?:[\w-]+-)?csrf_token"')


def _base_config(url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test secret key, not for production",
        "SQLALCHEMY_DATABASE_URI": url,
        "SERVER_NAME": "drive.test",
        "INSTANCE_PATH": str(instance),
        # Tests submit the sign-up form at once; test_security_spam.py checks the minimum time.
        "SIGN_UP_MIN_SECONDS": 0,
    }


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated, empty database for the whole run: `flask db upgrade` builds it."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if server_url:
        yield from _postgresql_schema(server_url, tmp_path_factory)
        return
    folder = tmp_path_factory.mktemp("db")
    url = f"sqlite:///{folder / 'template.sqlite3'}"
    _migrate(url, folder)
    yield url


def _migrate(url: str, folder: Path) -> None:
    app = create_app(_base_config(url, folder))
    with app.app_context():
        upgrade()
        _db.engine.dispose()


def _postgresql_schema(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    schema = f"test_{secrets.token_hex(4)}"
    engine = sa.create_engine(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in server_url else "?"
    url = f"{server_url}{separator}options=-csearch_path%3D{schema}"
    try:
        _migrate(url, tmp_path_factory.mktemp("instance"))
        yield url
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    url = database_url
    if url.startswith("sqlite:///"):
        # Each test gets its own copy of the migrated template database.
        copy = tmp_path / "test.sqlite3"
        shutil.copy(url.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    app = create_app(_base_config(url, tmp_path))
    yield app
    with app.app_context():
        _db.session.remove()
        if _db.engine.dialect.name == "postgresql":
            _empty_all_tables()
        _db.engine.dispose()


def _empty_all_tables() -> None:
    names = ", ".join(f'"{table.name}"' for table in _db.metadata.sorted_tables)
    with _db.engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> Iterator:
    """The SQLAlchemy handle inside an app context, for reading what the database holds."""
    with app.app_context():
        yield _db
        _db.session.remove()


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page, read as a browser would submit it."""
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


class Browser:
    """Fills and submits the app's forms through the test client, CSRF token and all."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)

    def submit(self, page_url: str, data: dict, action: str | None = None, prefix: str = "", **kwargs):
        """GET the page, take its CSRF token, POST `data` to `action` (default: the page)."""
        page = self.client.get(page_url)
        assert page.status_code == 200, f"{page_url} answered {page.status_code}"
        token_name = f"{prefix}-csrf_token" if prefix else "csrf_token"
        form = {token_name: csrf_token(page.get_data(as_text=True)), **data}
        return self.client.post(action or page_url, data=form, **kwargs)

    def register(self, name: str = "Sam Organiser", email: str = "sam@example.org",
                 password: str = "a long enough password"):
        return self.submit("/auth/register", {"name": name, "email": email, "password": password})

    def login(self, email: str = "sam@example.org", password: str = "a long enough password"):
        return self.submit("/auth/login", {"email": email, "password": password})

    def logout(self):
        page = self.client.get("/drives/")
        return self.client.post("/auth/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


@pytest.fixture
def browser(client: FlaskClient) -> Browser:
    return Browser(client)


def database_snapshot(db) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused request changed nothing."""
    db.session.expire_all()
    snapshot = {}
    with db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            rows = connection.execute(sa.select(table)).all()
            snapshot[table.name] = sorted(tuple(map(repr, row)) for row in rows)
    return snapshot


@pytest.fixture
def unchanged(db):
    """Use as `with unchanged(): ...` around a request that must not change the database."""
    from contextlib import contextmanager

    @contextmanager
    def _check():
        before = database_snapshot(db)
        yield
        assert database_snapshot(db) == before, "the database changed"

    return _check
