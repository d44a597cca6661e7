"""What a participant's own pages show beyond their forms, built in one place for the templates.

The private page follows where the friend is: before they donate, their plan and how to book it
with their blood service; once a donation of theirs stands, a thank-you and when they may give again.
"""

import enum
from dataclasses import dataclass
from datetime import date

from ..core.extensions import db
from ..core.rules import today
from ..counting.progress import Progress
from ..counting.rule import counts, stands
from ..counting.tallies import progress_of
from ..donations.models import Donation, DonationStatus
from ..drives.people import Stage, stage_of
from ..outreach import eligibility
from ..outreach.eligibility import NextDonation
from . import visits
from .models import Participant, ParticipantStage
from .visits import VisitView

#: Where each region's blood service takes appointments, by eligibility.REGIONS key. The service
#: books and screens donors; the friend's page only points there.
BOOKING_LINKS: dict[str, str] = {
    # NHS Blood and Transplant: appointments are booked at blood.co.uk (or in the GiveBloodNHS
    # app, or on 0300 123 23 23).
    "england": "https://www.blood.co.uk/",
    # American Red Cross: "Find a blood drive" by ZIP code, then schedule a time.
    "us": "https://www.redcrossblood.org/give.html/find-drive",
}


@dataclass(frozen=True)
class BloodService:
    """Who books the friend's appointment, by the drive's region."""

    name: str
    booking_url: str


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
    blood_service: BloodService
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
    donations = list(participant.donations)
    standing = [donation for donation in donations if stands(donation.status)]
    last = max(standing, key=lambda donation: (donation.donated_on, donation.id), default=None)
    lines = [DonationLine(donation, _outcome(donation, standing, drive.region, progress.counts_reported))
             for donation in donations]
    stage_row = db.session.get(ParticipantStage, participant.id)
    stage = stage_of(sum(donation.units for donation in standing), stage_row)
    return PrivatePage(
        progress=progress,
        blood_service=blood_service_of(drive.region),
        donations=lines,
        last_donation=next((line for line in lines if line.donation is last), None),
        next_donations=(eligibility.next_donation_dates(drive.region, last.donation_type, last.donated_on)
                        if last else []),
        appointment=(Appointment(stage_row.booked_on, stage_row.booked_place)
                     if stage is Stage.BOOKED and stage_row and stage_row.booked_on else None),
        deferred_on=stage_row.deferred_on if stage is Stage.DEFERRED and stage_row else None,
        plan_passed=last is None and participant.planned_on is not None and participant.planned_on < today(),
        upcoming_visits=visits.visits_of(drive, upcoming_only=True),
        joined_visit_ids=visits.joined_visit_ids(participant),
    )


def blood_service_of(region_key: str) -> BloodService:
    """The drive's blood service and where to book with it; unknown regions fall back as region_of does."""
    region = eligibility.region_of(region_key)
    link = BOOKING_LINKS.get(region_key) or BOOKING_LINKS[eligibility.DEFAULT_REGION]
    return BloodService(region.service, link)


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
