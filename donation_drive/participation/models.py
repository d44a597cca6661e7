"""The friends who sign up (participants), their stages, group visits, and their further private links."""

import enum
from datetime import date, time
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import limits
from ..core.extensions import Model
from ..core.i18n import LazyText, _l
from ..core.models import Moment, enum_column, utcnow
from ..donations.models import DonationType
from ..drives.models import Drive

if TYPE_CHECKING:  # names in annotations only; SQLAlchemy resolves them by name
    from ..donations.models import Donation



class NameShownAs(enum.Enum):
    """How a participant who agreed to be shown appears on public pages."""

    FULL_NAME = "full_name"
    FIRST_NAME = "first_name"
    INITIALS = "initials"

    @property
    def label(self) -> LazyText:
        return {"full_name": _l("Full name"), "first_name": _l("First name only"),
                "initials": _l("Initials only")}[self.value]

class Participant(Model):
    """A friend signed up to a drive, reached again only through their private link."""

    __table_args__ = (
        UniqueConstraint("drive_id", "email"),
        CheckConstraint("units_pledged >= 0", name="units_pledged_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(limits.NAME_MAX))
    #: Optional, for reminders; normalised like organisers' emails. Never shown publicly.
    email: Mapped[str | None] = mapped_column(String(limits.EMAIL_MAX))
    #: The participant agreed to have their name shown on public pages; otherwise they are anonymous.
    show_name: Mapped[bool] = mapped_column(default=False)
    #: How much of the name is shown when `show_name` is on (privacy.public_name does the rest).
    name_shown_as: Mapped[NameShownAs] = mapped_column(
        enum_column(NameShownAs, "name_shown_as"), default=NameShownAs.FIRST_NAME, server_default="first_name"
    )
    units_pledged: Mapped[int] = mapped_column(default=1)
    donation_type: Mapped[DonationType] = mapped_column(
        enum_column(DonationType, "donation_type"), default=DonationType.WHOLE_BLOOD
    )
    planned_on: Mapped[date | None]
    #: SHA-256 of the private-link secret; the secret itself is only ever in the participant's hands.
    private_link_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Set when the participant withdrew their pledge; their donations still count.
    withdrawn_at: Mapped[Moment | None]
    #: The language of the page they signed up on: their mail is written in it. None for someone an
    #: organiser added, whose mail takes the drive's language.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    drive: Mapped[Drive] = relationship(back_populates="participants")
    donations: Mapped[list["Donation"]] = relationship(
        back_populates="participant", order_by="Donation.id"
    )

class PrivateLink(Model):
    """A further private link, opened by the participant from an emailed sign-in link.

    Asking for a sign-in link must never disable the link a friend already has, so signing in
    adds a link rather than replacing the first (`Participant.private_link_hash`). Each works
    until the participant replaces their links.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the link's secret; the secret itself is only ever in the participant's hands.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    participant: Mapped[Participant] = relationship()

class ParticipantStage(Model):
    """Where a participant stands beyond their pledge: an appointment, or a deferral."""

    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), primary_key=True
    )
    booked_on: Mapped[date | None]
    booked_place: Mapped[str] = mapped_column(String(limits.PLACE_MAX), default="", server_default="")
    #: The day they went but were deferred: an attempt, thanked, never counted as units.
    deferred_on: Mapped[date | None]

    participant: Mapped[Participant] = relationship()

class GroupVisit(Model):
    """Going together: an organiser proposes a date, time and donation centre for a group."""

    __table_args__ = (CheckConstraint("places >= 1", name="places_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    visit_on: Mapped[date]
    #: Local time at the donation centre, as the organiser wrote it.
    starts_at: Mapped[time]
    centre: Mapped[str] = mapped_column(String(limits.PLACE_MAX))
    places: Mapped[int]
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    drive: Mapped[Drive] = relationship()

class VisitPlace(Model):
    """One participant's place in a group visit."""

    __table_args__ = (UniqueConstraint("visit_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("group_visit.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    visit: Mapped[GroupVisit] = relationship()
    participant: Mapped[Participant] = relationship()
