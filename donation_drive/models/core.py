"""The words of PRODUCT.md as typed models."""

import enum
import secrets
from datetime import UTC, date, datetime
from typing import Annotated

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import limits
from ..core.extensions import Model

#: A moment stored with its zone, so SQLite and PostgreSQL agree.
Moment = Annotated[datetime, mapped_column(DateTime(timezone=True))]


def utcnow() -> datetime:
    return datetime.now(UTC)


def _enum(enum_class: type[enum.Enum], name: str) -> Enum:
    # Stored as the readable value, checked by a named constraint rather than a PostgreSQL type.
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [member.value for member in members],
    )


class Dedication(enum.Enum):
    IN_MEMORY = "in_memory"
    IN_HONOUR = "in_honour"
    CAUSE = "cause"

    @property
    def phrase(self) -> str:
        return {"in_memory": "In memory of", "in_honour": "In honour of", "cause": "For"}[self.value]


class Visibility(enum.Enum):
    PUBLIC = "public"
    UNLISTED = "unlisted"


class DriveStatus(enum.Enum):
    OPEN = "open"
    CLOSED = "closed"


class OrganiserRole(enum.Enum):
    OWNER = "owner"
    CO_ORGANISER = "co_organiser"


class DonationType(enum.Enum):
    WHOLE_BLOOD = "whole_blood"
    PLATELETS = "platelets"
    PLASMA = "plasma"
    DOUBLE_RED_CELLS = "double_red_cells"

    @property
    def label(self) -> str:
        return {
            "whole_blood": "Whole blood",
            "platelets": "Platelets",
            "plasma": "Plasma",
            "double_red_cells": "Double red cells (Power Red)",
        }[self.value]


class DonationStatus(enum.Enum):
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class NameShownAs(enum.Enum):
    """How a participant who agreed to be shown appears on public pages."""

    FULL_NAME = "full_name"
    FIRST_NAME = "first_name"
    INITIALS = "initials"

    @property
    def label(self) -> str:
        return {"full_name": "Full name", "first_name": "First name only", "initials": "Initials only"}[self.value]


class LoggedBy(enum.Enum):
    PARTICIPANT = "participant"
    ORGANISER = "organiser"


class User(UserMixin, Model):
    """An organiser's account."""

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored normalised (trimmed, lower case) so one person has one account.
    email: Mapped[str] = mapped_column(String(limits.EMAIL_MAX), unique=True)
    name: Mapped[str] = mapped_column(String(limits.NAME_MAX))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    #: Part of the id in the session cookie; logging out changes it, so older cookies stop working.
    session_nonce: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_hex(16))
    #: Set when the owner of the address opened the emailed link; no login before that.
    email_confirmed_at: Mapped[Moment | None]

    organised: Mapped[list["DriveOrganiser"]] = relationship(back_populates="user")

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the current session nonce."""
        return f"{self.id}.{self.session_nonce}"


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
    dedication: Mapped[Dedication] = mapped_column(_enum(Dedication, "dedication"))
    #: The person remembered or honoured, or the cause.
    honoree: Mapped[str] = mapped_column(String(limits.NAME_MAX))
    story: Mapped[str] = mapped_column(Text, default="")
    target_units: Mapped[int]
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(limits.PLACE_MAX), default="")
    visibility: Mapped[Visibility] = mapped_column(
        _enum(Visibility, "visibility"), default=Visibility.PUBLIC
    )
    status: Mapped[DriveStatus] = mapped_column(
        _enum(DriveStatus, "drive_status"), default=DriveStatus.OPEN
    )
    #: The secret in the invite link /join/<invite_code>; organisers must see it again, so it is stored as is.
    invite_code: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    closed_at: Mapped[Moment | None]
    #: Whose donation intervals apply (a key of eligibility.REGIONS), for "donate again from".
    region: Mapped[str] = mapped_column(String(20), default="england", server_default="england")
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
    role: Mapped[OrganiserRole] = mapped_column(_enum(OrganiserRole, "organiser_role"))

    drive: Mapped[Drive] = relationship(back_populates="organisers")
    user: Mapped[User] = relationship(back_populates="organised")


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
        _enum(NameShownAs, "name_shown_as"), default=NameShownAs.FIRST_NAME, server_default="first_name"
    )
    units_pledged: Mapped[int] = mapped_column(default=1)
    donation_type: Mapped[DonationType] = mapped_column(
        _enum(DonationType, "donation_type"), default=DonationType.WHOLE_BLOOD
    )
    planned_on: Mapped[date | None]
    #: SHA-256 of the private-link secret; the secret itself is only ever in the participant's hands.
    private_link_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: Set when the participant withdrew their pledge; their donations still count.
    withdrawn_at: Mapped[Moment | None]
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    drive: Mapped[Drive] = relationship(back_populates="participants")
    donations: Mapped[list["Donation"]] = relationship(
        back_populates="participant", order_by="Donation.id"
    )


class Donation(Model):
    """Units given, logged by a participant or an organiser."""

    __table_args__ = (CheckConstraint("units >= 1", name="units_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    #: Empty when an organiser logs units for the group.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL"), index=True
    )
    units: Mapped[int]
    donation_type: Mapped[DonationType] = mapped_column(_enum(DonationType, "donation_type"))
    donated_on: Mapped[date]
    logged_by: Mapped[LoggedBy] = mapped_column(_enum(LoggedBy, "logged_by"))
    #: The organiser who logged it, when one did.
    logged_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    status: Mapped[DonationStatus] = mapped_column(
        _enum(DonationStatus, "donation_status"), default=DonationStatus.REPORTED
    )
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    drive: Mapped[Drive] = relationship(back_populates="donations")
    participant: Mapped[Participant | None] = relationship(back_populates="donations")
