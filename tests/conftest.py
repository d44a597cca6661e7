"""Fixtures: an app on a fresh database per test, a client that fills forms as a browser does.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set
(a schema of its own per test process — each pytest-xdist worker has one — emptied after each
test and dropped at the end).
"""

import os
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
from support import Browser, base_config, database_snapshot, share_compiled_templates

share_compiled_templates()


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
    app = create_app(base_config(url, folder))
    with app.app_context():
        upgrade()
        _db.engine.dispose()


def _postgresql_schema(server_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    schema = f"test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{secrets.token_hex(4)}"
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
    app = create_app(base_config(url, tmp_path))
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


@pytest.fixture
def browser(client: FlaskClient, request: pytest.FixtureRequest) -> Browser:
    # A test that sends mail to the loopback SMTP server reads the confirmation links there.
    mailbox = request.getfixturevalue("smtp_server") if "smtp_server" in request.fixturenames else None
    return Browser(client, mailbox)


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
