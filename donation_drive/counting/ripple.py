"""Passing the challenge on: drives started "inspired by" another, and what they add up to."""

from dataclasses import dataclass
from itertools import chain

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from ..core.extensions import db
from ..core.models import utcnow
from ..donations.models import Donation
from ..drives.models import Drive, Visibility
from .rule import counted

#: Inspired drives listed by name on a progress page; the totals count them all.
LISTED_MAX = 20


@dataclass(frozen=True)
class Ripple:
    """The drives a drive inspired (and they in turn inspired), and the units across all of them."""

    listed: list[Drive]
    inspired_count: int
    units_total: int


def _tree(drive_id: int):
    """The drive and every drive inspired by it, at any depth (UNION, so a cycle could not loop)."""
    tree = select(Drive.id.label("id")).where(Drive.id == drive_id).cte("ripple_tree", recursive=True)
    return tree.union(select(Drive.id).where(Drive.inspired_by_id == tree.c.id))


def ripple_of(drive: Drive) -> Ripple:
    tree = _tree(drive.id)
    # One aggregate query: how many drives joined the ripple, and every counted unit in them.
    inspired_count = select(func.count()).select_from(tree).where(tree.c.id != drive.id).scalar_subquery()
    units = (
        select(func.coalesce(func.sum(Donation.units), 0))
        .where(Donation.drive_id.in_(select(tree.c.id)), counted())
        .scalar_subquery()
    )
    count, total = db.session.execute(select(inspired_count, units)).one()
    listed = []
    if count:
        # Unlisted drives add to the totals but are never named on a public page.
        listed = list(db.session.scalars(
            select(Drive).where(Drive.inspired_by_id == drive.id, Drive.visibility == Visibility.PUBLIC)
            .order_by(Drive.created_at, Drive.id).limit(LISTED_MAX)
        ))
    return Ripple(listed=listed, inspired_count=int(count), units_total=int(total))


def inspired_by(drive: Drive) -> Drive | None:
    """The drive this one passes the challenge on from, if it is public (unlisted ones stay unnamed)."""
    if drive.inspired_by_id is None:
        return None
    original = db.session.get(Drive, drive.inspired_by_id)
    return original if original is not None and original.visibility is Visibility.PUBLIC else None


def start_inspired_drive(drive: Drive, original: Drive) -> Drive:
    """Link a newly created drive to the one that inspired it; return it."""
    drive.inspired_by_id = original.id
    db.session.flush()
    return drive


# --- Keeping cached progress pages true: a change in an inspired drive changes the ripple
# shown on every drive up its chain, so those drives are touched too. public/caching.py then bumps
# their versions like any other change (this listener runs first: insert=True). ---

#: Far deeper than any real chain; only guards against a loop in bad data.
_CHAIN_MAX = 50


def _ancestors(session: Session, drive_id: int | None) -> list[Drive]:
    found: list[Drive] = []
    seen: set[int] = set()
    while drive_id is not None and drive_id not in seen and len(found) < _CHAIN_MAX:
        seen.add(drive_id)
        drive = session.get(Drive, drive_id)
        if drive is None:
            break
        found.append(drive)
        drive_id = drive.inspired_by_id
    return found


def _touch_ripple(session: Session, _context: object, _instances: object) -> None:
    starts: set[int] = set()
    for row in chain(session.new, session.dirty, session.deleted):
        if isinstance(row, Drive) and row.inspired_by_id is not None:
            starts.add(row.inspired_by_id)
        elif isinstance(row, Donation):
            drive = row.__dict__.get("drive") or session.get(Drive, row.drive_id)
            if drive is not None and drive.inspired_by_id is not None:
                starts.add(drive.inspired_by_id)
    for start in starts:
        for ancestor in _ancestors(session, start):
            if ancestor not in session.deleted:
                ancestor.changed_at = utcnow()


def init_app() -> None:
    if not event.contains(Session, "before_flush", _touch_ripple):
        event.listen(Session, "before_flush", _touch_ripple, insert=True)
