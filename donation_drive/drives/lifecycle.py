"""A drive's life beyond open and closed: its settings, a later end date, and deletion."""

from datetime import UTC, date, datetime

from flask_babel import format_date, gettext as _

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken, drive_today, today_in
from ..counting import milestones
from ..public.photo_files import remove_after_commit
from . import activity
from .models import Drive, DriveSettings, DriveStatus, Memorial, MemorialRound
from .operations import check_dates


def settings_for(drive: Drive) -> DriveSettings:
    """The drive's settings row, created with defaults the first time it's needed."""
    settings = db.session.get(DriveSettings, drive.id)
    if settings is None:
        settings = DriveSettings(drive_id=drive.id, counts_reported=True, cover_photo_alt="")
        db.session.add(settings)
        db.session.flush()
    return settings


def counts_reported(drive: Drive) -> bool:
    settings = db.session.get(DriveSettings, drive.id)
    return settings is None or settings.counts_reported


def set_counts_reported(drive: Drive, actor: User, at_once: bool) -> None:
    """Choose whether participants' reported donations count at once or only once confirmed."""
    settings = settings_for(drive)
    if settings.counts_reported == at_once:
        return
    settings.counts_reported = at_once
    db.session.flush()
    milestones.record_milestones(drive)
    activity.record(
        drive,
        _l("chose to count reported donations at once") if at_once
        else _l("chose to count donations only once confirmed"),
        actor,
    )


def extend_end_date(drive: Drive, actor: User, ends_on: date) -> None:
    """Give the drive more time; shortening is done by editing the drive or closing it."""
    if ends_on <= drive.ends_on:
        raise RuleBroken(
            _("The drive already runs until %(date)s; pick a later date.", date=format_date(drive.ends_on, "long")),
            "ends_on",
        )
    if ends_on < drive_today(drive):
        raise RuleBroken(_("The new end date can't be in the past."), "ends_on")
    check_dates(drive.starts_on, ends_on)
    old = drive.ends_on
    drive.ends_on = ends_on
    db.session.flush()
    activity.record(drive, _l("extended the end date from %(old)s to %(new)s",
                              old=activity.log_date(old), new=activity.log_date(ends_on)), actor)


def delete_drive(drive: Drive, typed_title: str) -> None:
    """Delete the drive and every participant's personal data with it; the title must be typed."""
    if (typed_title or "").strip() != drive.title.strip():
        raise RuleBroken(
            _("That isn't the drive's title, so nothing was deleted. Type it exactly as shown."),
            "confirmation",
        )
    erase_drive(drive)


def erase_drive(drive: Drive) -> None:
    """Delete the drive with everything in it, and its memorial if this was the last round.

    Callers check first that this is wanted: `delete_drive` by the typed title, account
    deletion by the owner's password.
    """
    memorial_id = db.session.scalar(
        db.select(MemorialRound.memorial_id).where(MemorialRound.drive_id == drive.id)
    )
    # Its settings row goes by ON DELETE CASCADE; its cover photo's file, once committed.
    remove_after_commit(db.session.scalar(
        db.select(DriveSettings.cover_photo).where(DriveSettings.drive_id == drive.id)
    ))
    # Participants, donations and organisers go with the drive through the ORM's cascade;
    # every other table that holds a drive's data (updates, invitations, stages…) through
    # ON DELETE CASCADE, so no name, email or private link is left behind.
    db.session.delete(drive)
    db.session.flush()
    if memorial_id is not None:
        _drop_memorial_without_rounds(memorial_id)


def _drop_memorial_without_rounds(memorial_id: int) -> None:
    # A memorial holds the honoree's name and has no foreign key to a drive, so no cascade
    # reaches it: once its last round is deleted it would live on at /memorial/<slug>.
    rounds_left = db.session.scalar(
        db.select(db.func.count()).select_from(MemorialRound).where(MemorialRound.memorial_id == memorial_id)
    )
    if rounds_left == 0:
        db.session.execute(db.delete(Memorial).where(Memorial.id == memorial_id))
        db.session.flush()


def close_ended_drives(now: datetime) -> int:
    """Close every open drive whose end date was over by `now` where the drive is: a drive in
    Sydney ending on the 1st closes after midnight there (13:00 or 14:00 UTC on the 1st), one in
    New York at 04:00 or 05:00 UTC on the 2nd. The worker runs this each hour.

    Closing is what organisers do by hand too: the progress page then thanks people instead
    of asking them to join. Running it twice closes nothing twice.
    """
    # Every zone is less than a day ahead of UTC (Kiribati, +14 h, the most): a drive ending
    # after today in UTC is over nowhere yet.
    utc_day = now.astimezone(UTC).date()
    candidates = db.session.scalars(
        db.select(Drive).where(Drive.status == DriveStatus.OPEN, Drive.ends_on <= utc_day)
    )
    ended = [drive for drive in candidates if drive.ends_on < today_in(drive.timezone, now)]
    for drive in ended:
        drive.status = DriveStatus.CLOSED
        drive.closed_at = now
    db.session.flush()
    return len(ended)
