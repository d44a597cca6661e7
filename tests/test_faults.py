"""Faults: the database going away, a request failing half-way, Redis unavailable.

Each must give a clear answer, leave nothing half-written, and recover by itself.
"""

import contextlib
import logging
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import abort
from sqlalchemy.exc import OperationalError

from donation_drive import create_app
from donation_drive.core.extensions import csrf, db as _db
from donation_drive.core.rules import today
from donation_drive.donations import operations as donations
from donation_drive.models import Donation, DonationType, Drive, Participant
from donation_drive.participation import operations as participation
from donation_drive.participation.operations import Pledge
from support import Browser
from test_journeys import create_drive, invite_path, sign_up

UNREACHABLE_POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:1/drives?connect_timeout=2"


def _config(url: str, tmp_path, **extra) -> dict:
    return {"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "drive.test",
            "INSTANCE_PATH": str(tmp_path / "instance"), "SIGN_UP_MIN_SECONDS": 0, "MAIL_DELIVERY": "inline",
            **extra}


def test_an_unreachable_database_gives_a_clear_503_page_and_json(tmp_path):
    client = create_app(_config(UNREACHABLE_POSTGRESQL, tmp_path)).test_client()
    page = client.get("/d/7-for-jack")
    assert page.status_code == 503
    assert "We can&#39;t reach our database right now" in page.get_data(as_text=True)
    api = client.get("/api/drives/7-for-jack")
    assert api.status_code == 503
    assert api.is_json and "error" in api.json


def test_a_sqlite_file_that_goes_away_gives_503_and_the_app_recovers_when_it_returns(app, browser):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite file")
    browser.register()
    slug = create_drive(browser).rsplit("/", 1)[1]
    path = url.removeprefix("sqlite:///")
    with app.app_context():
        _db.engine.dispose()  # open connections would keep the old file alive
    shutil.move(path, path + ".away")
    (tmp_dir := Path(path)).mkdir()  # a folder where the file was: cannot be opened
    try:
        gone = browser.get(f"/d/{slug}")
        assert gone.status_code == 503
        assert "Temporarily unavailable" in gone.get_data(as_text=True)
    finally:
        tmp_dir.rmdir()
        shutil.move(path + ".away", path)
    assert browser.get(f"/d/{slug}").status_code == 200


@pytest.fixture
def failing_route(app):
    """A route that signs a friend up and logs a unit, then fails as told: a real mid-request fault."""

    def sign_up_then_fail(slug: str, fault: str):
        drive = _db.session.scalar(sa.select(Drive).where(Drive.slug == slug))
        pledge = Pledge(units=1, donation_type=DonationType.WHOLE_BLOOD, planned_on=None, show_name=False)
        friend, _token = participation.sign_up(drive, "Half Written", None, pledge)
        donations.report_donation(friend, 1, DonationType.WHOLE_BLOOD, today())
        if fault == "database":
            raise OperationalError("INSERT …", {}, Exception("server closed the connection unexpectedly"))
        if fault == "bug":
            raise RuntimeError("a bug after the writes")
        abort(422)

    app.add_url_rule("/_fault/<slug>/<fault>", "fault", csrf.exempt(sign_up_then_fail), methods=["POST"])
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production
    return app


@pytest.mark.own_app  # adds a route of its own
@pytest.mark.parametrize("fault, status", [("database", 503), ("bug", 500), ("refused", 422)])
def test_a_request_failing_after_its_writes_leaves_nothing_half_written(failing_route, browser, fault, status):
    browser.register()
    slug = create_drive(browser).rsplit("/", 1)[1]
    response = browser.client.post(f"/_fault/{slug}/{fault}")
    assert response.status_code == status
    with failing_route.app_context():
        assert _db.session.scalar(sa.select(sa.func.count(Participant.id))) == 0
        assert _db.session.scalar(sa.select(sa.func.count(Donation.id))) == 0


class CuttableProxy:
    """A TCP relay to PostgreSQL on 127.0.0.1 that can drop every connection, as a failing network does."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open = threading.Event()
        self.open.set()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()
                continue
            server = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            for end in self.sockets:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()
            self.sockets.clear()

    def restore(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()


def test_postgresql_going_away_gives_503_and_the_app_recovers_when_it_returns(app, database_url, tmp_path):
    """(`app` empties the tables afterwards.)"""
    if not database_url.startswith("postgresql"):
        pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)")
    url = sa.make_url(database_url)
    proxy = CuttableProxy(url.port or 5432)
    through_proxy = url.set(host="127.0.0.1", port=proxy.port).update_query_dict({"connect_timeout": "2"})
    app = create_app(_config(through_proxy.render_as_string(hide_password=False), tmp_path))
    browser = Browser(app.test_client())
    try:
        browser.register()
        slug = create_drive(browser).rsplit("/", 1)[1]
        invite = invite_path(browser, f"/drives/{slug}")
        browser.logout()
        assert browser.get(f"/d/{slug}").status_code == 200

        proxy.cut()
        assert browser.get(f"/d/{slug}").status_code == 503
        assert browser.get("/readyz").status_code == 503
        assert browser.get("/healthz").status_code == 200

        proxy.restore()
        assert browser.get(f"/d/{slug}").status_code == 200  # pool_pre_ping replaced the dead connections
        sign_up(browser, invite, "Back Again")
        assert browser.get(f"/api/drives/{slug}").json["participant_count"] == 1
    finally:
        proxy.close()
        with app.app_context():
            _db.engine.dispose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve_a_drive(app) -> tuple[Browser, str, str]:
    browser = Browser(app.test_client())
    browser.register()
    slug = create_drive(browser).rsplit("/", 1)[1]
    invite = invite_path(browser, f"/drives/{slug}")
    browser.logout()
    return browser, slug, invite


def _redis_warnings(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.levelno >= logging.WARNING and "redis" in record.getMessage().lower()]


def test_the_app_keeps_serving_without_redis_and_says_so_in_the_log(app, tmp_path, caplog):
    caplog.set_level(logging.WARNING)
    served = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path,
                                REDIS_URL=f"redis://127.0.0.1:{_free_port()}/0"))
    browser, slug, invite = _serve_a_drive(served)
    sign_up(browser, invite, "Ann")
    assert browser.get(f"/d/{slug}").status_code == 200
    assert browser.get(f"/api/drives/{slug}").json["participant_count"] == 1
    assert _redis_warnings(caplog)
    with served.app_context():
        _db.engine.dispose()


@pytest.fixture
def redis_server():
    """A Redis of our own on a free port, so the test can stop it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    # Its log, read as it is written, however long a busy machine takes to start it.
    for line in process.stdout:
        if "Ready to accept connections" in line:
            break
    else:
        raise AssertionError(f"redis-server exited with {process.wait()} before it was ready")
    process.stdout.close()  # nothing more is read; redis-server then logs to a closed pipe, which it ignores
    yield process, f"redis://127.0.0.1:{port}/0"
    process.kill()
    process.wait()


def test_the_app_keeps_serving_when_redis_dies_mid_run(app, tmp_path, caplog, redis_server):
    process, redis_url = redis_server
    caplog.set_level(logging.WARNING)
    served = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path, REDIS_URL=redis_url))
    browser, slug, invite = _serve_a_drive(served)
    assert browser.get(f"/d/{slug}").status_code == 200
    assert not _redis_warnings(caplog)

    process.kill()
    process.wait()
    sign_up(browser, invite, "Ann")
    assert browser.get(f"/d/{slug}").status_code == 200
    assert browser.get(f"/api/drives/{slug}").json["participant_count"] == 1
    assert _redis_warnings(caplog)
    with served.app_context():
        _db.engine.dispose()
