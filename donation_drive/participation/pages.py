"""What a participant's own pages show beyond their forms, built in one place for the templates.

The private page follows where the friend is: before they donate, their plan and how to book it
with their blood service; once a donation of theirs stands, a thank-you and when they may give again.
"""

import enum
from dataclasses import dataclass
from datetime import date

from ..core.extensions import db
from ..core.rules import drive_today
from ..counting.progress import Progress
from ..counting.rule import counts, stands
from ..counting.tallies import progress_of
from ..donations.models import Donation, DonationStatus
from ..drives.people import Stage, stage_of
from ..outreach import eligibility
from ..outreach.eligibility import NextDonation, Region
from . import visits
from .models import Participant, ParticipantStage
from .visits import VisitView


@dataclass(frozen=True)
class Appointment:
    """An appointment the organiser recorded for the friend (drives/people.py, "booked")."""

    on: date
    place: str


class Outcome(enum.Enum):
    """What became of one reported or logged donation, as its donor reads it."""

    COUNTS = "counts"  # reported; it counts while an organiser checks it
    AWAITS_CONFIRMATION = "awaits_confirmation"  # reported; this drive counts only confirmed units
    CONFIRMED = "confirmed"
    DUPLICATE = "duplicate"  # rejected as the same donation as one that stands
    NOT_COUNTED = "not_counted"  # rejected for any other reason


@dataclass(frozen=True)
class DonationLine:
    donation: Donation
    outcome: Outcome


@dataclass(frozen=True)
class PrivatePage:
    """The friend's plan or their thank-you, their donations, the group visits and the drive's progress."""

    progress: Progress
    #: The drive's blood service: who books the friend's appointment, and whose intervals apply.
    blood_service: Region
    #: Oldest first.
    donations: list[DonationLine]
    #: The latest donation that stands: once there is one, the page thanks them first.
    last_donation: DonationLine | None
    #: When they may give again after `last_donation`; empty when the service publishes no interval.
    next_donations: list[NextDonation]
    appointment: Appointment | None
    #: The day they went but the blood service could not take their donation.
    deferred_on: date | None
    #: Their planned date is behind them and no donation of theirs stands.
    plan_passed: bool
    upcoming_visits: list[VisitView]
    joined_visit_ids: set[int]


def private_page(participant: Participant) -> PrivatePage:
    drive = participant.drive
    progress = progress_of(drive)
    lines = _donation_lines(participant, progress.counts_reported)
    standing = [line for line in lines if stands(line.donation.status)]
    last = max(standing, key=lambda line: (line.donation.donated_on, line.donation.id), default=None)
    stage_row = db.session.get(ParticipantStage, participant.id)
    stage = stage_of(sum(line.donation.units for line in standing), stage_row)
    return PrivatePage(
        progress=progress,
        blood_service=eligibility.region_of(drive.region),
        donations=lines,
        last_donation=last,
        next_donations=(eligibility.next_donation_dates(drive.region, last.donation.donation_type,
                                                        last.donation.donated_on) if last else []),
        appointment=(Appointment(stage_row.booked_on, stage_row.booked_place)
                     if stage is Stage.BOOKED and stage_row and stage_row.booked_on else None),
        deferred_on=stage_row.deferred_on if stage is Stage.DEFERRED and stage_row else None,
        plan_passed=last is None and participant.planned_on is not None and participant.planned_on < drive_today(drive),
        upcoming_visits=visits.visits_of(drive, upcoming_only=True),
        joined_visit_ids=visits.joined_visit_ids(participant),
    )


def donation_lines(participant: Participant) -> list[DonationLine]:
    """The participant's donations, oldest first, each with what became of it, as their own pages list them."""
    return _donation_lines(participant, progress_of(participant.drive).counts_reported)


def _donation_lines(participant: Participant, counts_reported: bool) -> list[DonationLine]:
    donations = list(participant.donations)
    standing = [donation for donation in donations if stands(donation.status)]
    return [DonationLine(donation, _outcome(donation, standing, participant.drive.region, counts_reported))
            for donation in donations]


def _outcome(donation: Donation, standing: list[Donation], region_key: str, counts_reported: bool) -> Outcome:
    if donation.status is DonationStatus.CONFIRMED:
        return Outcome.CONFIRMED
    if stands(donation.status):
        return Outcome.COUNTS if counts(donation.status, counts_reported) else Outcome.AWAITS_CONFIRMATION
    if any(_same_donation(donation, other, region_key) for other in standing):
        return Outcome.DUPLICATE
    return Outcome.NOT_COUNTED


def _same_donation(rejected: Donation, standing: Donation, region_key: str) -> bool:
    """Whether a rejected report is taken for the same donation as one that stands.

    Organisers reject without giving a reason, so this is read from the dates: nobody gives blood
    twice in a day, nor twice of one type within the blood service's shortest wait — the wait
    behind "is this another donation?", asked before a second report counts (donations/operations.py).
    """
    if rejected.donated_on == standing.donated_on:
        return True
    wait = eligibility.shortest_wait(region_key, rejected.donation_type)
    return (rejected.donation_type is standing.donation_type
            and eligibility.within_wait(standing.donated_on, rejected.donated_on, wait))
