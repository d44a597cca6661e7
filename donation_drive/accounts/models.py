"""Organiser accounts, and the secrets an account is recovered or scripted with."""

import secrets
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core import limits
from ..core.extensions import Model
from ..core.models import Moment, utcnow

if TYPE_CHECKING:  # names in annotations only; SQLAlchemy resolves them by name
    from ..drives.models import DriveOrganiser


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

#: Longest label an organiser may give a token ("Spreadsheet script").
TOKEN_NAME_MAX = 80

class ApiToken(Model):
    """One personal API token; only its SHA-256 is stored, the secret is shown once."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: What the organiser called it, so they know which one to revoke.
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_MAX))
    #: SHA-256 hex of the secret (tokens.token_hash).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters of the secret, shown to tell tokens apart; too short to guess the rest.
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[Moment] = mapped_column(default=utcnow)
    #: Updated at most once a minute, so a busy script does not write on every call.
    last_used_at: Mapped[Moment | None]
    #: Set when revoked; a revoked token authenticates nobody.
    revoked_at: Mapped[Moment | None]

    user: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

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
