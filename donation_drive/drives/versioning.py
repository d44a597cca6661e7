"""A drive's version: every change to what its public pages show bumps `Drive.version` and
`Drive.changed_at`, whichever operation made it, present or future.

One listener on the app's session does it at each flush; after the commit, `drives_changed`
says which drives changed (HTTP caching listens, to drop what it remembered of them).
"""

from itertools import chain
from typing import Any

from blinker import Namespace
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, scoped_session

from ..core.models import utcnow
from .models import Drive

#: Sent after a commit that changed drives, with `slugs`: every slug they had (old ones too).
drives_changed = Namespace().signal("drives-changed")

#: Rows hanging off a drive that no public view shows. Bumping for them would only throw
#: caches away (a per-day view counter would even bump on every view).
PRIVATE_TABLES = frozenset({
    "activity_entry", "daily_count", "invitation", "co_organiser_invitation", "outbox_message",
    "unsubscribe", "api_token",
})

_CHANGED = "donation_drive_changed_slugs"


def _drive_of(session: Session, row: object) -> Drive | None:
    """The drive a changed row belongs to, read without loading anything lazily if possible."""
    state = row.__dict__
    drive = state.get("drive")
    if isinstance(drive, Drive):
        return drive
    drive_id = state.get("drive_id")
    if drive_id is None and state.get("participant") is not None:
        drive_id = state["participant"].__dict__.get("drive_id")
    if drive_id is None:
        return None
    return session.get(Drive, drive_id)


def _bump_versions(session: Session, _context: Any, _instances: Any) -> None:
    touched: dict[int, Drive] = {}
    gone: set[str] = set()
    for row in chain(session.new, session.dirty, session.deleted):
        if isinstance(row, Drive):
            if row in session.deleted:
                gone.add(row.slug)
            elif row not in session.new and session.is_modified(row, include_collections=False):
                touched[id(row)] = row
            continue
        if getattr(row, "__tablename__", None) in PRIVATE_TABLES:
            continue
        drive = _drive_of(session, row)
        if drive is not None and drive not in session.new and drive not in session.deleted:
            touched[id(drive)] = drive
    for drive in touched.values():
        # An SQL expression, so two concurrent requests never write the same number.
        drive.version = Drive.version + 1
        drive.changed_at = utcnow()
        gone.add(drive.slug)
        gone.update(inspect(drive).attrs.slug.history.deleted or ())
    if gone:
        session.info.setdefault(_CHANGED, set()).update(gone)


def _announce_after_commit(session: Session) -> None:
    # SQLAlchemy calls after_commit for a savepoint's release too, when nothing is committed yet.
    if session.in_nested_transaction():
        return
    slugs = session.info.pop(_CHANGED, None)
    if slugs:
        drives_changed.send(session, slugs=slugs)


def _forget_after_rollback(session: Session) -> None:
    # A savepoint rolled back leaves the transaction's earlier changes to commit: keep them all.
    if not session.in_nested_transaction():
        session.info.pop(_CHANGED, None)


def follow(session: scoped_session) -> None:
    """Keep the versions of drives changed through `session` (the app's); once is enough."""
    for name, listener in (
        ("before_flush", _bump_versions),
        ("after_commit", _announce_after_commit),
        ("after_rollback", _forget_after_rollback),
    ):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)
