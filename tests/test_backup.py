"""`flask backup` copies a live SQLite database consistently; `flask restore` checks before it replaces."""

import errno
import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from donation_drive import backup as backup_module, create_app
from donation_drive.core.extensions import db as _db
from donation_drive.core.rules import today
from donation_drive.models import Donation, DonationStatus, DonationType, Drive, LoggedBy, utcnow
from test_journeys import create_drive

#: An app and database of their own: `flask restore` writes a backup into the live database file
#: with SQLite's backup API, and the shared worker app's file is also held by connections of the
#: apps built on it before (an outbox thread, a discarded engine) that the restore cannot close.
#: Full runs that restored into it later found it "malformed" or answering "disk I/O error".
pytestmark = pytest.mark.own_app


@pytest.fixture
def sqlite_app(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the backup command copies SQLite databases")
    return app


@pytest.fixture
def drive_id(sqlite_app, browser) -> int:
    browser.register()
    slug = create_drive(browser).rsplit("/", 1)[1]
    with sqlite_app.app_context():
        return _db.session.scalar(sa.select(Drive.id).where(Drive.slug == slug))


def _donation(drive_id: int) -> dict:
    """One unit logged by an organiser, as a row (inserted with Core: fast, and hooks are not under test)."""
    return {"drive_id": drive_id, "units": 1, "donation_type": DonationType.WHOLE_BLOOD, "donated_on": today(),
            "logged_by": LoggedBy.ORGANISER, "status": DonationStatus.CONFIRMED, "created_at": utcnow()}


@pytest.fixture
def backups(tmp_path) -> Path:
    """A folder of its own for backup files (the test database lives in tmp_path)."""
    folder = tmp_path / "backups"
    folder.mkdir()
    return folder


def _fill(app, drive_id: int, count: int) -> None:
    with app.app_context(), _db.engine.begin() as connection:
        connection.execute(sa.insert(Donation.__table__), [_donation(drive_id) for _ in range(count)])


def _donation_ids(path: Path) -> list[int]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT id FROM donation ORDER BY id")]
    finally:
        connection.close()


def _database_file(app) -> Path:
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


class Writer(threading.Thread):
    """Logs one donation per transaction, as fast as it can, and notes each one acknowledged."""

    def __init__(self, app, drive_id: int) -> None:
        super().__init__(daemon=True)
        self.app, self.drive_id = app, drive_id
        self.acknowledged: list[int] = []
        self.stop = threading.Event()
        self.error: Exception | None = None

    def run(self) -> None:
        try:
            with self.app.app_context():
                while not self.stop.is_set():
                    with _db.engine.begin() as connection:
                        result = connection.execute(sa.insert(Donation.__table__), _donation(self.drive_id))
                    # Committed: from here on the unit is acknowledged.
                    self.acknowledged.append(result.inserted_primary_key[0])
        except Exception as error:  # reported by the test, not lost in the thread
            self.error = error


def test_a_backup_taken_during_writes_restores_every_unit_acknowledged_before_it(sqlite_app, drive_id, backups):
    _fill(sqlite_app, drive_id, 20_000)  # a few megabytes, so the copy takes a moment
    writer = Writer(sqlite_app, drive_id)
    writer.start()
    while len(writer.acknowledged) < 50:
        time.sleep(0.01)
    acknowledged_before = list(writer.acknowledged)
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(backups / "drives.backup")])
    while len(writer.acknowledged) < len(acknowledged_before) + 50:
        time.sleep(0.01)
    writer.stop.set()
    writer.join(timeout=30)
    assert writer.error is None
    assert result.exit_code == 0, result.output
    assert "Backed up to" in result.output

    backed_up = _donation_ids(backups / "drives.backup")
    assert set(acknowledged_before) <= set(backed_up)
    # One moment of the database: every donation up to some point, none missing in between.
    assert backed_up == list(range(1, len(backed_up) + 1))
    assert len(backed_up) < 20_000 + len(writer.acknowledged)  # writes went on after the copy

    result = sqlite_app.test_cli_runner().invoke(args=["restore", "--yes", str(backups / "drives.backup")])
    assert result.exit_code == 0, result.output
    assert _donation_ids(_database_file(sqlite_app)) == backed_up
    with sqlite_app.app_context():
        units = _db.session.scalar(sa.select(sa.func.sum(Donation.units)).where(Donation.drive_id == drive_id))
    assert units == len(backed_up)
    assert list(_database_file(sqlite_app).parent.glob("*.before-restore-*"))


def test_a_backup_is_one_checked_file_with_no_journal_beside_it(sqlite_app, drive_id, backups):
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(backups / "copy.sqlite3")])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in backups.iterdir()) == ["copy.sqlite3"]
    connection = sqlite3.connect(backups / "copy.sqlite3")
    assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert connection.execute("SELECT count(*) FROM drive").fetchone() == (1,)
    connection.close()


@pytest.fixture
def tiny_disk(tmp_path):
    """A 128 KiB filesystem, or a skip where this machine may not mount one."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(mount_point)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_a_full_disk_fails_the_backup_clearly_and_keeps_the_old_one(sqlite_app, drive_id, tiny_disk):
    target = tiny_disk / "drives.backup"
    target.write_bytes(b"the previous backup")
    _fill(sqlite_app, drive_id, 5_000)  # far more than 128 KiB
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert "The backup failed and" in result.output and "was left as it was" in result.output
    assert "full" in result.output.lower() or "no space" in result.output.lower()
    assert target.read_bytes() == b"the previous backup"
    assert [path.name for path in tiny_disk.iterdir()] == ["drives.backup"]


def test_a_disk_full_error_at_the_os_boundary_keeps_the_old_backup(sqlite_app, drive_id, backups, monkeypatch):
    target = backups / "drives.backup"
    target.write_bytes(b"the previous backup")

    def disk_full(_descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(backup_module.os, "fsync", disk_full)
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert "No space left on device" in result.output
    assert target.read_bytes() == b"the previous backup"
    assert [path.name for path in backups.iterdir()] == ["drives.backup"]


def test_a_backup_into_a_missing_folder_is_refused(sqlite_app, tmp_path):
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "nowhere" / "x.backup")])
    assert result.exit_code == 1
    assert "does not exist" in result.output


@pytest.mark.parametrize("make_file, message", [
    (lambda path: path.write_bytes(b"not a database at all " * 100), "is not a readable SQLite database"),
    (lambda path: sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit(),
     "has no migration revision"),
    (lambda path: _with_revision(path, "from-the-future"), "does not know"),
])
def test_restore_refuses_a_file_that_is_not_a_sound_backup(sqlite_app, drive_id, tmp_path, make_file, message):
    before = _database_file(sqlite_app).read_bytes()
    candidate = tmp_path / "candidate.backup"
    make_file(candidate)
    result = sqlite_app.test_cli_runner().invoke(args=["restore", "--yes", str(candidate)])
    assert result.exit_code == 1
    assert message in result.output
    assert _database_file(sqlite_app).read_bytes() == before


def _with_revision(path: Path, revision: str) -> None:
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    connection.commit()
    connection.close()


def test_restore_asks_before_replacing(sqlite_app, drive_id, backups):
    runner = sqlite_app.test_cli_runner()
    assert runner.invoke(args=["backup", str(backups / "a.backup")]).exit_code == 0
    _fill(sqlite_app, drive_id, 3)
    result = runner.invoke(args=["restore", str(backups / "a.backup")], input="n\n")
    assert result.exit_code == 1
    assert len(_donation_ids(_database_file(sqlite_app))) == 3


def test_backup_refuses_clearly_on_postgresql(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/drives",
                      "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "test"})
    for command in (["backup", str(tmp_path / "x")], ["restore", "--yes", str(tmp_path / "x")]):
        result = app.test_cli_runner().invoke(args=command)
        assert result.exit_code == 1
        assert "For PostgreSQL use pg_dump and pg_restore" in result.output
