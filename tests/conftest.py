"""Fixtures: an app on a fresh database per test, a client that fills forms as a browser does.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set
(a schema of its own per test process — each pytest-xdist worker has one — emptied after each
test and dropped at the end).
"""

import os
import secrets
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade

from donation_drive import create_app
from donation_drive.core.extensions import db as _db
from donation_drive.core.ratelimits import limiter
from donation_drive.outreach import delivery
from support import Browser, base_config, database_snapshot, reset_memory, share_compiled_templates

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


class WorkerApp:
    """The app this test process reuses: one build for every test that only sends requests.

    Building an app costs about ten times what a request costs (URL rules compiled, templates
    loaded, a new engine), so each process builds one and puts it back as found after each test:
    the database emptied, the configuration and the instance folder as built, the in-memory
    caches and counters new. A test that changes the app itself (a route of its own) marks itself
    `own_app` and gets a fresh build, as does any test after one that left the shared rate
    limiter pointing at another app's storage.
    """

    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder = url, folder
        self.app: Flask | None = None

    def take(self) -> Flask:
        if self.app is None:
            self.app = create_app(base_config(self.url, self.folder / "instance"))
            self.config = dict(self.app.config)
            self.limiter_storage = limiter.storage
        return self.app

    def put_back(self) -> None:
        app = self.app
        assert app is not None
        with app.app_context():
            _db.session.remove()
            _empty_all_tables()
        app.config.clear()
        app.config.update(self.config)
        shutil.rmtree(app.instance_path)
        os.makedirs(app.instance_path)
        reset_memory(app)
        if limiter.storage is not self.limiter_storage or not limiter.enabled:
            self.discard()
        else:
            limiter.reset()

    def discard(self) -> None:
        if self.app is not None:
            with self.app.app_context():
                _db.engine.dispose()
            self.app = None


@pytest.fixture(scope="session")
def worker_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerApp]:
    folder = tmp_path_factory.mktemp("worker")
    url = database_url
    if url.startswith("sqlite:///"):
        shutil.copy(url.removeprefix("sqlite:///"), folder / "worker.sqlite3")
        url = f"sqlite:///{folder / 'worker.sqlite3'}"
    held = WorkerApp(url, folder)
    yield held
    held.discard()


@pytest.fixture
def app(request: pytest.FixtureRequest, worker_app: WorkerApp, database_url: str, tmp_path: Path) -> Iterator[Flask]:
    if request.node.get_closest_marker("own_app"):
        yield from _own_app(database_url, tmp_path)
        return
    yield worker_app.take()
    worker_app.put_back()


def _own_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """A new app on a new copy of the database (SQLite) or the emptied schema (PostgreSQL)."""
    url = database_url
    if url.startswith("sqlite:///"):
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
    tables = _db.metadata.sorted_tables
    with _db.engine.begin() as connection:
        if _db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{table.name}"' for table in tables)
            connection.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # Children first, for the foreign keys; SQLite then numbers new rows from 1 again.
            for table in reversed(tables):
                connection.execute(table.delete())


@pytest.fixture(autouse=True)
def no_delivery_thread_left_running() -> Iterator[None]:
    """A test may not leave an outbox delivery thread running (MAIL_DELIVERY=thread, the default
    of an app built without base_config). It lives as long as the process, wakes every half
    minute, and delivers what later tests queue in the database it was built on: their mail
    goes out through its settings, not theirs, while they wait for it."""
    before = set(_delivery_threads())
    yield
    left = [thread for thread in _delivery_threads() if thread not in before]
    assert not left, "the test left an outbox delivery thread running: build its app with base_config"


def _delivery_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == delivery.THREAD_NAME and thread.is_alive()]


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
