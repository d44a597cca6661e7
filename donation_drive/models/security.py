"""Secrets an organiser's account is recovered with."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .core import Moment, User, utcnow


class PasswordReset(db.Model):
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
