"""Logging units: reported by a participant, logged by an organiser, confirmed or rejected."""

from datetime import date

from . import activity, milestones
from .extensions import db
from .models import Donation, DonationStatus, DonationType, Drive, LoggedBy, Participant, User
from .rules import RuleBroken, check_donation_date


def _check_open(drive: Drive) -> None:
    if not drive.is_open:
        raise RuleBroken("This drive is closed and no longer takes reports.")


def report_donation(
    participant: Participant, units: int, donation_type: DonationType, donated_on: date
) -> Donation:
    """A participant says "I donated"; it counts at once and waits for an organiser's check."""
    drive = participant.drive
    _check_open(drive)
    check_donation_date(donated_on, drive.starts_on)
    donation = Donation(
        drive=drive,
        participant=participant,
        units=units,
        donation_type=donation_type,
        donated_on=donated_on,
        logged_by=LoggedBy.PARTICIPANT,
        status=DonationStatus.REPORTED,
    )
    db.session.add(donation)
    db.session.flush()
    milestones.record_milestones(drive)
    return donation


def log_donation(
    drive: Drive,
    organiser: User,
    units: int,
    donation_type: DonationType,
    donated_on: date,
    participant: Participant | None = None,
) -> Donation:
    """An organiser logs units for the group or for one participant; they are confirmed."""
    _check_open(drive)
    check_donation_date(donated_on, drive.starts_on)
    if participant is not None and participant.drive_id != drive.id:
        raise RuleBroken("That participant is not in this drive.", "participant_id")
    donation = Donation(
        drive=drive,
        participant=participant,
        units=units,
        donation_type=donation_type,
        donated_on=donated_on,
        logged_by=LoggedBy.ORGANISER,
        logged_by_user_id=organiser.id,
        status=DonationStatus.CONFIRMED,
    )
    db.session.add(donation)
    db.session.flush()
    milestones.record_milestones(drive)
    activity.record(drive, f"logged {_units(units)} for {participant.name if participant else 'the group'}", organiser,
                    about=participant)
    return donation


def set_donation_status(donation: Donation, status: DonationStatus) -> None:
    """Confirm or reject a donation; a rejected one stops counting."""
    donation.status = status
    db.session.flush()
    who = donation.participant.name if donation.participant else "the group"
    activity.record(donation.drive, f"{status.value} {_units(donation.units)} from {who}", about=donation.participant)
    milestones.record_milestones(donation.drive)


def _units(count: int) -> str:
    return f"{count} unit{'s' if count != 1 else ''}"


def donation_of_drive(drive: Drive, donation_id: int) -> Donation | None:
    return db.session.scalar(
        db.select(Donation).where(Donation.id == donation_id, Donation.drive_id == drive.id)
    )
