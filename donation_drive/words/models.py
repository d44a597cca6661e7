"""Words of support: short messages friends and visitors leave on a drive, shown once approved."""

import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core import limits
from ..core.extensions import Model
from ..core.models import Moment, enum_column, utcnow
from ..drives.models import Drive
from ..participation.models import NameShownAs, Participant

#: Longest message: a few warm sentences, not a letter.
SUPPORT_MESSAGE_MAX = 500


class SupportStatus(enum.Enum):
    #: Waiting for an organiser: nobody else sees it yet.
    PENDING = "pending"
    SHOWN = "shown"
    #: Declined, or hidden again after being shown.
    HIDDEN = "hidden"


class SupportMessage(Model):
    """One message of support, from a participant (through their private page) or a visitor."""

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    #: Set when a participant left it from their private page; erasing them erases it too.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(limits.NAME_MAX))
    #: Names follow the same choice as a participant's: shown as they chose, or "A friend".
    show_name: Mapped[bool] = mapped_column(default=False)
    name_shown_as: Mapped[NameShownAs] = mapped_column(
        enum_column(NameShownAs, "name_shown_as"), default=NameShownAs.FIRST_NAME
    )
    body: Mapped[str] = mapped_column(String(SUPPORT_MESSAGE_MAX))
    status: Mapped[SupportStatus] = mapped_column(
        enum_column(SupportStatus, "support_status"), default=SupportStatus.PENDING
    )
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    #: When an organiser last showed or hid it, and who (kept empty if their account goes).
    decided_at: Mapped[Moment | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    drive: Mapped[Drive] = relationship()
    participant: Mapped[Participant | None] = relationship()
    decided_by: Mapped[User | None] = relationship()
