"""Going together: organisers propose group visits; participants take a place in one."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import func

from ..accounts.models import User
from ..core import limits
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l, ngettext
from ..core.rules import RuleBroken, drive_today
from ..drives import activity
from ..drives.models import Drive
from ..privacy.names import public_name
from .calendars import PRODID
from .models import GroupVisit, Participant, VisitPlace

#: The most places one visit may offer: a donation centre seats a few people at a time.
VISIT_PLACES_MAX = 50
#: How long a visit is assumed to last, for the calendar.
VISIT_LENGTH = timedelta(hours=1, minutes=30)


@dataclass(frozen=True)
class VisitView:
    """A visit with its places counted, as a page shows it."""

    visit: GroupVisit
    taken: int

    @property
    def places_left(self) -> int:
        return max(self.visit.places - self.taken, 0)


def propose_visit(
    drive: Drive, organiser: User, visit_on: date, starts_at: time, centre: str, places: int
) -> GroupVisit:
    centre = (centre or "").strip()
    if visit_on < drive_today(drive):
        raise RuleBroken(_("The visit can't be in the past."), "visit_on")
    if not centre:
        raise RuleBroken(_("Please say which donation centre."), "centre")
    if len(centre) > limits.PLACE_MAX:
        raise RuleBroken(ngettext("Please keep this under %(num)s character.",
                                  "Please keep this under %(num)s characters.", limits.PLACE_MAX), "centre")
    if not 1 <= places <= VISIT_PLACES_MAX:
        raise RuleBroken(ngettext("Please offer from 1 to %(num)s place.", "Please offer from 1 to %(num)s places.",
                                  VISIT_PLACES_MAX), "places")
    visit = GroupVisit(drive_id=drive.id, visit_on=visit_on, starts_at=starts_at, centre=centre, places=places)
    db.session.add(visit)
    db.session.flush()
    activity.record(drive, _l("proposed a group visit on %(date)s at %(time)s, %(centre)s",
                              date=activity.log_date(visit_on), time=f"{starts_at:%H:%M}", centre=centre), organiser)
    return visit


def cancel_visit(drive: Drive, actor: User, visit: GroupVisit) -> None:
    db.session.delete(visit)
    db.session.flush()
    activity.record(drive, _l("cancelled the group visit of %(date)s at %(centre)s",
                              date=activity.log_date(visit.visit_on), centre=visit.centre), actor)


def visit_of_drive(drive_id: int, visit_id: int) -> GroupVisit | None:
    return db.session.scalar(
        db.select(GroupVisit).where(GroupVisit.id == visit_id, GroupVisit.drive_id == drive_id)
    )


def visits_of(drive: Drive, upcoming_only: bool = False) -> list[VisitView]:
    """The drive's visits, soonest first, with places taken: two queries."""
    query = db.select(GroupVisit).where(GroupVisit.drive_id == drive.id)
    if upcoming_only:
        query = query.where(GroupVisit.visit_on >= drive_today(drive))
    visits = list(db.session.scalars(query.order_by(GroupVisit.visit_on, GroupVisit.starts_at)))
    taken = dict(db.session.execute(
        db.select(VisitPlace.visit_id, func.count(VisitPlace.id))
        .where(VisitPlace.visit_id.in_([visit.id for visit in visits]))
        .group_by(VisitPlace.visit_id)
    ).all()) if visits else {}
    return [VisitView(visit, int(taken.get(visit.id, 0))) for visit in visits]


def joined_visit_ids(participant: Participant) -> set[int]:
    return set(db.session.scalars(
        db.select(VisitPlace.visit_id).where(VisitPlace.participant_id == participant.id)
    ))


def join_visit(participant: Participant, visit: GroupVisit) -> None:
    """Take a place; refused when the visit is past, full, or already joined."""
    if visit.visit_on < drive_today(participant.drive):
        raise RuleBroken(_("This visit has already happened."))
    # Lock the visit row (PostgreSQL; a writing request's BEGIN IMMEDIATE does the same on
    # SQLite) before looking at its places, so two friends can't both take the last place and
    # a double tap can't pass the "already joined" check twice.
    if db.session.scalar(db.select(GroupVisit.id).where(GroupVisit.id == visit.id).with_for_update()) is None:
        raise RuleBroken(_("This visit was cancelled."))
    if visit.id in joined_visit_ids(participant):
        raise RuleBroken(_("You already have a place in this visit."))
    taken = db.session.scalar(db.select(func.count(VisitPlace.id)).where(VisitPlace.visit_id == visit.id))
    if taken >= visit.places:
        raise RuleBroken(_("Sorry, this visit is full. Ask the organisers about another one."))
    db.session.add(VisitPlace(visit_id=visit.id, participant_id=participant.id))
    db.session.flush()


def leave_visit(participant: Participant, visit: GroupVisit) -> None:
    place = db.session.scalar(db.select(VisitPlace).where(
        VisitPlace.visit_id == visit.id, VisitPlace.participant_id == participant.id))
    if place is None:
        raise RuleBroken(_("You don't have a place in this visit."))
    db.session.delete(place)
    db.session.flush()


def who_is_going(visit: GroupVisit) -> tuple[list[str], int]:
    """Names of those going who agreed to be shown, each as they chose, and how many others are going."""
    rows = db.session.execute(
        db.select(Participant.name, Participant.show_name, Participant.name_shown_as)
        .join(VisitPlace, VisitPlace.participant_id == Participant.id)
        .where(VisitPlace.visit_id == visit.id)
        .order_by(VisitPlace.id)
    ).all()
    names = [public_name(*row) for row in rows]
    shown = [name for name in names if name is not None]
    return shown, len(rows) - len(shown)


def visit_calendar(visit: GroupVisit, page_url: str, host: str) -> bytes:
    """The visit as a calendar event, in the centre's local ("floating") time, its text in the active language."""
    start = datetime.combine(visit.visit_on, visit.starts_at)
    event = Event()
    event.add("uid", f"group-visit-{visit.id}@{host}")
    event.add("dtstamp", datetime.now(UTC))
    event.add("summary", _("Give blood together — %(title)s", title=visit.drive.title))
    event.add("dtstart", start)
    event.add("dtend", start + VISIT_LENGTH)
    event.add("location", visit.centre)
    event.add(
        "description",
        _("A group visit for %(title)s. Check with your blood service that you can donate.", title=visit.drive.title)
        + f"\n{page_url}",
    )
    event.add("url", page_url)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()
