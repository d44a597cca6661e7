"""Backups of a SQLite database that are consistent while the app keeps writing, and a checked restore.

The copy goes through SQLite's online backup API in one step: a snapshot of one moment, taken
while writers carry on (WAL lets them). It is written to a temporary file beside the target and
renamed over it only once it is complete, checked and on disk, so a failed backup (a full disk)
leaves the previous backup as it was. PostgreSQL has its own tools: see README, "Backups".
"""

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import click
from alembic.script import ScriptDirectory
from flask import current_app
from flask.cli import with_appcontext

from .core.extensions import db

POSTGRESQL_REFUSAL = (
    "The backup and restore commands copy SQLite databases; this app uses {dialect}. "
    "For PostgreSQL use pg_dump and pg_restore (README, \"Backups\")."
)


class BackupFailed(Exception):
    """A backup or restore that did not happen; the message says why in plain words."""


@dataclass(frozen=True)
class BackupCheck:
    """What a backup file holds, read before trusting it."""

    path: Path
    size_bytes: int
    migration: str


def sqlite_database_path() -> Path:
    """The app's SQLite file; refuses clearly on any other database."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise BackupFailed(POSTGRESQL_REFUSAL.format(dialect=url.get_backend_name()))
    if url.database in (None, "", ":memory:"):
        raise BackupFailed("This app runs on an in-memory SQLite database; there is no file to back up.")
    return Path(url.database).resolve()


def back_up(source: Path, destination: Path) -> BackupCheck:
    """Copy the live database at `source` to `destination`, replacing it only on success."""
    destination = destination.resolve()
    if destination == source:
        raise BackupFailed("The backup would overwrite the database itself; choose another path.")
    if not destination.parent.is_dir():
        raise BackupFailed(f"The folder {destination.parent} does not exist.")
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    try:
        _copy(source, partial)
        check = check_backup(partial)
        _fsync(partial)
        os.replace(partial, destination)
        _fsync(destination.parent)
    except (sqlite3.Error, OSError) as error:
        raise BackupFailed(f"The backup failed and {destination} was left as it was: {_reason(error)}") from error
    finally:
        # SQLite may leave the copy's rollback journal beside it when the disk fills mid-copy.
        for leftover in (partial, partial.with_name(partial.name + "-journal")):
            leftover.unlink(missing_ok=True)
    return BackupCheck(destination, check.size_bytes, check.migration)


def _copy(source: Path, target: Path) -> None:
    live = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    copy = sqlite3.connect(target)
    try:
        # pages=-1: the whole database in one step, so the copy is one moment of it.
        live.backup(copy, pages=-1)
        # A backup is one self-contained file: no -wal beside it.
        copy.execute("PRAGMA journal_mode = DELETE")
    finally:
        copy.close()
        live.close()


def check_backup(path: Path) -> BackupCheck:
    """Refuse a file that is not a sound database of this app at a migration this code knows."""
    if not path.is_file():
        raise BackupFailed(f"There is no file at {path}.")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            integrity = connection.execute("PRAGMA integrity_check").fetchall()
            has_versions = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall() if has_versions else []
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupFailed(f"{path} is not a readable SQLite database: {_reason(error)}") from error
    if integrity != [("ok",)]:
        raise BackupFailed(f"{path} failed SQLite's integrity check: {integrity[0][0]}")
    if len(revisions) != 1:
        raise BackupFailed(f"{path} has no migration revision; it is not a Donation Drive database.")
    migration = revisions[0][0]
    if migration not in _known_revisions():
        raise BackupFailed(
            f"{path} is at migration {migration}, which this version of the app does not know "
            "(it was made by a newer version?)."
        )
    return BackupCheck(path, path.stat().st_size, migration)


def restore(backup: Path, database: Path) -> tuple[BackupCheck, Path]:
    """Check `backup`, keep a copy of the current database, then bring the backup's content in.

    The content is copied into the live file through the backup API, inside SQLite's own
    locking, so connections that are open see either the old database or the restored one.
    """
    check = check_backup(backup.resolve())
    kept = database.with_name(f"{database.name}.before-restore-{time.strftime('%Y%m%d-%H%M%S')}")
    back_up(database, kept)
    db.engine.dispose()
    source = sqlite3.connect(f"file:{check.path}?mode=ro", uri=True)
    live = sqlite3.connect(database, timeout=30)
    try:
        source.backup(live, pages=-1)
    except sqlite3.Error as error:
        raise BackupFailed(f"The restore failed; the database was left as it was: {_reason(error)}") from error
    finally:
        live.close()
        source.close()
    return check, kept


def _known_revisions() -> set[str]:
    config = current_app.extensions["migrate"].migrate.get_config()
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def _migration_head() -> str | None:
    config = current_app.extensions["migrate"].migrate.get_config()
    return ScriptDirectory.from_config(config).get_current_head()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Copy the SQLite database to PATH while the app keeps running."""
    try:
        check = back_up(sqlite_database_path(), path)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {check.path} ({check.size_bytes:,} bytes, migration {check.migration}).")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database's content with the backup at PATH, after checking it."""
    try:
        database = sqlite_database_path()
        check_backup(path.resolve())
        if not yes:
            click.confirm(f"Replace everything in {database} with {path}?", abort=True)
        check, kept = restore(path, database)
    except BackupFailed as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored {check.path} (migration {check.migration}). The database before it is kept at {kept}.")
    if check.migration != _migration_head():
        click.echo("The backup is from an older version: run `flask --app donation_drive db upgrade` now.")
