"""The drive's activity log: every organiser action that changes data, with who and when."""

from ..accounts.models import User
from ..core.extensions import db
from ..participation.models import Participant
from .models import ACTIVITY_MAX, ActivityEntry, Drive

#: Entries shown on the organiser page; older ones stay in the database.
RECENT_MAX = 30
#: What an entry about a participant says once they have erased their data.
FORGOTTEN_SUMMARY = "changed the details of a participant who has since deleted them"


def record(drive: Drive, summary: str, actor: User, about: Participant | None = None) -> None:
    """Note that `actor` did `summary` to `drive`.

    Every operation an organiser can do is told who acts (a view passes the logged-in
    organiser, the API the token's owner), so the log is the same whichever way they came.
    A participant's report is no organiser's action and is not noted. A summary that names a
    participant says so with `about`, so erasing their data can reword it.
    """
    db.session.add(
        ActivityEntry(
            drive_id=drive.id,
            user_id=actor.id,
            actor_name=actor.name,
            summary=summary[:ACTIVITY_MAX],
            participant_id=about.id if about else None,
        )
    )
    db.session.flush()


def forget_participant(participant: Participant) -> None:
    """Reword every entry that names the participant: the action stays, who it was about goes."""
    db.session.execute(
        db.update(ActivityEntry)
        .where(ActivityEntry.participant_id == participant.id)
        .values(summary=FORGOTTEN_SUMMARY)
        .execution_options(synchronize_session=False)
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
