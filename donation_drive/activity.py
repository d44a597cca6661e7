"""The drive's activity log: every organiser action that changes data, with who and when."""

from .extensions import db
from .models import ActivityEntry, Drive, User
from .models.organising import ACTIVITY_MAX

#: Entries shown on the organiser page; older ones stay in the database.
RECENT_MAX = 30


def record(drive: Drive, summary: str, actor: User) -> None:
    """Note that `actor` did `summary` to `drive`.

    Every operation an organiser can do is told who acts (a view passes the logged-in
    organiser, the API the token's owner), so the log is the same whichever way they came.
    A participant's report is no organiser's action and is not noted.
    """
    db.session.add(
        ActivityEntry(
            drive_id=drive.id,
            user_id=actor.id,
            actor_name=actor.name,
            summary=summary[:ACTIVITY_MAX],
        )
    )
    db.session.flush()


def recent(drive: Drive, limit: int = RECENT_MAX) -> list[ActivityEntry]:
    return list(
        db.session.scalars(
            db.select(ActivityEntry)
            .where(ActivityEntry.drive_id == drive.id)
            .order_by(ActivityEntry.created_at.desc(), ActivityEntry.id.desc())
            .limit(limit)
        )
    )
