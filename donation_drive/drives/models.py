"""Drives, who organises them, and what organisers add to a drive over its life: updates, settings,
the activity log, co-organiser invitations, milestones, daily counts and yearly memorials.

Each table hangs off a drive with ON DELETE CASCADE, so deleting a drive removes everything with it.
"""

import enum
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core import limits
from ..core.extensions import Model
from ..core.i18n import LazyText, _l
from ..core.models import Moment, enum_column, utcnow

if TYPE_CHECKING:  # names in annotations only; SQLAlchemy resolves them by name
    from ..donations.models import Donation
    from ..participation.models import Participant



class Dedication(enum.Enum):
    IN_MEMORY = "in_memory"
    IN_HONOUR = "in_honour"
    CAUSE = "cause"

    @property
    def phrase(self) -> LazyText:
        """What comes before the name: "In memory of" Jack (translated; a sentence that says it with
        a small letter has the whole sentence as one message instead)."""
        return {"in_memory": _l("In memory of"), "in_honour": _l("In honour of"), "cause": _l("For")}[self.value]

class UnitNoun(enum.Enum):
    """What a drive counts in, in its own words: "7 bags for Jack" reads better than "7 units"."""

    UNITS = "units"
    BAGS = "bags"
    DONATIONS = "donations"

class Visibility(enum.Enum):
    PUBLIC = "public"
    UNLISTED = "unlisted"

class DriveStatus(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"

class OrganiserRole(enum.Enum):
    OWNER = "owner"
    CO_ORGANISER = "co_organiser"

class Drive(Model):
    """One campaign, counted in units against a target."""

    __table_args__ = (
        CheckConstraint("target_units >= 1", name="target_positive"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The public address: /d/<slug>.
    slug: Mapped[str] = mapped_column(String(limits.SLUG_MAX), unique=True)
    title: Mapped[str] = mapped_column(String(limits.TITLE_MAX))
    dedication: Mapped[Dedication] = mapped_column(enum_column(Dedication, "dedication"))
    #: The person remembered or honoured, or the cause.
    honoree: Mapped[str] = mapped_column(String(limits.NAME_MAX))
    story: Mapped[str] = mapped_column(Text, default="")
    target_units: Mapped[int]
    #: The word the drive's pages count in ("bags", "donations" or "units"); the organiser's choice.
    unit_noun: Mapped[UnitNoun] = mapped_column(
        enum_column(UnitNoun, "unit_noun"), default=UnitNoun.UNITS, server_default="units"
    )
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(limits.PLACE_MAX), default="")
    visibility: Mapped[Visibility] = mapped_column(
        enum_column(Visibility, "visibility"), default=Visibility.PUBLIC
    )
    status: Mapped[DriveStatus] = mapped_column(
        enum_column(DriveStatus, "drive_status"), default=DriveStatus.OPEN
    )
    #: The secret in the invite link /join/<invite_code>; organisers must see it again, so it is stored as is.
    invite_code: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    closed_at: Mapped[Moment | None]
    #: What the family says when the drive closes; the memorial page shows it under the board.
    closing_message: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Whose donation intervals apply (a key of eligibility.REGIONS), for "donate again from".
    region: Mapped[str] = mapped_column(String(20), default="england", server_default="england")
    #: The IANA time zone the drive's days follow: when it starts and ends, days left, reminders,
    #: the activity log. A new drive takes its region's; the organiser may choose another.
    timezone: Mapped[str] = mapped_column(String(64), server_default="UTC")
    #: The language of the drive's mail to people whose own is unknown (core/languages.py's codes);
    #: a new drive takes its organiser's, who may choose another.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    #: The drive whose challenge this one passes on ("inspired by 7 for Jack").
    inspired_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("drive.id", ondelete="SET NULL"), index=True
    )
    #: Bumped by every change to what the public pages show (public/caching.py); part of their ETag.
    version: Mapped[int] = mapped_column(default=1, server_default="1")
    #: When `version` last changed: the public pages' Last-Modified.
    changed_at: Mapped[Moment] = mapped_column(default=utcnow)

    organisers: Mapped[list["DriveOrganiser"]] = relationship(
        back_populates="drive", cascade="all, delete-orphan"
    )
    participants: Mapped[list["Participant"]] = relationship(
        back_populates="drive", cascade="all, delete-orphan", order_by="Participant.id"
    )
    donations: Mapped[list["Donation"]] = relationship(
        back_populates="drive", cascade="all, delete-orphan", order_by="Donation.id"
    )

    @property
    def is_open(self) -> bool:
        return self.status is DriveStatus.OPEN

class RetiredInviteCode(Model):
    """An invite code an organiser rotated away: it joins nobody, but we can say what happened."""

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    retired_at: Mapped[Moment] = mapped_column(default=utcnow)

    drive: Mapped[Drive] = relationship()

class DriveOrganiser(Model):
    """A user who manages a drive: its one owner or a co-organiser."""

    __table_args__ = (UniqueConstraint("drive_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    role: Mapped[OrganiserRole] = mapped_column(enum_column(OrganiserRole, "organiser_role"))

    drive: Mapped[Drive] = relationship(back_populates="organisers")
    user: Mapped[User] = relationship(back_populates="organised")

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
