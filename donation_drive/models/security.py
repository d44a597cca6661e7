"""Secrets an organiser's account is recovered with, and a participant's further private links."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.extensions import Model
from .core import Moment, Participant, User, utcnow


class PasswordReset(Model):
    """A password-reset link sent by email: single use, expiring, and stored only as a hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the secret in the emailed link; the secret itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    expires_at: Mapped[Moment]
    #: Set when the link was used (or made void by another reset): it never works twice.
    used_at: Mapped[Moment | None]

    user: Mapped[User] = relationship()


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
