"""The drive's activity log: every organiser action that changes data, with who and when."""

from flask import has_request_context
from flask_login import current_user

from .extensions import db
from .models import ActivityEntry, Drive, Participant, User
from .models.organising import ACTIVITY_MAX

#: Entries shown on the organiser page; older ones stay in the database.
RECENT_MAX = 30
#: What an entry about a participant says once they have erased their data.
FORGOTTEN_SUMMARY = "changed the details of a participant who has since deleted them"


def _acting_user() -> User | None:
    # Operations don't all take the organiser as an argument; the logged-in user is who acted.
    if has_request_context() and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record(drive: Drive, summary: str, actor: User | None = None, about: Participant | None = None) -> None:
    """Note that `actor` (default: the logged-in organiser) did `summary` to `drive`.

    A summary that names a participant says so with `about`, so erasing their data can
    reword it. Nothing is noted outside an organiser's request (a participant's report, the
    demo command): the log is about what organisers did.
    """
    actor = actor or _acting_user()
    if actor is None:
        return
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
