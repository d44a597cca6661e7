"""Sign-up forms already sent, so a double-clicked submit signs a friend up only once."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .core import Moment, Participant, utcnow


class SignUpSubmission(db.Model):
    """One sign-up form that was sent and the participant it created.

    The form carries a random one-time key; its hash is the primary key here, so a second
    POST of the same form (a double click, a retried request) cannot add a second participant
    even when both arrive at once.
    """

    #: SHA-256 of the key rendered in the sign-up form.
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("participant.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[Moment] = mapped_column(default=utcnow)

    participant: Mapped[Participant] = relationship()
