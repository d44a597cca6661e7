"""Checking reported donations: which look like one donation reported twice, and confirming
every other report in one go.

A participant who reports a second donation sooner than one donor could give twice is asked
"Is this another donation?" (donations.operations); they may still say yes, and the same
donation reported from two devices is the likelier story. The same test, run over the list the
organiser checks, marks such a report as a suspected repeat: "confirm all" leaves it for a look.
"""

from collections import defaultdict
from dataclasses import dataclass

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l, lazy_ngettext
from ..core.rules import RuleBroken
from ..counting import milestones
from ..counting.rule import stands
from ..donations.models import Donation, DonationStatus
from ..outreach import eligibility
from . import activity
from .models import Drive

NOTHING_WAITING = _l("No reported donations are waiting for a decision.")


def suspected_repeats(donations: list[Donation], region: str) -> dict[int, Donation]:
    """Each reported donation that looks like a repeat, by its id, with the earlier donation of
    the same participant it is too close to (the donor could not have given twice in between)."""
    of_participant: dict[int, list[Donation]] = defaultdict(list)
    for donation in donations:
        if donation.participant_id is not None:
            of_participant[donation.participant_id].append(donation)
    repeats: dict[int, Donation] = {}
    for later in donations:
        if later.status is not DonationStatus.REPORTED or later.participant_id is None:
            continue
        wait = eligibility.shortest_wait(region, later.donation_type)
        earlier = next((
            other for other in of_participant[later.participant_id]
            if other.id < later.id and stands(other.status)
            and eligibility.within_wait(other.donated_on, later.donated_on, wait)
        ), None)
        if earlier is not None:
            repeats[later.id] = earlier
    return repeats


@dataclass(frozen=True)
class Confirmed:
    """What "confirm all" did: how many reports it confirmed, and how many it left for a look."""

    confirmed: int
    left_for_a_look: int


def confirm_all_but_repeats(drive: Drive, actor: User) -> Confirmed:
    """Confirm every reported donation that is not a suspected repeat."""
    donations = list(db.session.scalars(
        db.select(Donation).where(Donation.drive_id == drive.id).order_by(Donation.id)
    ))
    waiting = [donation for donation in donations if donation.status is DonationStatus.REPORTED]
    if not waiting:
        raise RuleBroken(NOTHING_WAITING)
    repeats = suspected_repeats(donations, drive.region)
    sure = [donation for donation in waiting if donation.id not in repeats]
    for donation in sure:
        donation.status = DonationStatus.CONFIRMED
    db.session.flush()
    if sure:
        activity.record(drive, lazy_ngettext("confirmed %(num)s reported donation at once",
                                             "confirmed %(num)s reported donations at once", len(sure)), actor)
        milestones.record_milestones(drive)
    return Confirmed(len(sure), len(waiting) - len(sure))
