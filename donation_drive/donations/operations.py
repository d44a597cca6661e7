"""Logging units: reported by a participant, logged by an organiser, confirmed or rejected."""

from datetime import date

from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..core.extensions import db
from ..core.rules import RuleBroken, check_donation_date, drive_today
from ..core.wording import quantity
from ..counting import milestones
from ..counting.tallies import progress_of
from ..drives import activity
from ..drives.models import Drive
from ..outreach import eligibility
from ..participation.models import Participant
from .models import Donation, DonationStatus, DonationType, LoggedBy


class NeedsConfirming(RuleBroken):
    """A request that may well be right but looks like a slip: it is done once the person says so."""


def _check_units(units: int, donation_type: DonationType) -> None:
    """One person's donation can count for at most what one donation of its type gives."""
    most = eligibility.UNITS_PER_DONATION[donation_type]
    if units > most:
        raise RuleBroken(
            f"One {donation_type.label.lower()} donation counts as at most {quantity(most, 'unit', 'units')}. "
            "If you gave more than once, report each donation on its own.", "units")


def _check_another_donation(participant: Participant, donation_type: DonationType, donated_on: date) -> None:
    last = eligibility.last_donation(participant)
    wait = eligibility.shortest_wait(participant.drive.region, donation_type)
    if last is not None and eligibility.within_wait(last.donated_on, donated_on, wait):
        raise NeedsConfirming(
            f"Is this another donation? Your last one was on {last.donated_on:%d %B %Y} "
            f"({quantity(last.units, 'unit', 'units')} of {last.donation_type.label.lower()}), and blood services ask "
            "for a longer wait between two donations. If you already reported this one, it counts already.")


#: An organiser's entry passing what is left of the target by more than a tenth of the target
#: (at least 2 units) is asked about once before it counts: 1,000 against 7 is a slip, 8 is not.
SECOND_LOOK_SHARE = 10
SECOND_LOOK_MIN = 2


def _check_far_beyond_target(drive: Drive, units: int) -> None:
    left = max(drive.target_units - progress_of(drive).units_donated, 0)
    if units > left + max(SECOND_LOOK_MIN, drive.target_units // SECOND_LOOK_SHARE):
        raise NeedsConfirming(
            f"{quantity(units, 'unit', 'units')} is far more than the {quantity(left, 'unit', 'units')} left "
            f"of this drive's target of {drive.target_units}. Is that right? Everyone sees the count at once.")


def _check_open(drive: Drive) -> None:
    if not drive.is_open:
        raise RuleBroken("This drive is closed and no longer takes reports.")


def report_donation(
    participant: Participant, units: int, donation_type: DonationType, donated_on: date,
    confirmed: bool = False,
) -> Donation:
    """A participant says "I donated"; it counts at once and waits for an organiser's check.

    A second report too soon after the last counted one raises NeedsConfirming unless
    `confirmed`: the same donation reported twice is the likelier story.
    """
    drive = participant.drive
    _check_open(drive)
    check_donation_date(donated_on, drive.starts_on, drive_today(drive))
    _check_units(units, donation_type)
    if not confirmed:
        _check_another_donation(participant, donation_type, donated_on)
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
    confirmed: bool = False,
) -> Donation:
    """An organiser logs units for the group or for one participant; they are confirmed.

    Units far beyond what is left of the target raise NeedsConfirming unless `confirmed`.
    """
    _check_open(drive)
    check_donation_date(donated_on, drive.starts_on, drive_today(drive))
    if participant is not None and participant.drive_id != drive.id:
        raise RuleBroken("That participant is not in this drive.", "participant_id")
    if participant is not None:
        _check_units(units, donation_type)
    if not confirmed:
        _check_far_beyond_target(drive, units)
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
    who = participant.name if participant else "the group"
    activity.record(drive, f"logged {quantity(units, 'unit', 'units')} for {who}", organiser, about=participant)
    return donation


def set_donation_status(donation: Donation, actor: User, status: DonationStatus) -> None:
    """Confirm or reject a donation; a rejected one stops counting."""
    donation.status = status
    db.session.flush()
    who = donation.participant.name if donation.participant else "the group"
    activity.record(donation.drive, f"{status.value} {quantity(donation.units, 'unit', 'units')} from {who}", actor,
                    about=donation.participant)
    milestones.record_milestones(donation.drive)


def donations_of(drive: Drive) -> list[Donation]:
    """Every donation of the drive, oldest first, with who gave it."""
    return list(db.session.scalars(
        db.select(Donation).where(Donation.drive_id == drive.id).order_by(Donation.id)
        .options(selectinload(Donation.participant))
    ))


def donation_of_drive(drive: Drive, donation_id: int) -> Donation | None:
    return db.session.scalar(
        db.select(Donation).where(Donation.id == donation_id, Donation.drive_id == drive.id)
    )
