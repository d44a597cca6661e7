"""Units donated: reported by a participant or logged by an organiser, then confirmed or rejected."""

import enum
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.extensions import Model
from ..core.i18n import LazyText, lazy_gettext as _l
from ..core.models import Moment, enum_column, utcnow
from ..drives.models import Drive

if TYPE_CHECKING:  # names in annotations only; SQLAlchemy resolves them by name
    from ..participation.models import Participant



class DonationType(enum.Enum):
    WHOLE_BLOOD = "whole_blood"
    PLATELETS = "platelets"
    PLASMA = "plasma"
    DOUBLE_RED_CELLS = "double_red_cells"

    @property
    def label(self) -> LazyText:
        """The type's name in the reader's language (a lazy string: it is said when shown)."""
        return DONATION_TYPE_LABELS[self.value]


DONATION_TYPE_LABELS = {
    "whole_blood": _l("Whole blood"),
    "platelets": _l("Platelets"),
    "plasma": _l("Plasma"),
    "double_red_cells": _l("Double red cells (Power Red)"),
}

class DonationStatus(enum.Enum):
    REPORTED = "reported"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"

class LoggedBy(enum.Enum):
    PARTICIPANT = "participant"
    ORGANISER = "organiser"

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
    donation_type: Mapped[DonationType] = mapped_column(enum_column(DonationType, "donation_type"))
    donated_on: Mapped[date]
    logged_by: Mapped[LoggedBy] = mapped_column(enum_column(LoggedBy, "logged_by"))
    #: The organiser who logged it, when one did.
    logged_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    status: Mapped[DonationStatus] = mapped_column(
        enum_column(DonationStatus, "donation_status"), default=DonationStatus.REPORTED
    )
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    drive: Mapped[Drive] = relationship(back_populates="donations")
    participant: Mapped["Participant | None"] = relationship(back_populates="donations")
