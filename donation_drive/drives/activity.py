"""The drive's activity log: every organiser action that changes data, with who and when."""

from datetime import date

from flask_babel import format_date

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import LazyText, in_language, lazy_gettext as _l
from ..participation.models import Participant
from .models import ACTIVITY_MAX, ActivityEntry, Drive

#: Entries shown on the organiser page; older ones stay in the database.
RECENT_MAX = 30
#: What an entry about a participant says once they have erased their data.
FORGOTTEN_SUMMARY = _l("changed the details of a participant who has since deleted them")


def log_date(day: date) -> LazyText:
    """`day` as an entry says it ("27 Nov 2026"), written in the log's language with the rest."""
    return LazyText(format_date, day, "medium")


def record(drive: Drive, summary: str | LazyText, actor: User, about: Participant | None = None) -> None:
    """Note that `actor` did `summary` to `drive`.

    Every operation an organiser can do is told who acts (a view passes the logged-in
    organiser, the API the token's owner), so the log is the same whichever way they came.
    A participant's report is no organiser's action and is not noted. A summary that names a
    participant says so with `about`, so erasing their data can reword it.

    `summary` is a lazy string (lazy_gettext), shown after the actor's name ("Ana removed Sam"):
    it is written down once, in the drive's language, as every organiser of the drive reads it.
    """
    with in_language(drive.language):
        text = str(summary)
    db.session.add(
        ActivityEntry(
            drive_id=drive.id,
            user_id=actor.id,
            actor_name=actor.name,
            summary=text[:ACTIVITY_MAX],
            participant_id=about.id if about else None,
        )
    )
    db.session.flush()


def forget_participant(participant: Participant) -> None:
    """Reword every entry that names the participant: the action stays, who it was about goes."""
    with in_language(participant.drive.language):
        forgotten = str(FORGOTTEN_SUMMARY)
    db.session.execute(
        db.update(ActivityEntry)
        .where(ActivityEntry.participant_id == participant.id)
        .values(summary=forgotten)
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
