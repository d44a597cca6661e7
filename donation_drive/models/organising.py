"""What organisers add to a drive over its life: updates, co-organisers, settings, stages,
milestones, daily counts and the memorial that links yearly rounds.

Each table hangs off a core table with ON DELETE CASCADE, so deleting a drive removes
everything here with it.
"""

from datetime import date, time

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import limits
from ..core.extensions import Model
from .core import Drive, Moment, Participant, User, utcnow

#: Longest update an organiser may post; a few sentences, not an essay.
UPDATE_MAX = 2000
#: Longest text alternative for the cover photo.
PHOTO_ALT_MAX = 300
#: Longest summary line in the activity log.
ACTIVITY_MAX = 300


class DriveSettings(Model):
    """Per-drive choices that have no place in the core drive row; absent means defaults."""

    drive_id: Mapped[int] = mapped_column(
        ForeignKey("drive.id", ondelete="CASCADE"), primary_key=True
    )
    #: True: a participant's reported donation counts at once. False: only once confirmed.
    counts_reported: Mapped[bool] = mapped_column(default=True, server_default=true())
    #: File name of the cover photo under instance/photos/ (its content hash), or None.
    cover_photo: Mapped[str | None] = mapped_column(String(80))
    cover_photo_alt: Mapped[str] = mapped_column(String(PHOTO_ALT_MAX), default="", server_default="")

    drive: Mapped[Drive] = relationship()


class Update(Model):
    """A short note from the organisers, shown on the progress page newest first."""

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    edited_at: Mapped[Moment | None]

    author: Mapped[User | None] = relationship()


class ActivityEntry(Model):
    """One organiser action that changed data: who, what, when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    #: Empty when the account was later deleted; the entry keeps its name below.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(limits.NAME_MAX))
    summary: Mapped[str] = mapped_column(String(ACTIVITY_MAX))
    #: The participant the summary names, so erasing their data can reword it.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[Moment] = mapped_column(default=utcnow)


class CoOrganiserInvitation(Model):
    """The owner's invitation to one email address to help organise a drive."""

    __table_args__ = (UniqueConstraint("drive_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(limits.EMAIL_MAX))
    #: SHA-256 of the secret in the acceptance link; the link itself is only sent or shown once.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    drive: Mapped[Drive] = relationship()


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


class Milestone(Model):
    """The first day a drive's count reached 25, 50, 75, 100 % or passed its target."""

    __table_args__ = (UniqueConstraint("drive_id", "percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    #: 25, 50, 75, 100, or 101 for "exceeded".
    percent: Mapped[int]
    reached_on: Mapped[date]


class DailyCount(Model):
    """How often something happened to a drive on one day, with nothing about who."""

    drive_id: Mapped[int] = mapped_column(
        ForeignKey("drive.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    #: progress_view, invite_open, sign_up or donation.
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


class Memorial(Model):
    """The person a drive repeats for, every year on the same date; each year is one round."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The public address /memorial/<slug>: the first round's slug.
    slug: Mapped[str] = mapped_column(String(limits.SLUG_MAX), unique=True)
    #: The first round's start and length: every later round starts on this date's anniversary.
    first_starts_on: Mapped[date]
    round_days: Mapped[int]
    repeats_yearly: Mapped[bool] = mapped_column(default=True, server_default=true())
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    rounds: Mapped[list["MemorialRound"]] = relationship(
        back_populates="memorial", order_by="MemorialRound.number"
    )

    @property
    def honoree(self) -> str:
        """The name as the latest round gives it: never a copy that an edit could leave behind."""
        return self.rounds[-1].drive.honoree if self.rounds else ""


class MemorialRound(Model):
    """One year's drive of a memorial."""

    __table_args__ = (
        UniqueConstraint("memorial_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    drive_id: Mapped[int] = mapped_column(
        ForeignKey("drive.id", ondelete="CASCADE"), primary_key=True
    )
    memorial_id: Mapped[int] = mapped_column(
        ForeignKey("memorial.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]

    drive: Mapped[Drive] = relationship()
    memorial: Mapped[Memorial] = relationship(back_populates="rounds")


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
