"""Counting a drive's units in SQL: a fixed number of queries however many people join."""

from collections.abc import Iterable

from sqlalchemy import func

from .extensions import db
from .models import Donation, DonationStatus, Drive, Participant
from .progress import Progress


def _donated_by_drive(drive_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        db.select(Donation.drive_id, func.coalesce(func.sum(Donation.units), 0))
        .where(Donation.drive_id.in_(drive_ids), Donation.status != DonationStatus.REJECTED)
        .group_by(Donation.drive_id)
    )
    return {drive_id: int(total) for drive_id, total in rows}


def _pledges_by_drive(drive_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Units pledged by participants who have not withdrawn, and how many signed up."""
    pledged = func.sum(Participant.units_pledged).filter(Participant.withdrawn_at.is_(None))
    rows = db.session.execute(
        db.select(Participant.drive_id, func.coalesce(pledged, 0), func.count(Participant.id))
        .where(Participant.drive_id.in_(drive_ids))
        .group_by(Participant.drive_id)
    )
    return {drive_id: (int(units), int(count)) for drive_id, units, count in rows}


def progress_of_drives(drives: Iterable[Drive]) -> dict[int, Progress]:
    """Progress of each drive, in two queries for any number of drives."""
    drives = list(drives)
    ids = [drive.id for drive in drives]
    if not ids:
        return {}
    donated = _donated_by_drive(ids)
    pledges = _pledges_by_drive(ids)
    return {
        drive.id: Progress(
            target_units=drive.target_units,
            units_donated=donated.get(drive.id, 0),
            units_pledged=pledges.get(drive.id, (0, 0))[0],
            participant_count=pledges.get(drive.id, (0, 0))[1],
        )
        for drive in drives
    }


def progress_of(drive: Drive) -> Progress:
    return progress_of_drives([drive])[drive.id]
