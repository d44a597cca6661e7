"""Logging units: reported by a participant, logged by an organiser, confirmed or rejected."""

from datetime import date

from flask_babel import format_date, gettext as _
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import lazy_ngettext, ngettext
from ..core.rules import RuleBroken, check_donation_date, drive_today
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
        raise RuleBroken(ngettext(
            "One %(type)s donation counts as at most %(num)s unit. "
            "If you gave more than once, report each donation on its own.",
            "One %(type)s donation counts as at most %(num)s units. "
            "If you gave more than once, report each donation on its own.",
            most, type=donation_type.label.lower()), "units")


def _check_another_donation(participant: Participant, donation_type: DonationType, donated_on: date) -> None:
    last = eligibility.last_donation(participant)
    wait = eligibility.shortest_wait(participant.drive.region, donation_type)
    if last is not None and eligibility.within_wait(last.donated_on, donated_on, wait):
        raise NeedsConfirming(ngettext(
            "Is this another donation? Your last one was on %(date)s (%(num)s unit of %(type)s), and blood "
            "services ask for a longer wait between two donations. If you already reported this one, it counts "
            "already.",
            "Is this another donation? Your last one was on %(date)s (%(num)s units of %(type)s), and blood "
            "services ask for a longer wait between two donations. If you already reported this one, it counts "
            "already.",
            last.units, date=format_date(last.donated_on, "long"), type=last.donation_type.label.lower()))


#: An organiser's entry passing what is left of the target by more than a tenth of the target
#: (at least 2 units) is asked about once before it counts: 1,000 against 7 is a slip, 8 is not.
SECOND_LOOK_SHARE = 10
SECOND_LOOK_MIN = 2


def _check_far_beyond_target(drive: Drive, units: int) -> None:
    left = max(drive.target_units - progress_of(drive).units_donated, 0)
    if units > left + max(SECOND_LOOK_MIN, drive.target_units // SECOND_LOOK_SHARE):
        raise NeedsConfirming(ngettext(
            "%(num)s unit is far more than the %(left)s left of this drive's target of %(target)s. "
            "Is that right? Everyone sees the count at once.",
            "%(num)s units is far more than the %(left)s left of this drive's target of %(target)s. "
            "Is that right? Everyone sees the count at once.",
            units, left=ngettext("%(num)s unit", "%(num)s units", left), target=drive.target_units))


def _check_open(drive: Drive) -> None:
    if not drive.is_open:
        raise RuleBroken(_("This drive is closed and no longer takes reports."))


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
        raise RuleBroken(_("That participant is not in this drive."), "participant_id")
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
    if participant is not None:
        summary = lazy_ngettext("logged %(num)s unit for %(name)s", "logged %(num)s units for %(name)s", units,
                                name=participant.name)
    else:
        summary = lazy_ngettext("logged %(num)s unit for the group", "logged %(num)s units for the group", units)
    activity.record(drive, summary, organiser, about=participant)
    return donation


def set_donation_status(donation: Donation, actor: User, status: DonationStatus) -> None:
    """Confirm or reject a donation; a rejected one stops counting."""
    donation.status = status
    db.session.flush()
    activity.record(donation.drive, _decided(status, donation), actor, about=donation.participant)
    milestones.record_milestones(donation.drive)


def _decided(status: DonationStatus, donation: Donation):
    """The log's words for an organiser's decision on `donation`: "confirmed 2 units from Ana"."""
    units, participant = donation.units, donation.participant
    if status is DonationStatus.CONFIRMED:
        if participant is not None:
            return lazy_ngettext("confirmed %(num)s unit from %(name)s", "confirmed %(num)s units from %(name)s",
                                 units, name=participant.name)
        return lazy_ngettext("confirmed %(num)s unit from the group", "confirmed %(num)s units from the group", units)
    # Only an organiser's confirmation or rejection is ever set here.
    if participant is not None:
        return lazy_ngettext("rejected %(num)s unit from %(name)s", "rejected %(num)s units from %(name)s",
                             units, name=participant.name)
    return lazy_ngettext("rejected %(num)s unit from the group", "rejected %(num)s units from the group", units)


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
