"""Reaching people by email: invitations, every message sent, and who asked for no more."""

import enum

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import limits
from ..core.extensions import Model
from ..core.models import Moment, enum_column, utcnow
from ..drives.models import Drive
from ..participation.models import Participant


class InvitationStatus(enum.Enum):
    """Where one emailed invitation stands, as the organiser sees it."""

    SENT = "sent"
    OPENED = "opened"
    JOINED = "joined"
    FAILED = "failed"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        """What the organiser's list says: "Sent", "Opened", …, in the reader's language."""
        return {
            "sent": _("Sent"),
            "opened": _("Opened"),
            "joined": _("Joined"),
            "failed": _("Failed"),
            "revoked": _("Revoked"),
        }[self.value]

class Invitation(Model):
    """One invite sent to one person by email, with its own link so it can be tracked."""

    __table_args__ = (UniqueConstraint("drive_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    #: Normalised (trimmed, lower case); shown only to the drive's organisers.
    email: Mapped[str] = mapped_column(String(limits.EMAIL_MAX))
    #: The name the organiser wrote before the address, if any; prefills the sign-up form.
    name: Mapped[str] = mapped_column(String(limits.NAME_MAX), default="")
    #: The organiser's personal message, sent again on resend.
    message: Mapped[str] = mapped_column(Text, default="")
    #: SHA-256 of the secret in the personal link; a resend makes a new secret.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus, "invitation_status"), default=InvitationStatus.SENT
    )
    #: Why the last send failed, in the mail server's words (never shown to participants).
    failure: Mapped[str] = mapped_column(String(300), default="")
    times_sent: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    sent_at: Mapped[Moment | None]
    opened_at: Mapped[Moment | None]
    joined_at: Mapped[Moment | None]
    #: Who signed up through this link: whoever did, which need not be the invitee.
    participant_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", ondelete="SET NULL")
    )

    drive: Mapped[Drive] = relationship()
    participant: Mapped[Participant | None] = relationship()

class OutboxStatus(enum.Enum):
    """Where one message stands: waiting its turn, being handed to the mail server, or done."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

class OutboxMessage(Model):
    """One email the app decided to send, written in the transaction of the change it is about.

    Nothing is sent if that transaction rolls back, and nothing is lost if the process dies after
    it commits: outreach/outbox.py delivers what is queued, with retries. The key (e.g.
    "reminder:12:2026-12-01") makes a second attempt, even a concurrent one, fail on the unique
    constraint instead of mailing the same person twice; the daily caps count these rows.
    """

    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    drive_id: Mapped[int | None] = mapped_column(
        ForeignKey("drive.id", ondelete="CASCADE"), index=True
    )
    #: What kind of message: "invitation", "confirmation", "reminder", …; the daily cap counts these.
    kind: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[Moment] = mapped_column(default=utcnow, index=True)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, "outbox_status"), default=OutboxStatus.QUEUED
    )
    #: The whole message as the mail server will get it; dropped once delivered or given up,
    #: so the private links in it are not kept.
    message: Mapped[bytes | None] = mapped_column(LargeBinary)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[Moment] = mapped_column(default=utcnow)
    #: While a worker hands it over: past this moment, another worker may take it up again.
    claimed_until: Mapped[Moment | None]
    sent_at: Mapped[Moment | None]
    #: Why the last attempt failed, in the mail server's words (never shown to participants).
    last_error: Mapped[str] = mapped_column(String(300), default="")
    #: The invitation this message carries: marked failed if the message is given up.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="SET NULL"))

class Unsubscribe(Model):
    """An address that asked for no more mail about one drive.

    Only a SHA-256 of the address is kept: enough to check, nothing to leak.
    """

    __table_args__ = (UniqueConstraint("drive_id", "email_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    drive_id: Mapped[int] = mapped_column(ForeignKey("drive.id", ondelete="CASCADE"), index=True)
    email_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
