"""Managing a drive's people: editing, removing and adding participants, deciding reported
donations in bulk, and each participant's stage (pledged, booked, donated, deferred)."""

import enum
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import LazyText, lazy_gettext as _l, lazy_ngettext
from ..core.rules import RuleBroken, drive_today
from ..core.tokens import new_private_link_token, token_hash
from ..counting import milestones
from ..counting.rule import counted, counts
from ..donations.models import Donation, DonationStatus
from ..participation.models import Participant, ParticipantStage
from ..participation.operations import Pledge, check_pledge
from ..privacy.operations import replace_private_link
from . import activity, lifecycle
from .models import Drive


class Stage(enum.Enum):
    PLEDGED = "pledged"
    BOOKED = "booked"
    DONATED = "donated"
    DEFERRED = "deferred"

    @property
    def label(self) -> LazyText:
        return STAGE_LABELS[self.value]


STAGE_LABELS = {
    "pledged": _l("Pledged"),
    "booked": _l("Booked"),
    "donated": _l("Donated"),
    "deferred": _l("Went, deferred"),
}


def stage_of(units_donated: int, stage: ParticipantStage | None) -> Stage:
    """Donating outranks everything; a deferral outranks an appointment that led to it."""
    if units_donated > 0:
        return Stage.DONATED
    if stage is not None and stage.deferred_on is not None:
        return Stage.DEFERRED
    if stage is not None and stage.booked_on is not None:
        return Stage.BOOKED
    return Stage.PLEDGED


@dataclass(frozen=True)
class PersonRow:
    """One line of the organiser's participant list: pledged vs donated at a glance."""

    participant: Participant
    units_donated: int
    stage: Stage
    booked_on: date | None
    booked_place: str
    deferred_on: date | None


def people_of(drive: Drive) -> list[PersonRow]:
    """Every participant with units donated and stage, in three queries."""
    participants = list(
        db.session.scalars(
            db.select(Participant).where(Participant.drive_id == drive.id).order_by(Participant.id)
        )
    )
    donated = dict(
        db.session.execute(
            db.select(Donation.participant_id, func.sum(Donation.units))
            .where(Donation.drive_id == drive.id, counted())
            .group_by(Donation.participant_id)
        ).all()
    )
    stages = {
        row.participant_id: row
        for row in db.session.scalars(
            db.select(ParticipantStage)
            .join(Participant)
            .where(Participant.drive_id == drive.id)
        )
    }
    rows = []
    for participant in participants:
        units = int(donated.get(participant.id) or 0)
        stage = stages.get(participant.id)
        rows.append(
            PersonRow(
                participant=participant,
                units_donated=units,
                stage=stage_of(units, stage),
                booked_on=stage.booked_on if stage else None,
                booked_place=stage.booked_place if stage else "",
                deferred_on=stage.deferred_on if stage else None,
            )
        )
    return rows


def participant_of_drive(drive: Drive, participant_id: int) -> Participant | None:
    return db.session.scalar(
        db.select(Participant).where(Participant.id == participant_id, Participant.drive_id == drive.id)
    )


def edit_participant(drive: Drive, actor: User, participant: Participant, name: str, pledge: Pledge) -> None:
    """Change a participant's name and pledge; how their name shows publicly stays their own choice."""
    check_pledge(drive, pledge)
    participant.name = name
    participant.units_pledged = pledge.units
    participant.donation_type = pledge.donation_type
    participant.planned_on = pledge.planned_on
    db.session.flush()
    activity.record(drive, _l("edited %(name)s's details", name=name), actor, about=participant)


def add_participant(drive: Drive, organiser: User, name: str, pledge: Pledge) -> tuple[Participant, str]:
    """Sign up a friend without email by hand; return them with their private link's secret."""
    if not drive.is_open:
        raise RuleBroken(_("This drive is closed. Reopen it to add participants."))
    check_pledge(drive, pledge)
    token = new_private_link_token()
    participant = Participant(
        drive_id=drive.id,
        name=name,
        email=None,
        private_link_hash=token_hash(token),
        units_pledged=pledge.units,
        donation_type=pledge.donation_type,
        planned_on=pledge.planned_on,
        show_name=pledge.show_name,
    )
    db.session.add(participant)
    db.session.flush()
    activity.record(drive, _l("added %(name)s by hand", name=name), organiser, about=participant)
    return participant, token


def give_new_private_link(drive: Drive, participant: Participant, organiser: User) -> str:
    """Replace a friend's private link, for the organiser to pass on (say, to one without email).

    Their old links stop working. The log names who and what, never the link: it holds no secrets.
    """
    token = replace_private_link(participant)
    activity.record(drive, _l("gave %(name)s a new private link", name=participant.name), organiser, about=participant)
    return token


def remove_participant(drive: Drive, actor: User, participant: Participant) -> int:
    """Remove a participant and their personal data; their donations stay, as the group's.

    Returns the units that stay counted, so the organiser can be told.
    """
    name = participant.name
    at_once = lifecycle.counts_reported(drive)
    kept = sum(d.units for d in participant.donations if counts(d.status, at_once))
    for donation in participant.donations:
        donation.participant = None
    db.session.delete(participant)
    db.session.flush()
    activity.record(drive, _l("removed %(name)s from the drive", name=name), actor)
    return kept


def decide_all_reported(drive: Drive, actor: User, status: DonationStatus) -> int:
    """Confirm or reject every donation still waiting; return how many were decided."""
    waiting = list(
        db.session.scalars(
            db.select(Donation).where(
                Donation.drive_id == drive.id, Donation.status == DonationStatus.REPORTED
            )
        )
    )
    if not waiting:
        raise RuleBroken(_("No reported donations are waiting for a decision."))
    for donation in waiting:
        donation.status = status
    db.session.flush()
    if status is DonationStatus.CONFIRMED:
        summary = lazy_ngettext("confirmed all %(num)s reported donation", "confirmed all %(num)s reported donations",
                                len(waiting))
    else:
        summary = lazy_ngettext("rejected all %(num)s reported donation", "rejected all %(num)s reported donations",
                                len(waiting))
    activity.record(drive, summary, actor)
    milestones.record_milestones(drive)
    return len(waiting)


def set_stage(
    drive: Drive,
    actor: User,
    participant: Participant,
    stage: str,
    booked_on: date | None = None,
    booked_place: str = "",
    deferred_on: date | None = None,
) -> None:
    """Record an appointment (date and place), a deferral (date), or go back to pledged."""
    row = db.session.get(ParticipantStage, participant.id)
    if row is None:
        row = ParticipantStage(participant=participant, booked_place="")
        db.session.add(row)
    # Loaded so the caching layer can tell which drive's public pages this change touches.
    row.participant = participant
    if stage == Stage.BOOKED.value:
        if booked_on is None:
            raise RuleBroken(_("Please give the appointment's date."), "booked_on")
        if not booked_place:
            raise RuleBroken(_("Please say where the appointment is."), "booked_place")
        row.booked_on, row.booked_place, row.deferred_on = booked_on, booked_place, None
        summary = _l("booked %(name)s for %(date)s at %(place)s",
                     name=participant.name, date=activity.log_date(booked_on), place=booked_place)
    elif stage == Stage.DEFERRED.value:
        if deferred_on is None:
            raise RuleBroken(_("Please give the day they went and were deferred."), "deferred_on")
        if deferred_on > drive_today(drive):
            raise RuleBroken(_("The date deferred can't be in the future."), "deferred_on")
        row.deferred_on = deferred_on
        summary = _l("noted that %(name)s went on %(date)s but was deferred",
                     name=participant.name, date=activity.log_date(deferred_on))
    elif stage == Stage.PLEDGED.value:
        row.booked_on, row.booked_place, row.deferred_on = None, "", None
        summary = _l("set %(name)s back to pledged", name=participant.name)
    else:
        raise RuleBroken(_("Please choose a stage."), "stage")
    db.session.flush()
    activity.record(drive, summary, actor, about=participant)
