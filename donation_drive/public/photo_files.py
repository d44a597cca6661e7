"""Cover-photo files on disk: where they live, which are still in use, and removing the rest.

A file is named by the hash of its content, so several drives (a memorial's rounds, or two
drives given the same picture) may share one. A file is served only while some drive uses
it, and deleted once none does — after the commit, so a rolled-back change keeps it.
"""

from pathlib import Path

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..core.extensions import db
from ..drives.models import DriveSettings

#: Where a session keeps the names of files its changes may have left unused.
_PENDING = "photo_files_maybe_unused"


def photo_folder() -> Path:
    folder = Path(current_app.instance_path) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def in_use(name: str) -> bool:
    """True while some drive shows this file as its cover photo (read in the current transaction)."""
    return db.session.scalar(
        select(DriveSettings.drive_id).where(DriveSettings.cover_photo == name).limit(1)
    ) is not None


def remove_after_commit(name: str | None) -> None:
    """Delete the file once this transaction commits, unless a drive still uses it then."""
    if not name:
        return
    session = db.session()
    session.info.setdefault(_PENDING, set()).add(name)
    if not event.contains(session, "after_commit", _remove_unused):
        event.listen(session, "after_commit", _remove_unused)
        event.listen(session, "after_rollback", _keep_all)


def _keep_all(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _remove_unused(session: Session) -> None:
    names = session.info.pop(_PENDING, set())
    if not names:
        return
    # The session cannot run SQL after its commit: ask on a connection of its own.
    with db.engine.connect() as connection:
        used = set(connection.scalars(
            select(DriveSettings.cover_photo).where(DriveSettings.cover_photo.in_(names))
        ))
    for name in names - used:
        (photo_folder() / name).unlink(missing_ok=True)
