"""Counting a drive's units in SQL: a fixed number of queries however many people join."""

from collections.abc import Iterable

from sqlalchemy import and_, exists, func

from ..core.extensions import db
from ..donations.models import Donation
from ..drives.models import Drive, DriveSettings
from ..participation.models import Participant, ParticipantStage
from .progress import Progress
from .rule import counted


def _donated_by_drive(drive_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        db.select(Donation.drive_id, func.coalesce(func.sum(Donation.units), 0))
        .where(Donation.drive_id.in_(drive_ids), counted())
        .group_by(Donation.drive_id)
    )
    return {drive_id: int(total) for drive_id, total in rows}


def _pledges_by_drive(drive_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """Units pledged by participants who have not withdrawn, how many signed up, and how many
    of them agreed to be shown (as participation.shown_names lists them)."""
    pledged = func.sum(Participant.units_pledged).filter(Participant.withdrawn_at.is_(None))
    shown = func.count(Participant.id).filter(Participant.show_name.is_(True))
    rows = db.session.execute(
        db.select(Participant.drive_id, func.coalesce(pledged, 0), func.count(Participant.id), shown)
        .where(Participant.drive_id.in_(drive_ids))
        .group_by(Participant.drive_id)
    )
    return {drive_id: (int(units), int(count), int(named)) for drive_id, units, count, named in rows}


def _stages_by_drive(drive_ids: list[int]) -> dict[int, tuple[int, int, bool]]:
    """People booked (not yet donated), people deferred, and whether reports count at once."""
    donated = exists().where(Donation.participant_id == Participant.id, counted())
    booked = and_(
        ParticipantStage.booked_on.is_not(None), ParticipantStage.deferred_on.is_(None), ~donated
    )
    rows = db.session.execute(
        db.select(
            Drive.id,
            func.count(ParticipantStage.participant_id).filter(booked),
            func.count(ParticipantStage.participant_id).filter(ParticipantStage.deferred_on.is_not(None)),
            DriveSettings.counts_reported,
        )
        .outerjoin(DriveSettings, DriveSettings.drive_id == Drive.id)
        .outerjoin(Participant, Participant.drive_id == Drive.id)
        .outerjoin(ParticipantStage, ParticipantStage.participant_id == Participant.id)
        .where(Drive.id.in_(drive_ids))
        .group_by(Drive.id, DriveSettings.counts_reported)
    )
    # No settings row means the default: reports count at once.
    return {drive_id: (int(b), int(d), c is not False) for drive_id, b, d, c in rows}


def progress_of_drives(drives: Iterable[Drive]) -> dict[int, Progress]:
    """Progress of each drive, in three queries for any number of drives."""
    drives = list(drives)
    ids = [drive.id for drive in drives]
    if not ids:
        return {}
    donated = _donated_by_drive(ids)
    pledges = _pledges_by_drive(ids)
    stages = _stages_by_drive(ids)
    progress = {}
    for drive in drives:
        units_pledged, participant_count, people_shown = pledges.get(drive.id, (0, 0, 0))
        people_booked, attempts_deferred, counts_reported = stages.get(drive.id, (0, 0, True))
        progress[drive.id] = Progress(
            target_units=drive.target_units,
            units_donated=donated.get(drive.id, 0),
            units_pledged=units_pledged,
            participant_count=participant_count,
            people_shown=people_shown,
            people_booked=people_booked,
            attempts_deferred=attempts_deferred,
            counts_reported=counts_reported,
            unit_noun=drive.unit_noun,
        )
    return progress


def progress_of(drive: Drive) -> Progress:
    return progress_of_drives([drive])[drive.id]
