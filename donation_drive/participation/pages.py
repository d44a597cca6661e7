"""What a participant's own pages show beyond their forms, built in one place for the templates."""

from dataclasses import dataclass

from ..donations.models import Donation
from ..outreach import eligibility
from ..outreach.eligibility import NextDonation
from . import visits
from .models import Participant
from .visits import VisitView


@dataclass(frozen=True)
class PrivatePage:
    """The participant's upcoming group visits (and which they joined), their donations, and when they
    may give again."""

    upcoming_visits: list[VisitView]
    joined_visit_ids: set[int]
    next_donations: list[NextDonation]
    #: Oldest first.
    donations: list[Donation]


def private_page(participant: Participant) -> PrivatePage:
    return PrivatePage(
        upcoming_visits=visits.visits_of(participant.drive, upcoming_only=True),
        joined_visit_ids=visits.joined_visit_ids(participant),
        next_donations=eligibility.donate_again(participant),
        donations=list(participant.donations),
    )
